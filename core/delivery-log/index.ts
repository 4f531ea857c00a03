/** Delivery log and KPIs (SPEC §8): one lifecycle, three reporting modes, success curves over time. */
export { DeliveryLog, type DeliveryLogRow, type LogQualification } from './delivery-log.ts';
export {
  computeKpis,
  DEFAULT_KPI_SETTINGS,
  type DeliveryKpis,
  type KpiSettings,
  kpiSettingsSchema,
} from './kpis.ts';
export {
  isAttemptEvent,
  isProcessed,
  LOG_EVENT_NAMES,
  LogEvent,
  type LogEventCode,
  nextPhase,
  PHASE_COUNT,
  Phase,
  type PhaseCode,
  REPORTING_MODES,
  type ReportingMode,
  statusOf,
} from './lifecycle.ts';
export {
  DEFAULT_SUCCESS_SERIES_SETTINGS,
  type ModeSeries,
  SuccessSeries,
  type SuccessSeriesResult,
  type SuccessSeriesSettings,
  successSeriesSettingsSchema,
} from './success-series.ts';
