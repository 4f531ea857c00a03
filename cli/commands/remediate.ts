/**
 * `mxlab remediate RUN --contains TEXT [--rule NAME] [--domain D]... --from T --to T [--apply] [--json]`:
 * SPEC §9 remediation of a run's quarantine. Without --apply it reports what it would restore,
 * judged against ground truth; with --apply it writes the change into the run store.
 * T is `dayN HH:MM` (day1 00:00 = start of the run) or integer ms.
 */
import type { Command } from 'commander';
import {
  applyRemediation,
  formatTimeNotation,
  planRemediation,
  type RemediationQuery,
} from '../../reports/index.ts';
import { openRunStore } from '../../store/index.ts';
import { CliError } from '../errors.ts';
import { timeFlag } from '../flags.ts';

interface Opts {
  contains?: string;
  rule?: string;
  domain: string[];
  from?: string;
  to?: string;
  apply?: boolean;
  json?: boolean;
}

const collect = (value: string, prev: string[]): string[] => [...prev, ...value.split(',')];

export function register(program: Command): void {
  program
    .command('remediate')
    .description('restore addresses quarantined by a misleading reply (SPEC §9), e.g. an ISP outage')
    .argument('<run>', 'run folder or .duckdb file')
    .option('--contains <text>', 'the quarantine text contains this (case-insensitive)')
    .option('--rule <name>', 'or the rule that quarantined, e.g. Momen_Code10_InvalidRecipient')
    .option('--domain <domain>', 'only these recipient domains (repeat or comma-separate)', collect, [])
    .option('--from <time>', 'window start, dayN HH:MM')
    .option('--to <time>', 'window end, dayN HH:MM (inclusive)')
    .option('--apply', 'write the change into the run store')
    .option('--json', 'print JSON')
    .action(async (run: string, opts: Opts) => {
      if (!opts.contains && !opts.rule)
        throw new CliError('remediate needs --contains TEXT (and/or --rule NAME)');
      if (!opts.from || !opts.to) throw new CliError('remediate needs --from and --to (dayN HH:MM)');
      const q: RemediationQuery = {
        contains: opts.contains,
        rule: opts.rule,
        domains: opts.domain,
        fromMs: timeFlag('from', opts.from),
        toMs: timeFlag('to', opts.to),
      };
      const store = await openRunStore(run, { readonly: !opts.apply });
      try {
        const plan = await planRemediation(store, q);
        const restored = opts.apply ? await applyRemediation(store, q) : 0;
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ ...plan, applied: opts.apply === true, restored }, null, 2)}\n`,
          );
          return;
        }
        const lines = [
          `window ${formatTimeNotation(q.fromMs)} .. ${formatTimeNotation(q.toMs)}`,
          `would restore ${plan.selected} addresses: ${plan.restoredValid} valid, ${plan.wronglyRestored} that should stay quarantined`,
          `valid addresses quarantined in the window and not selected: ${plan.missedValid}`,
          ...plan.addresses
            .slice(0, 20)
            .map((a) => `  ${a.address}  ${a.truth ?? '?'}  ${formatTimeNotation(a.t)}  ${a.rule ?? ''}`),
          ...(plan.selected > 20 ? [`  ... and ${plan.selected - 20} more`] : []),
          '',
          'SQL:',
          plan.sql,
          '',
          opts.apply ? `restored ${restored} addresses` : 'dry run: add --apply to write it',
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        store.close();
      }
    });
}
