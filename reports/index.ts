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
} from './compare/compare.ts';
export {
  evaluateFailOn,
  type FailOnCondition,
  FailOnError,
  type FailOnResult,
  parseFailOn,
} from './compare/fail-on.ts';
export { type MetricValue, metricMap } from './compare/metric-map.ts';
export { renderCsv, toCsv } from './csv/render-csv.ts';
export { csvField, escapeHtml, escapeMarkdownCell } from './format/escape.ts';
export { formatDurationShort, formatTimeNotation, parseTimeNotation } from './format/time-notation.ts';
export { renderHtml } from './html/render-html.ts';
export { renderMarkdown } from './markdown/render-markdown.ts';
export { type FeedbackCounts, feedbackCounts } from './metrics/feedback.ts';
export {
  type AddressFinding,
  falseQuarantineList,
  missedQuarantineList,
  type QuarantineAccuracy,
  quarantineAccuracy,
} from './metrics/ground-truth.ts';
export { type FalseQuarantineIncident, falseQuarantineIncidents, formatWindow } from './metrics/incidents.ts';
export {
  type KpiCurves,
  kpiCurves,
  REPORTING_MODE_NAMES,
  REPORTING_MODES,
  type ReportingMode,
} from './metrics/kpi.ts';
export { type MessageCounts, messageCounts, type ReasonCount } from './metrics/messages.ts';
export { type BlockPeriod, blockPeriods, type DeferralPeriod, deferralPeriods } from './metrics/periods.ts';
export {
  type QualificationEntry,
  type QualificationSummary,
  qualificationSummary,
  qualificationTable,
} from './metrics/qualification-table.ts';
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
} from './metrics/quarantine.ts';
export {
  type AttemptDelay,
  type Histogram,
  type Percentiles,
  type RetryTiming,
  retryTiming,
} from './metrics/retries.ts';
export { type RunFacts, runFacts } from './metrics/run-meta.ts';
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
} from './metrics/throughput.ts';
export {
  applyRemediation,
  planRemediation,
  RemediationError,
  type RemediationPlan,
  type RemediationQuery,
  type RemediationRow,
  remediationSql,
} from './remediate/remediate.ts';
export { collectReport, type ReportData, type ReportLinks } from './report-data.ts';
export { DEFAULT_REPORT_SETTINGS, type ReportSettings, reportSettings } from './settings.ts';
export type { ReportStore, SqlParam } from './store-port.ts';
export { type HeadlineLine, headlineLines } from './summary/headline.ts';
export {
  buildSummary,
  completedAt,
  SUMMARY_SCHEMA_VERSION,
  type Summary,
  SummarySchema,
  stringifySummary,
} from './summary/summary.ts';
export { type WrittenReport, writeReport } from './write-report.ts';
