/**
 * Errors of the engine. They are for misuse (bad time notation, scheduling in the past, a handler
 * missing for a kind), never for simulated outcomes. Each carries a stable `code` so callers can
 * recognise it without matching the text, and the text starts with that code.
 */

/** Stable error codes of the engine. */
export type EngineErrorCode = 'MXLAB_TIME' | 'MXLAB_ENGINE' | 'MXLAB_RANDOM';

/** An engine misuse error: `code` names the family, the message names the offending value. */
export class EngineError extends Error {
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'EngineError';
    this.code = code;
  }
}
