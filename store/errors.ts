/**
 * The run store's error: one line naming the path (or table and column), `code` `MXLAB_STORE`,
 * `exitCode` 2 so that the CLI reports it as bad input.
 */
export class StoreError extends Error {
  readonly code = 'MXLAB_STORE';
  readonly exitCode = 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** First line of an error's message. */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
