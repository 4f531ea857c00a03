import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_DIR } from '../scenarios/index.ts';
import { parseGrid } from './grid.ts';
import { manifestOf, writeManifest } from './manifest.ts';
import { checkShards, mergeSweeps } from './merge.ts';
import { planSweep, shardRuns } from './plan-sweep.ts';

const root = mkdtempSync(join(tmpdir(), 'mxlab-merge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const plan = planSweep({
  file: `${CATALOG_DIR}baseline.yaml`,
  axes: parseGrid(['mode=legacy,enhanced']),
  seeds: 2,
  recipients: 100,
});
const other = planSweep({
  file: `${CATALOG_DIR}baseline.yaml`,
  axes: parseGrid(['mode=legacy']),
  seeds: 2,
  recipients: 100,
});

function shardDir(name: string, p: typeof plan, index: number, count: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const shard = { index, count };
  writeManifest(
    dir,
    manifestOf(
      p,
      shard,
      shardRuns(p, shard).map((r) => r.index),
    ),
  );
  return dir;
}

describe('merge checks', () => {
  const a = shardDir('a', plan, 0, 2);
  const b = shardDir('b', plan, 1, 2);
  it('accepts the shards of one sweep in any order', () => {
    expect(checkShards([b, a]).map((s) => s.manifest.shard.index)).toEqual([0, 1]);
  });
  it('names a missing shard, a duplicate, another shard count and another sweep', () => {
    expect(() => checkShards([a])).toThrow('missing shard(s) 1/2');
    expect(() => checkShards([a, shardDir('a2', plan, 0, 2), b])).toThrow('shard 0/2 given twice');
    expect(() => checkShards([a, shardDir('c', plan, 1, 3)])).toThrow('is shard 1/3 but');
    expect(() => checkShards([a, shardDir('d', other, 1, 2)])).toThrow('different grids');
    expect(() => checkShards([a, join(root, 'nowhere')])).toThrow('sweep.json');
  });
  it('refuses to write into one of the shard folders', async () => {
    await expect(mergeSweeps([a, b], a)).rejects.toThrow('is one of the shard folders');
  });
  it('merges shards that ran nothing into an aggregate of missing runs', async () => {
    const r = await mergeSweeps([a, b], join(root, 'out'));
    expect(r.aggregate.runs).toEqual({ total: 4, ok: 0, failed: 0, missing: 4 });
    expect(r.manifest.shard).toEqual({ index: 0, count: 1 });
  });
});
