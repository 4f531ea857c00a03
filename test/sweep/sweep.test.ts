/**
 * Sweeps end to end with real worker processes: the aggregate is the same bytes with 1 worker, 2
 * workers, or 3 shards merged; a run that throws or a worker that dies fails only that run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_DIR } from '../../scenarios/index.ts';
import { mergeSweeps, parseGrid, planSweep, runSweep } from '../../sweep/index.ts';

const root = mkdtempSync(join(tmpdir(), 'mxlab-sweep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const baseline = join(CATALOG_DIR, 'baseline.yaml');
const plan = planSweep({
  file: baseline,
  axes: parseGrid(['mode=legacy,enhanced']),
  seeds: 2,
  recipients: 100,
});
const read = (dir: string, f = 'aggregate.json') => readFileSync(join(dir, f), 'utf8');

describe('sweep aggregate', () => {
  it('is byte-identical with 1 worker, 2 workers and 3 shards merged', async () => {
    const one = join(root, 'one');
    const two = join(root, 'two');
    const shards = [0, 1, 2].map((i) => join(root, `shard-${i}`));
    // all at once: the outputs must not depend on what else runs beside them
    const [r1, r2, ...rs] = await Promise.all([
      runSweep(plan, { out: one, workers: 1 }),
      runSweep(plan, { out: two, workers: 2 }),
      ...shards.map((out, i) => runSweep(plan, { out, workers: 1, shard: { index: i, count: 3 } })),
    ]);
    expect(r1!.workers).toBe(1);
    expect(r2!.workers).toBe(2);
    expect(r1!.failed).toBe(0);
    expect(r1!.aggregate.runs).toEqual({ total: 4, ok: 4, failed: 0, missing: 0 });
    const shardRuns = rs.map((r) => r.ok);
    expect(shardRuns).toEqual([2, 1, 1]); // runs 0,3 / 1 / 2
    const merged = join(root, 'merged');
    await mergeSweeps([shards[2]!, shards[0]!, shards[1]!], merged);

    const a1 = read(one);
    expect(read(two)).toBe(a1);
    expect(read(merged)).toBe(a1);
    expect(read(merged, 'summaries.jsonl')).toBe(read(one, 'summaries.jsonl'));
    expect(read(merged, 'aggregate.html')).toBe(read(one, 'aggregate.html'));
    // a shard alone is a partial view
    expect(JSON.parse(read(shards[1]!)).runs).toEqual({ total: 4, ok: 1, failed: 0, missing: 3 });
    const agg = JSON.parse(a1);
    expect(agg.points.map((p: { values: unknown }) => p.values)).toEqual([
      { mode: 'legacy' },
      { mode: 'enhanced' },
    ]);
    expect(agg.points[0].seeds).toEqual([2021, 2022]);
    expect(agg.points[0].metrics.completionMs.n).toBe(2);
    expect(agg.points[0].metrics.completionMs.p5).toBeLessThanOrEqual(
      agg.points[0].metrics.completionMs.median,
    );
  });

  it('records a run that throws and a worker that dies, and completes the others', async () => {
    const out = join(root, 'faults');
    const events: boolean[] = [];
    const r = await runSweep(plan, {
      out,
      workers: 2,
      parquet: true,
      faults: (run) => (run.index === 0 ? 'throw' : run.index === 3 ? 'exit' : undefined),
      onRun: (e) => events.push(e.ok),
    });
    expect(events).toHaveLength(4);
    expect(r.failed).toBe(2);
    expect(r.ok).toBe(2);
    const agg = JSON.parse(read(out));
    expect(agg.runs).toEqual({ total: 4, ok: 2, failed: 2, missing: 0 });
    expect(agg.points[0].errors).toEqual([
      { seed: 2021, error: 'worker failed: injected fault: the worker threw' },
    ]);
    expect(agg.points[1].errors).toHaveLength(1);
    expect(agg.points[1].errors[0].seed).toBe(2022);
    expect(agg.points[1].errors[0].error).toMatch(/^worker failed: /);
    expect(agg.points[0].metrics.completionMs.n).toBe(1);
    expect(read(out, 'aggregate.md')).toContain('## Failed runs');
    // Parquet: every store table of the completed runs, and one summary row per run (failed ones too)
    expect(existsSync(join(out, plan.runs[1]!.dir, 'parquet', 'attempts.parquet'))).toBe(true);
    expect(existsSync(join(out, plan.runs[1]!.dir, 'parquet', 'delivery_log.parquet'))).toBe(true);
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const rows = (
      await con.runAndReadAll(
        `SELECT status, count(*)::INT AS n FROM '${join(out, 'summaries.parquet')}' GROUP BY ALL ORDER BY status`,
      )
    ).getRowObjectsJS();
    con.closeSync();
    db.closeSync();
    expect(rows).toEqual([
      { status: 'failed', n: 2 },
      { status: 'ok', n: 2 },
    ]);
  });
});
