/**
 * `mxlab check RUN [--scenario FILE] [--json]`: the run store's consistency checks
 * (store/consistency.ts) against its summary.json, with the MX-rule limits of the run's scenario
 * (the file named in the store, or `--scenario` for a run whose file moved). Exit 1 when a check fails.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { checkRun, loadAnyScenario, planOf } from '../../runner/index.ts';
import { formatViolations } from '../../store/index.ts';
import { CliError, ExitCode } from '../errors.ts';
import { resolveScenarioPath } from '../flags.ts';

export function register(program: Command): void {
  program
    .command('check')
    .description("check a run's store against itself and its summary.json (exit 1 on a violation)")
    .argument('<run>', 'run folder (with run.duckdb and summary.json)')
    .option(
      '--scenario <file>',
      "the run's scenario, for the MX-rule slice limits (default: the file the run names)",
    )
    .option('--json', 'print the violations as JSON')
    .action(async (run: string, opts: { scenario?: string; json?: boolean }) => {
      if (!existsSync(join(run, 'summary.json')))
        throw new CliError(`${join(run, 'summary.json')}: no such file (mxlab report ${run} writes it)`);
      const plan = opts.scenario
        ? planOf(await loadAnyScenario(resolveScenarioPath(opts.scenario)))
        : undefined;
      const r = await checkRun(run, plan);
      if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      else {
        if (r.violations.length) process.stdout.write(`${formatViolations(r.violations)}\n`);
        process.stdout.write(
          `${r.violations.length} violation(s)${r.checkedSlices ? '' : ' (slice limits not checked: no scenario file; pass --scenario)'}\n`,
        );
      }
      if (r.violations.length) process.exitCode = ExitCode.CheckFailed;
    });
}
