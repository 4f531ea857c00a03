/**
 * `mxlab report RUN_DIR [--out DIR] [--csv]`: writes report.md, report.html and summary.json (and
 * one CSV per table under csv/) from a run's store. Reads the store only; never runs a simulation.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { writeReport } from '../../reports/index.ts';
import { openRunStore } from '../../store/index.ts';
import { outDirFlag } from '../flags.ts';

/** Default output folder: the run folder itself, or the folder of a `.duckdb` file. */
function defaultOut(run: string): string {
  try {
    return statSync(run).isDirectory() ? run : dirname(run);
  } catch {
    return run.endsWith('.duckdb') ? dirname(run) : run;
  }
}

export function register(program: Command): void {
  program
    .command('report')
    .description('write report.md, report.html and summary.json for a run (from its run.duckdb)')
    .argument('<run>', 'run folder (with run.duckdb) or a .duckdb file')
    .option('--out <dir>', 'output folder (default: the run folder)')
    .option('--csv', 'also write one CSV per table under <out>/csv/')
    .action(async (run: string, opts: { out?: string; csv?: boolean }) => {
      const store = await openRunStore(run, { readonly: true });
      try {
        const t0 = performance.now();
        const { files, data } = await writeReport(store, outDirFlag('out', opts.out ?? defaultOut(run)), {
          csv: opts.csv === true,
        });
        const s = data.summary;
        process.stdout.write(
          `${files.join('\n')}\n` +
            `${s.messages.targeted} targeted, ${s.messages.delivered} delivered, ${s.messages.failed.total} failed, ` +
            `${s.quarantine.addresses} quarantined (${s.quarantine.falseQuarantines} false, ${s.quarantine.missedQuarantines} missed) ` +
            `in ${Math.round(performance.now() - t0)} ms\n`,
        );
      } finally {
        store.close();
      }
    });
}
