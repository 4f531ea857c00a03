/**
 * Sweeps: a scenario run over a grid of settings × seeds in parallel worker processes, sharded over
 * machines if need be, and aggregated per grid point (quantiles of the headline figures).
 */
export type { Aggregate, AggregatePoint, MetricStats, RunOutcome, SweepLayout } from './aggregate.ts';
export { aggregate, stringifyAggregate } from './aggregate.ts';
export { type GridAxis, type GridValue, parseGrid, parseGridArg, SweepError } from './grid.ts';
export { MANIFEST_FILE, readManifest, type SweepManifest } from './manifest.ts';
export { checkShards, type MergeResult, mergeSweeps } from './merge.ts';
export { parseShard, planSweep, type Shard, type SweepPlan, type SweepRun, shardRuns } from './plan-sweep.ts';
export { type RunSweepOptions, runSweep, type SweepResult, type SweepRunEvent } from './run-sweep.ts';
export { SWEEP_DEFAULTS, SWEEP_METRICS, type SweepMetric } from './settings.ts';
export { OUTPUT_FILES } from './write-outputs.ts';
