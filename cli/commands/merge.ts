/**
 * `mxlab merge DIR... --out DIR`: combines the folders of a sharded sweep (`mxlab sweep --shard I/N`)
 * into one aggregate, byte-identical to a single-machine sweep's. Exit 2 when the folders are not the
 * shards of one sweep (or one is missing), 1 when a run failed, 0 otherwise.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { mergeSweeps } from '../../sweep/index.ts';
import { CliError, ExitCode } from '../errors.ts';

export function register(program: Command): void {
  program
    .command('merge')
    .description('merge the shard folders of a sweep into one aggregate')
    .argument('<dirs...>', 'shard output folders (each has a sweep.json)')
    .option('--out <dir>', 'output folder (required)')
    .option('--parquet', 'also write summaries.parquet')
    .action(async (dirs: string[], flags: { out?: string; parquet?: boolean }) => {
      if (!flags.out) throw new CliError('merge: --out DIR is required');
      const r = await mergeSweeps(dirs, flags.out, { parquet: flags.parquet });
      const runs = r.aggregate.runs;
      process.stdout.write(
        `merged ${dirs.length} shard(s) of sweep ${r.manifest.sweepId}: ${runs.total} run(s), ${runs.ok} ok, ${runs.failed} failed` +
          (runs.missing ? `, ${runs.missing} missing` : '') +
          `\naggregate: ${join(flags.out, 'aggregate.json')} (.md, .html)\n`,
      );
      if (runs.failed > 0 || runs.missing > 0) process.exitCode = ExitCode.CheckFailed;
    });
}
