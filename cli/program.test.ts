/**
 * The lazily loaded command list (cli/commands/index.ts) says of each command what its module
 * registers, so `mxlab --help` (which loads no command module) prints what the real commands are.
 */
import { Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, nameOf } from './commands/index.ts';
import { buildProgram, requestedCommand } from './program.ts';

describe('the command list', () => {
  it.each(COMMANDS.map((e) => [nameOf(e), e] as const))(
    '%s: its entry matches its module',
    async (name, entry) => {
      const program = await buildProgram([entry]);
      const real = program.commands.find((c) => c.name() === name);
      expect(real?.description()).toBe(entry.description);
      expect(new Help().subcommandTerm(real!)).toBe(entry.term);
      // a stand-in has neither options nor arguments; every real command has one or the other
      const declared = (real?.options.length ?? 0) + (real?.registeredArguments.length ?? 0);
      expect(declared, 'the real module, not a stand-in').toBeGreaterThan(0);
    },
  );

  it('the help lists every command without loading one', async () => {
    const program = await buildProgram([]);
    const listing = program.helpInformation();
    for (const e of COMMANDS) expect(listing).toContain(`${e.term}  `);
  });

  it('finds the command named on the command line', () => {
    expect(requestedCommand(['qualify', '--mode', 'legacy']) && nameOf(requestedCommand(['qualify'])!)).toBe(
      'qualify',
    );
    expect(nameOf(requestedCommand(['--debug', 'run', 'x'])!)).toBe('run');
    expect(nameOf(requestedCommand(['help', 'sweep'])!)).toBe('sweep');
    expect(requestedCommand(['--help'])).toBeUndefined();
    expect(requestedCommand(['--version'])).toBeUndefined();
    expect(requestedCommand(['nosuch'])).toBeUndefined();
  });
});
