import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Summary } from '../summary/summary-schema.ts';
import { aggregate, stringifyAggregate } from './aggregate.ts';
import type { RunOutcome, SweepLayout } from './layout.ts';
import { fixed, quantile, sortedNumbers } from './stats.ts';

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20], 0.05)).toBeCloseTo(10.5);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  test.prop([
    fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ])('lies between min and max and grows with q', (xs, a, b) => {
    const s = sortedNumbers(xs);
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const qa = quantile(s, lo);
    const qb = quantile(s, hi);
    expect(qa).toBeGreaterThanOrEqual(s[0]! - 1e-6);
    expect(qb).toBeLessThanOrEqual(s[s.length - 1]! + 1e-6);
    expect(qa).toBeLessThanOrEqual(qb + 1e-6);
  });

  it('fixed rounds and drops negative zero', () => {
    expect(fixed(1.23456, 2)).toBe(1.23);
    expect(Object.is(fixed(-0.0001, 2), 0)).toBe(true);
  });
});

function summary(completedMs: number, rate: number, fq: number, peak: number, p90: number | null): Summary {
  return {
    completedAt: { ms: completedMs, text: '' },
    quarantine: { rate, falseQuarantines: fq },
    throughput: { peakPerHour: peak },
    timeToDeliver: { p90 },
  } as unknown as Summary;
}

const layout: SweepLayout = {
  sweepId: 'id',
  scenario: { name: 'x', hash: 'h' },
  recipients: 10,
  seedCount: 3,
  axes: [{ key: 'mode', values: ['legacy', 'enhanced'] }],
  points: [
    { index: 0, id: '0_mode-legacy', values: ['legacy'], seeds: [1, 2, 3] },
    { index: 1, id: '1_mode-enhanced', values: ['enhanced'], seeds: [1, 2, 3] },
  ],
  runs: [0, 1, 2, 3, 4, 5].map((i) => ({
    index: i,
    point: Math.floor(i / 3),
    seed: 1 + (i % 3),
    dir: `r${i}`,
  })),
};

const arbOutcome = (i: number) =>
  fc.oneof(
    fc
      .tuple(
        fc.nat(1e9),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(100),
        fc.nat(1e6),
        fc.option(fc.nat(1e9)),
      )
      .map(([c, r, f, p, t]): RunOutcome => ({ run: layout.runs[i]!, summary: summary(c, r, f, p, t) })),
    fc.string().map((e): RunOutcome => ({ run: layout.runs[i]!, error: e })),
  );

describe('aggregate', () => {
  test.prop([
    fc.tuple(...layout.runs.map((r) => fc.option(arbOutcome(r.index), { nil: undefined }))),
    fc.nat(),
  ])('does not depend on the order outcomes arrive in, and counts every run once', (maybe, rot) => {
    const outcomes = maybe.filter((o): o is RunOutcome => o !== undefined);
    const rotated = outcomes.map((_, i) => outcomes[(i + rot) % outcomes.length]!);
    const a = aggregate(layout, outcomes);
    expect(stringifyAggregate(aggregate(layout, rotated))).toBe(stringifyAggregate(a));
    expect(a.runs.ok + a.runs.failed + a.runs.missing).toBe(6);
    expect(a.runs.missing).toBe(6 - outcomes.length);
    for (const p of a.points)
      for (const s of Object.values(p.metrics))
        if (s) expect(s.p5 <= s.median && s.median <= s.p95).toBe(true);
  });

  it('computes median and band per point and lists errors by seed', () => {
    const outs: RunOutcome[] = [
      { run: layout.runs[0]!, summary: summary(100, 0.1, 1, 10, null) },
      { run: layout.runs[1]!, summary: summary(300, 0.3, 3, 30, 5) },
      { run: layout.runs[2]!, error: 'boom\nstack' },
    ];
    const a = aggregate(layout, outs);
    expect(a.points[0]!.metrics.completionMs).toEqual({ n: 2, p5: 110, median: 200, p95: 290 });
    expect(a.points[0]!.metrics.timeToDeliverP90Ms).toEqual({ n: 1, p5: 5, median: 5, p95: 5 });
    expect(a.points[0]!.errors).toEqual([{ seed: 3, error: 'boom' }]);
    expect(a.points[1]!.metrics.completionMs).toBeNull();
    expect(a.points[1]!.runs).toEqual({ total: 3, ok: 0, failed: 0, missing: 3 });
  });
});
