/**
 * Exit codes of the `mxlab` command and the error that carries one.
 * 0 ok, 1 a check failed (e.g. `compare --fail-on`), 2 bad usage or input.
 */
export const ExitCode = { Ok: 0, CheckFailed: 1, BadInput: 2 } as const;

/** An error meant for the user: printed as one line (no stack unless `--debug`), exits with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.BadInput) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Errors from our loaders that name a place (file, line, field) carry `code`; they are bad input too. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err && typeof err === 'object' && 'exitCode' in err && typeof err.exitCode === 'number')
    return err.exitCode;
  if (
    err &&
    typeof err === 'object' &&
    'code' in err &&
    typeof err.code === 'string' &&
    err.code.startsWith('MXLAB_')
  )
    return ExitCode.BadInput;
  return ExitCode.BadInput;
}
