/**
 * mxlab reports: metrics as pure functions over a run store, the versioned summary, renderers
 * (Markdown, HTML with SVG charts, CSV), compare with `--fail-on`, and SPEC §9 remediation.
 * Reports read only the run store (store/schema.sql); they never run a simulation.
 */

export {
  type CompareResult,
  compareRuns,
  type MetricDelta,
  quarantinedAddresses,
  renderCompareJson,
  renderCompareMarkdown,
} from './compare.ts';
export { csvField, escapeHtml, escapeMarkdownCell } from './escape.ts';
export {
  evaluateFailOn,
  type FailOnCondition,
  FailOnError,
  type FailOnResult,
  parseFailOn,
} from './fail-on.ts';
export { type FeedbackCounts, feedbackCounts } from './feedback.ts';
export {
  type AddressFinding,
  falseQuarantineList,
  missedQuarantineList,
  type QuarantineAccuracy,
  quarantineAccuracy,
} from './ground-truth.ts';
export { type HeadlineLine, headlineLines } from './headline.ts';
export { type FalseQuarantineIncident, falseQuarantineIncidents, formatWindow } from './incidents.ts';
export {
  type KpiCurves,
  kpiCurves,
  REPORTING_MODE_NAMES,
  REPORTING_MODES,
  type ReportingMode,
} from './kpi.ts';
export { type MessageCounts, messageCounts, type ReasonCount } from './messages.ts';
export { type MetricValue, metricMap } from './metric-map.ts';
export { type BlockPeriod, blockPeriods, type DeferralPeriod, deferralPeriods } from './periods.ts';
export {
  type QualificationEntry,
  type QualificationSummary,
  qualificationSummary,
  qualificationTable,
} from './qualification-table.ts';
export {
  type QuarantineByDomain,
  type QuarantineByReason,
  type QuarantineFact,
  type QuarantineOverTime,
  type QuarantineRate,
  quarantineByDomain,
  quarantineByReason,
  quarantineFacts,
  quarantineOverTime,
  quarantineRate,
} from './quarantine.ts';
export {
  applyRemediation,
  planRemediation,
  RemediationError,
  type RemediationPlan,
  type RemediationQuery,
  type RemediationRow,
  remediationSql,
} from './remediate.ts';
export { renderCsv, toCsv } from './render-csv.ts';
export { renderHtml } from './render-html.ts';
export { renderMarkdown } from './render-markdown.ts';
export { collectReport, type ReportData, type ReportLinks } from './report-data.ts';
export {
  type AttemptDelay,
  type Histogram,
  type Percentiles,
  type RetryTiming,
  retryTiming,
} from './retries.ts';
export { type RunFacts, runFacts } from './run-meta.ts';
export { DEFAULT_REPORT_SETTINGS, type ReportSettings, reportSettings } from './settings.ts';
export type { ReportStore, SqlParam } from './store-port.ts';
export {
  buildSummary,
  completedAt,
  SUMMARY_SCHEMA_VERSION,
  type Summary,
  SummarySchema,
  stringifySummary,
} from './summary.ts';
export {
  type DomainThroughput,
  domainThroughput,
  type PeakHour,
  peakHour,
  type ThroughputCell,
  type ThroughputSeries,
  throughputByDomain,
  throughputPerHour,
  throughputSeries,
} from './throughput.ts';
export { formatDurationShort, formatTimeNotation, parseTimeNotation } from './time-notation.ts';
export { type WrittenReport, writeReport } from './write-report.ts';
