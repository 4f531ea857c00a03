import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CATALOG_DIR } from '../scenarios/index.ts';
import { parseGrid, SweepError } from './grid.ts';
import { parseShard, planSweep, shardRuns } from './plan-sweep.ts';

const baseline = `${CATALOG_DIR}baseline.yaml`;
const plan = (grid: string[], seeds = 1) =>
  planSweep({ file: baseline, axes: parseGrid(grid), seeds, recipients: 100 });

function errorOf(f: () => unknown): SweepError {
  try {
    f();
  } catch (err) {
    if (err instanceof SweepError) return err;
    throw err;
  }
  throw new Error('expected a SweepError');
}

describe('planSweep', () => {
  it('enumerates points in grid order (first axis slowest), then seeds from the scenario seed', () => {
    const p = plan(['mta.localIps=1,2', 'mode=legacy,enhanced'], 2);
    expect(p.points.map((x) => x.values)).toEqual([
      [1, 'legacy'],
      [1, 'enhanced'],
      [2, 'legacy'],
      [2, 'enhanced'],
    ]);
    expect(p.runs.map((r) => [r.point, r.seed])).toEqual([
      [0, 2021],
      [0, 2022],
      [1, 2021],
      [1, 2022],
      [2, 2021],
      [2, 2022],
      [3, 2021],
      [3, 2022],
    ]);
    expect(p.points[2]!.id).toBe('2_mta.localIps-2_mode-legacy');
    expect(p.runs[5]!.dir).toBe('runs/2_mta.localIps-2_mode-legacy/seed-2022');
    expect((p.points[3]!.input as { mta: { localIps: number } }).mta.localIps).toBe(2);
    expect((p.points[3]!.input as { population: { size: number } }).population.size).toBe(100);
  });

  it('applies deliveries[0].validity and a gridded seed', () => {
    const p = plan(['deliveries[0].validity=1d,3d', 'seed=7'], 2);
    expect((p.points[1]!.input as { deliveries: { validity: string }[] }).deliveries[0]!.validity).toBe('3d');
    expect(p.points[0]!.seeds).toEqual([7, 8]);
  });

  it('gives the same sweep id for the same inputs and another one when the grid changes', () => {
    expect(plan(['mode=legacy,enhanced']).sweepId).toBe(plan(['mode=legacy,enhanced']).sweepId);
    expect(plan(['mode=legacy,enhanced']).sweepId).not.toBe(plan(['mode=enhanced,legacy']).sweepId);
    expect(plan(['mode=legacy']).sweepId).not.toBe(plan(['mode=legacy'], 2).sweepId);
  });

  it.each([
    [['mta.nope=1,2'], '--grid mta.nope=1: mta.nope: unknown field'],
    [['mta.localIps=2,0'], '--grid mta.localIps=0: mta.localIps'],
    [['deliveries[0].validity=1d,soon'], '--grid deliveries[0].validity=soon: deliveries[0].validity'],
    [
      ['deliveries[2].at=day1 01:00'],
      '--grid deliveries[2].at: index 2 is out of range (the scenario has 1)',
    ],
    [['mode=legacy,fast'], '--grid mode=fast: mode'],
    [['population.size=-5'], '--grid population.size=-5: population.size'],
    [['mode.x=1'], '--grid mode.x: cannot set "x" inside a value that is not an object'],
    [['deliveries[0].at=day9 00:00'], '--grid deliveries[0].at=day9 00:00: deliveries[0].at'],
  ])('%j fails naming the key and value', (grid, message) => {
    const e = errorOf(() => plan(grid));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(message);
  });

  it('names the combination when each value is fine alone but the point is not', () => {
    // a delivery at day4 is fine with a 5d horizon, and a 2d horizon is fine with the day1 delivery
    const e = errorOf(() => plan(['horizon=5d,2d', 'deliveries[0].at=day1 06:00,day4 00:00']));
    expect(e.message).toContain('--grid horizon=2d deliveries[0].at=day4 00:00:');
  });

  it('rejects a TypeScript scenario and a bad --seeds', () => {
    expect(errorOf(() => planSweep({ file: 'x.ts', axes: [], seeds: 1 })).message).toContain('YAML or JSON');
    expect(errorOf(() => plan([], 0)).message).toContain('--seeds');
  });
});

describe('shards', () => {
  it('parses I/N and rejects the rest', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    for (const bad of ['5/5', '1/0', 'a/2', '1', '-1/2']) expect(() => parseShard(bad)).toThrow(SweepError);
  });

  const p = plan(['mode=legacy,enhanced', 'mta.localIps=1,2,3'], 3);
  test.prop([fc.integer({ min: 1, max: 30 })])('every run belongs to exactly one shard, k mod N', (n) => {
    const seen = new Map<number, number>();
    for (let i = 0; i < n; i++)
      for (const r of shardRuns(p, { index: i, count: n })) {
        expect(r.index % n).toBe(i);
        seen.set(r.index, (seen.get(r.index) ?? 0) + 1);
      }
    expect(seen.size).toBe(p.runs.length);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
  });
});
