/**
 * The reports of a sweep: the aggregate per grid point (quantiles of the headline figures over the
 * seeds) and its renderings, computed from the run folders the sweep runner (top-level `sweep/`)
 * wrote. Nothing here runs a simulation or imports the runner. What the sweep runner needs is
 * exported here; the renderers and statistics are reached through `collectAndWrite`.
 */
export type { Aggregate, AggregatePoint, MetricStats } from './aggregate.ts';
export { aggregate, stringifyAggregate } from './aggregate.ts';
export { type GridValue, type RunOutcome, type SweepLayout, type SweepRun, valueText } from './layout.ts';
export { ERROR_FILE, SUMMARY_FILE } from './outcomes.ts';
export { SWEEP_DEFAULTS, SWEEP_METRICS, type SweepMetric } from './settings.ts';
export { collectAndWrite, OUTPUT_FILES } from './write-outputs.ts';
