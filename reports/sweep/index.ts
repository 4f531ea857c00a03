/**
 * The reports of a sweep: the aggregate per grid point (quantiles of the headline figures over the
 * seeds) and its renderings, computed from the run folders the sweep runner (top-level `sweep/`)
 * wrote. Nothing here runs a simulation or imports the runner.
 */
export type { Aggregate, AggregatePoint, MetricStats, RunCounts } from './aggregate.ts';
export { aggregate, stringifyAggregate } from './aggregate.ts';
export { type GridValue, type RunOutcome, type SweepLayout, type SweepRun, valueText } from './layout.ts';
export { ERROR_FILE, readOutcome, SUMMARY_FILE } from './outcomes.ts';
export { renderAggregateHtml } from './render-html.ts';
export { renderAggregateMarkdown } from './render-markdown.ts';
export { SWEEP_DEFAULTS, SWEEP_METRICS, type SweepMetric } from './settings.ts';
export { fixed, quantile, sortedNumbers } from './stats.ts';
export { summariesJsonl, summaryRow, writeSummariesParquet } from './summaries.ts';
export { collectAndWrite, collectOutcomes, OUTPUT_FILES } from './write-outputs.ts';
