/**
 * Sweeps: a scenario run over a grid of settings × seeds in parallel worker processes, sharded over
 * machines if need be, and aggregated per grid point (quantiles of the headline figures).
 */
export {
  type Aggregate,
  type AggregatePoint,
  aggregate,
  type MetricStats,
  OUTPUT_FILES,
  type RunOutcome,
  SWEEP_DEFAULTS,
  SWEEP_METRICS,
  type SweepLayout,
  type SweepMetric,
  stringifyAggregate,
} from '../reports/sweep/index.ts';
export { type GridAxis, type GridValue, parseGrid, parseGridArg, SweepError } from './grid.ts';
export { MANIFEST_FILE, readManifest, type SweepManifest } from './manifest.ts';
export { checkShards, type MergeResult, mergeSweeps } from './merge.ts';
export { parseShard, planSweep, type Shard, type SweepPlan, type SweepRun, shardRuns } from './plan-sweep.ts';
export { type RunSweepOptions, runSweep, type SweepResult, type SweepRunEvent } from './run-sweep.ts';
