/**
 * The aggregate of a sweep: per grid point, the quantiles (5 / 50 / 95 % by default) of each headline
 * metric over its seeds, and the errors of the runs that failed. A pure function of the plan and the
 * runs' outcomes, serialised with a fixed key order and fixed decimals, so a sweep run with 1 or 2
 * workers, or as shards merged later, gives byte-identical `aggregate.json`.
 */
import type { Summary } from '../summary/summary-schema.ts';
import type { GridValue, RunOutcome, SweepLayout } from './layout.ts';
import { SWEEP_DEFAULTS, SWEEP_METRICS } from './settings.ts';
import { fixed, quantile, sortedNumbers } from './stats.ts';

/** Quantiles of one metric at one point; `n` runs had a value. */
export interface MetricStats {
  n: number;
  p5: number;
  median: number;
  p95: number;
}

/** Counts of runs. */
export interface RunCounts {
  total: number;
  ok: number;
  failed: number;
  /** not found (a shard's partial view) */
  missing: number;
}

export interface AggregatePoint {
  id: string;
  values: Record<string, GridValue>;
  seeds: number[];
  runs: RunCounts;
  /** metric key -> stats, null when no run of the point had a value */
  metrics: Record<string, MetricStats | null>;
  errors: { seed: number; error: string }[];
}

/** The content of aggregate.json. */
export interface Aggregate {
  schemaVersion: 1;
  sweepId: string;
  scenario: { name: string; hash: string };
  recipients: number | null;
  seeds: number;
  grid: { key: string; values: GridValue[] }[];
  quantiles: { low: number; mid: number; high: number };
  runs: RunCounts;
  points: AggregatePoint[];
}

/** Builds the aggregate from the outcomes found (runs not in `outcomes` count as missing). */
export function aggregate(plan: SweepLayout, outcomes: readonly RunOutcome[]): Aggregate {
  const byRun = new Map<number, RunOutcome>();
  for (const o of outcomes) byRun.set(o.run.index, o);
  const { lowQuantile: lo, midQuantile: mid, highQuantile: hi } = SWEEP_DEFAULTS;
  const total: RunCounts = { total: 0, ok: 0, failed: 0, missing: 0 };
  const points = plan.points.map((p): AggregatePoint => {
    const runs = plan.runs.filter((r) => r.point === p.index);
    const counts: RunCounts = { total: runs.length, ok: 0, failed: 0, missing: 0 };
    const summaries: Summary[] = [];
    const errors: AggregatePoint['errors'] = [];
    for (const r of runs) {
      const o = byRun.get(r.index);
      if (!o) counts.missing++;
      else if ('error' in o) {
        counts.failed++;
        errors.push({ seed: r.seed, error: oneLine(o.error) });
      } else {
        counts.ok++;
        summaries.push(o.summary);
      }
    }
    const metrics: Record<string, MetricStats | null> = {};
    for (const m of SWEEP_METRICS) {
      const xs = sortedNumbers(
        summaries.map(m.of).filter((v): v is number => v !== null && Number.isFinite(v)),
      );
      metrics[m.key] = xs.length
        ? {
            n: xs.length,
            p5: fixed(quantile(xs, lo), m.digits),
            median: fixed(quantile(xs, mid), m.digits),
            p95: fixed(quantile(xs, hi), m.digits),
          }
        : null;
    }
    total.total += counts.total;
    total.ok += counts.ok;
    total.failed += counts.failed;
    total.missing += counts.missing;
    const values: Record<string, GridValue> = {};
    plan.axes.forEach((a, i) => {
      values[a.key] = p.values[i]!;
    });
    return { id: p.id, values, seeds: p.seeds, runs: counts, metrics, errors };
  });
  return {
    schemaVersion: 1,
    sweepId: plan.sweepId,
    scenario: { name: plan.scenario.name, hash: plan.scenario.hash },
    recipients: plan.recipients,
    seeds: plan.seedCount,
    grid: plan.axes.map((a) => ({ key: a.key, values: a.values })),
    quantiles: { low: lo, mid, high: hi },
    runs: total,
    points,
  };
}

/** aggregate.json text: two-space indent, keys in construction order, a final newline. */
export function stringifyAggregate(a: Aggregate): string {
  return `${JSON.stringify(a, null, 2)}\n`;
}

function oneLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > SWEEP_DEFAULTS.maxErrorChars
    ? `${line.slice(0, SWEEP_DEFAULTS.maxErrorChars)}…`
    : line;
}
