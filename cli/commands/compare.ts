/**
 * `mxlab compare RUN_A RUN_B [--fail-on EXPR] [--json]`: headline deltas and who is quarantined in
 * one run and not the other. Exit 1 when a `--fail-on` condition holds, 0 otherwise, 2 on bad input.
 *
 * TODO(simulation): `mxlab compare --rules OLD NEW SCENARIO` runs SCENARIO once per rule set into two
 * run folders and then does exactly what this action does with them (`compareRuns(a, b, ...)`).
 */
import type { Command } from 'commander';
import { compareRuns, renderCompareJson, renderCompareMarkdown } from '../../reports/index.ts';
import { openRunStore } from '../../store/index.ts';
import { CliError, ExitCode } from '../errors.ts';

export function register(program: Command): void {
  program
    .command('compare')
    .description('compare two runs of the same scenario and seed (different rules or settings)')
    .argument('<runA>', 'baseline run folder or .duckdb file')
    .argument('<runB>', 'candidate run folder or .duckdb file')
    .option(
      '--fail-on <expr>',
      'exit 1 when a condition holds on B or on B vs A, e.g. "falseQuarantines>0,quarantine.rate>+0.5pp,timeToDeliver.p90>+10%"',
    )
    .option('--json', 'print JSON instead of Markdown')
    .action(async (runA: string, runB: string, opts: { failOn?: string; json?: boolean }) => {
      if (opts.failOn !== undefined && opts.failOn.trim() === '')
        throw new CliError('--fail-on needs an expression');
      const a = await openRunStore(runA, { readonly: true });
      try {
        const b = await openRunStore(runB, { readonly: true });
        try {
          const r = await compareRuns(a, b, { failOn: opts.failOn });
          process.stdout.write(opts.json ? renderCompareJson(r) : renderCompareMarkdown(r));
          if (r.failed) {
            const held = r.failOn.filter((f) => f.holds).map((f) => f.text);
            process.stderr.write(`mxlab: --fail-on: ${held.join(', ')}\n`);
            process.exitCode = ExitCode.CheckFailed;
          }
        } finally {
          b.close();
        }
      } finally {
        a.close();
      }
    });
}
