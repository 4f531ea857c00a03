/**
 * `planSweep`: a scenario file and a grid become the fixed list of runs of a sweep. Every grid value is
 * applied to the scenario INPUT and re-validated with the scenario schema before anything runs, so a
 * bad key or value fails at once naming it. Runs are enumerated point by point (grid order, first axis
 * slowest), seed by seed; run k belongs to shard k mod N.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DataFileError } from '../core/data-file.ts';
import type { SweepRun } from '../reports/sweep/index.ts';
import { defineScenario } from '../scenarios/define-scenario.ts';
import { loadScenario, scenarioHash } from '../scenarios/load-scenario.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { type GridAxis, type GridValue, gridPoints, SweepError, setAtPath, valueText } from './grid.ts';

/** Which part of a sweep this process runs: shard `index` of `count` (0-based, like a Kubernetes Indexed Job). */
export interface Shard {
  index: number;
  count: number;
}

/** One grid point: its values (one per axis) and the validated scenario input. */
export interface SweepPoint {
  index: number;
  /** folder-safe id, e.g. `0-mta.localIps-1_mode-legacy` */
  id: string;
  values: GridValue[];
  /** the scenario input with the values applied */
  input: unknown;
  /** the seeds of its runs */
  seeds: number[];
}

/** One run: a point and a seed (the aggregate layout's type). */
export type { SweepRun };

/** Everything needed to run (a shard of) a sweep and to check that shards belong together. */
export interface SweepPlan {
  scenario: { name: string; file: string; hash: string };
  /** hash of what makes two shards the same sweep: scenario hash, grid, seeds, recipients */
  sweepId: string;
  axes: GridAxis[];
  seedCount: number;
  recipients: number | null;
  points: SweepPoint[];
  /** every run of the sweep, in enumeration order */
  runs: SweepRun[];
}

export interface PlanSweepOptions {
  /** a YAML or JSON scenario file */
  file: string;
  axes: GridAxis[];
  /** runs per point: seeds s, s+1, … s+seeds-1 from the point's scenario seed */
  seeds: number;
  /** population size for every point (a `population.size` grid axis still wins) */
  recipients?: number;
}

/** Parses `I/N` (0 <= I < N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index >= count)
    throw new SweepError(`--shard ${text}: expected I/N with 0 <= I < N (e.g. 0/4; I is 0-based)`);
  return { index, count };
}

/** The runs of one shard: run k belongs to shard k mod N. */
export function shardRuns(plan: SweepPlan, shard: Shard): SweepRun[] {
  return plan.runs.filter((r) => r.index % shard.count === shard.index);
}

/** Validates the grid against the scenario and enumerates points and runs. Throws SweepError / DataFileError. */
export function planSweep(options: PlanSweepOptions): SweepPlan {
  const file = resolve(options.file);
  if (/\.(m?ts|m?js)$/i.test(file))
    throw new SweepError(
      `${options.file}: sweeps take YAML or JSON scenarios (grid keys are paths into the file)`,
    );
  if (!Number.isSafeInteger(options.seeds) || options.seeds < 1)
    throw new SweepError(`--seeds: expected an integer >= 1, got ${options.seeds}`);
  // the base scenario first, so its own mistakes get file:line:col errors
  const base = loadScenario(file, { recipients: options.recipients });
  const raw = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  let input: unknown = raw;
  if (options.recipients !== undefined)
    input = setAtPath(input, 'population.size', ['population', 'size'], options.recipients);

  const validate = (candidate: unknown, what: string): Scenario => {
    try {
      return defineScenario(candidate as Parameters<typeof defineScenario>[0], {
        baseDir: dirname(file),
        file,
      });
    } catch (err) {
      if (err instanceof DataFileError)
        throw new SweepError(`--grid ${what}: ${err.field ? `${err.field}: ` : ''}${err.detail}`);
      throw err;
    }
  };
  // each value alone, so the message names the one value the schema rejects
  for (const axis of options.axes)
    for (const v of axis.values)
      validate(setAtPath(input, axis.key, axis.path, v), `${axis.key}=${valueText(v)}`);

  const width = String(Math.max(0, gridPoints(options.axes).length - 1)).length;
  const points: SweepPoint[] = gridPoints(options.axes).map((values, index) => {
    let pointInput = input;
    values.forEach((v, i) => {
      const axis = options.axes[i]!;
      pointInput = setAtPath(pointInput, axis.key, axis.path, v);
    });
    const label = values.map((v, i) => `${options.axes[i]!.key}=${valueText(v)}`).join(' ');
    const scenario = validate(pointInput, label || '(no grid)');
    const seeds = Array.from({ length: options.seeds }, (_, k) => scenario.seed + k);
    return { index, id: pointId(index, width, options.axes, values), values, input: pointInput, seeds };
  });
  const runs: SweepRun[] = [];
  for (const p of points)
    for (const seed of p.seeds)
      runs.push({ index: runs.length, point: p.index, seed, dir: `runs/${p.id}/seed-${seed}` });

  const grid = options.axes.map((a) => ({ key: a.key, values: a.values }));
  const recipients = options.recipients ?? null;
  return {
    scenario: { name: base.name, file, hash: base.hash },
    sweepId: scenarioHash({ scenario: base.hash, grid, seeds: options.seeds, recipients }),
    axes: options.axes,
    seedCount: options.seeds,
    recipients,
    points,
    runs,
  };
}

function pointId(
  index: number,
  width: number,
  axes: readonly GridAxis[],
  values: readonly GridValue[],
): string {
  const parts = values.map((v, i) => `${axes[i]!.key}-${valueText(v)}`.replace(/[^A-Za-z0-9.-]+/g, '-'));
  const id = [String(index).padStart(width, '0'), ...parts].join('_');
  return id.length > 100 ? id.slice(0, 100) : id;
}
