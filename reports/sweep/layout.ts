/**
 * The layout of a sweep as its reports read it: the grid, the points, the run enumeration and where
 * each run's outcome lies. The sweep runner (top-level `sweep/`) writes folders in this layout; the
 * reports here read them and never call back into the runner (sweep -> reports, one way).
 */
import type { Summary } from '../summary/summary-schema.ts';

/** A scalar or structured value put at a path of the scenario input by a grid axis. */
export type GridValue = string | number | boolean | null | GridValue[] | { [k: string]: GridValue };

/** A value's short text for ids and tables: strings bare, others as JSON. */
export function valueText(v: GridValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** One run: a point and a seed, at position `index` of the enumeration. */
export interface SweepRun {
  index: number;
  point: number;
  seed: number;
  /** folder of its outputs relative to the sweep folder: `runs/<point id>/seed-<seed>` */
  dir: string;
}

/** The shape of a sweep the aggregate needs: a `SweepPlan` or a `sweep.json` manifest. */
export interface SweepLayout {
  sweepId: string;
  scenario: { name: string; hash: string };
  recipients: number | null;
  seedCount: number;
  axes: readonly { key: string; values: GridValue[] }[];
  points: readonly { index: number; id: string; values: GridValue[]; seeds: number[] }[];
  runs: readonly SweepRun[];
}

/** What became of one run: its summary, or the error it failed with. */
export type RunOutcome = { run: SweepRun; summary: Summary } | { run: SweepRun; error: string };
