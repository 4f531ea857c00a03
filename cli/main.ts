/**
 * Entry point of the `mxlab` command: builds the program (cli/program.ts: only the module of the
 * command being run is loaded) and turns any error into one line and an exit code (cli/errors.ts).
 */
import { CommanderError } from 'commander';
import { exitCodeOf } from './errors.ts';
import { buildProgram, requestedCommand } from './program.ts';

const debug = process.argv.includes('--debug');

// the reader of our output went away (`mxlab inmail DIR | head -1`): stop quietly, as Unix tools do
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  fail(err);
});

function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write(`mxlab: ${message.split('\n')[0]}\n`);
  process.exit(exitCodeOf(err));
}

try {
  const requested = requestedCommand(process.argv.slice(2));
  const program = await buildProgram(requested ? [requested] : []);
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // help and version exit 0; commander has already printed its own message for usage errors
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  fail(err);
}
