/**
 * `mergeSweeps`: combines the folders of a sharded sweep into one folder whose `aggregate.json` is
 * byte-identical to the one a single-machine sweep writes. Runs' summaries are the unit: each run's
 * `summary.json` (or `error.json`) is copied into `OUT/runs/...`; the run stores stay in the shards.
 * The shards must carry manifests of the same sweep (same sweep id: scenario hash, grid, seeds,
 * recipients), the same shard count, and together cover every shard once.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Aggregate, collectAndWrite, ERROR_FILE, SUMMARY_FILE } from '../reports/sweep/index.ts';
import { SweepError } from './grid.ts';
import { readManifest, type SweepManifest, writeManifest } from './manifest.ts';

export interface MergeResult {
  manifest: SweepManifest;
  aggregate: Aggregate;
  files: string[];
}

/** Checks the manifests of `dirs` belong to one sweep and cover it; returns them in shard order. */
export function checkShards(dirs: readonly string[]): { dir: string; manifest: SweepManifest }[] {
  if (dirs.length === 0) throw new SweepError('merge: no sweep folders given');
  const shards = dirs.map((dir) => ({ dir, manifest: readManifest(dir) }));
  const first = shards[0]!;
  for (const s of shards.slice(1)) {
    const a = first.manifest;
    const b = s.manifest;
    if (b.sweepId !== a.sweepId) {
      const why =
        b.scenario.hash !== a.scenario.hash
          ? `scenario ${b.scenario.name}@${b.scenario.hash} vs ${a.scenario.name}@${a.scenario.hash}`
          : JSON.stringify(b.axes) !== JSON.stringify(a.axes)
            ? 'different grids'
            : b.seedCount !== a.seedCount
              ? `seeds ${b.seedCount} vs ${a.seedCount}`
              : b.recipients !== a.recipients
                ? `recipients ${b.recipients} vs ${a.recipients}`
                : `sweep id ${b.sweepId} vs ${a.sweepId}`;
      throw new SweepError(`merge: ${s.dir} is not a shard of the same sweep as ${first.dir} (${why})`);
    }
    if (b.shard.count !== a.shard.count)
      throw new SweepError(
        `merge: ${s.dir} is shard ${b.shard.index}/${b.shard.count} but ${first.dir} is ${a.shard.index}/${a.shard.count}`,
      );
  }
  const count = first.manifest.shard.count;
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const other = byIndex.get(s.manifest.shard.index);
    if (other !== undefined)
      throw new SweepError(
        `merge: shard ${s.manifest.shard.index}/${count} given twice (${other} and ${s.dir})`,
      );
    byIndex.set(s.manifest.shard.index, s.dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length)
    throw new SweepError(
      `merge: missing shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} of sweep ${first.manifest.sweepId}`,
    );
  return shards.sort((x, y) => x.manifest.shard.index - y.manifest.shard.index);
}

/** Merges shard folders into `out` (which must not be one of them). */
export async function mergeSweeps(
  dirs: readonly string[],
  out: string,
  options: { parquet?: boolean } = {},
): Promise<MergeResult> {
  if (dirs.some((d) => resolve(d) === resolve(out)))
    throw new SweepError(`merge: --out ${out} is one of the shard folders; pick a new folder`);
  const shards = checkShards(dirs);
  const base = shards[0]!.manifest;
  mkdirSync(out, { recursive: true });
  const byRun = new Map<number, string>();
  for (const s of shards) for (const r of s.manifest.shardRuns) byRun.set(r, s.dir);
  for (const run of base.runs) {
    const from = byRun.get(run.index);
    if (from === undefined) continue;
    for (const f of [SUMMARY_FILE, ERROR_FILE]) {
      const src = join(from, run.dir, f);
      if (!existsSync(src)) continue;
      mkdirSync(join(out, run.dir), { recursive: true });
      copyFileSync(src, join(out, run.dir, f));
    }
  }
  const manifest: SweepManifest = {
    ...base,
    shard: { index: 0, count: 1 },
    shardRuns: base.runs.map((r) => r.index),
  };
  writeManifest(out, manifest);
  const written = await collectAndWrite(out, manifest, [out], options.parquet ?? false);
  return { manifest, aggregate: written.aggregate, files: written.files };
}
