/**
 * Entry point of the `mxlab` command: builds the program from one module per subcommand
 * (cli/commands/) and turns any error into one line and an exit code (cli/errors.ts).
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.ts';
import { exitCodeOf } from './errors.ts';
import { VERSION } from './version.ts';

const debug = process.argv.includes('--debug');

// the reader of our output went away (`mxlab inmail DIR | head -1`): stop quietly, as Unix tools do
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  fail(err);
});

export function buildProgram(): Command {
  const program = new Command('mxlab')
    .description(
      'Email delivery simulation and test harness: the real qualification and sending core against simulated ISPs',
    )
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError('(run mxlab --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write(`mxlab: ${message.split('\n')[0]}\n`);
  process.exit(exitCodeOf(err));
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // help and version exit 0; commander has already printed its own message for usage errors
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  fail(err);
}
