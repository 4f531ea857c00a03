/**
 * `sweep.json`: the manifest each sweep folder (a whole sweep or one shard) carries. It holds the
 * layout of the whole sweep (grid, points, seeds, the run enumeration) and which shard this folder
 * ran, so `merge` can check that folders belong to the same sweep and rebuild the aggregate without
 * the scenario file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadDataFile } from '../node/index.ts';
import type { GridValue, SweepLayout } from '../reports/sweep/index.ts';
import type { Shard, SweepPlan } from './plan-sweep.ts';

/** File name of the manifest in a sweep folder. */
export const MANIFEST_FILE = 'sweep.json';

const gridValue: z.ZodType<GridValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(gridValue),
    z.record(z.string(), gridValue),
  ]),
);
const int = z.number().int().nonnegative();

export const manifestSchema = z.strictObject({
  schemaVersion: z.literal(1),
  sweepId: z.string().min(1),
  scenario: z.strictObject({ name: z.string(), file: z.string(), hash: z.string() }),
  recipients: int.nullable(),
  seedCount: int,
  axes: z.array(z.strictObject({ key: z.string().min(1), values: z.array(gridValue) })),
  points: z.array(
    z.strictObject({ index: int, id: z.string().min(1), values: z.array(gridValue), seeds: z.array(int) }),
  ),
  runs: z.array(z.strictObject({ index: int, point: int, seed: int, dir: z.string().min(1) })),
  shard: z.strictObject({ index: int, count: z.number().int().min(1) }),
  /** indexes of the runs this folder holds */
  shardRuns: z.array(int),
});

/** The content of sweep.json. */
export type SweepManifest = z.output<typeof manifestSchema> & SweepLayout;

/** The manifest of a plan run as `shard` (the whole sweep is shard 0/1). */
export function manifestOf(plan: SweepPlan, shard: Shard, shardRuns: readonly number[]): SweepManifest {
  return {
    schemaVersion: 1,
    sweepId: plan.sweepId,
    scenario: plan.scenario,
    recipients: plan.recipients,
    seedCount: plan.seedCount,
    axes: plan.axes.map((a) => ({ key: a.key, values: a.values })),
    points: plan.points.map((p) => ({ index: p.index, id: p.id, values: p.values, seeds: p.seeds })),
    runs: plan.runs.map((r) => ({ index: r.index, point: r.point, seed: r.seed, dir: r.dir })),
    shard,
    shardRuns: [...shardRuns],
  };
}

/** Writes `DIR/sweep.json`. */
export function writeManifest(dir: string, m: SweepManifest): void {
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(m, null, 2)}\n`);
}

/** Reads and validates `DIR/sweep.json` (DataFileError naming the file and field when it is wrong). */
export function readManifest(dir: string): SweepManifest {
  return loadDataFile(join(dir, MANIFEST_FILE), manifestSchema);
}
