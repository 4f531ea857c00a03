/**
 * The `mxlab` program (commander), built from the command list in cli/commands/index.ts. Only the
 * module of the command being run is loaded; the others appear in the help as their entry describes
 * them, so `mxlab --version` and `mxlab --help` load commander and nothing else.
 */
import { Command, Help } from 'commander';
import { COMMANDS, type CommandEntry, nameOf } from './commands/index.ts';
import { VERSION } from './version.ts';

/** The entry of the command named on the command line (`mxlab NAME ...`, `mxlab help NAME`), if any. */
export function requestedCommand(args: readonly string[]): CommandEntry | undefined {
  const rest = args.filter((a) => a !== '--debug');
  const name = rest[0] === 'help' ? rest[1] : rest[0];
  return COMMANDS.find((e) => nameOf(e) === name);
}

/**
 * The program with every command: the real one for each entry of `load` (its module imported), a
 * stand-in that only names and describes itself for every other command.
 */
export async function buildProgram(load: readonly CommandEntry[] = COMMANDS): Promise<Command> {
  const program = new Command('mxlab')
    .description(
      'Email delivery simulation and test harness: the real qualification and sending core against simulated ISPs',
    )
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError('(run mxlab --help for usage)')
    .exitOverride();
  const terms = new Map<string, string>();
  for (const entry of COMMANDS) {
    if (load.includes(entry)) (await entry.load()).register(program);
    else {
      program.command(nameOf(entry)).description(entry.description);
      terms.set(nameOf(entry), entry.term);
    }
  }
  const help = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? help.subcommandTerm(cmd) });
  return program;
}
