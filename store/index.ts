/**
 * The run store: one DuckDB file per run that the run writes (`createRunStore`) and reports,
 * compare, remediation and users' SQL read (`openRunStore`). Schema: `schema.sql`, documented in README.md.
 */
export {
  type CheckOptions,
  checkConsistency,
  formatViolations,
  type PathLimit,
  type Violation,
} from './consistency.ts';
export { StoreError } from './errors.ts';
export { STORE_FILE, storeFile } from './paths.ts';
export { type OpenOptions, openRunStore, type RunStore, type SqlParams } from './reader.ts';
export type {
  ActionRow,
  AttemptOutcome,
  AttemptRow,
  DeliveryLogRow,
  DeliveryRow,
  InmailKind,
  InmailRow,
  InsertRow,
  LogStatusName,
  QualificationRow,
  QuarantineCause,
  QuarantineHistoryRow,
  QuarantineRow,
  RecipientRow,
  RunMetaRow,
  SuspensionKind,
  SuspensionRow,
  TableRows,
  ThroughputRow,
} from './rows.ts';
export {
  blankAttemptRow,
  createRunSink,
  type QualificationSource,
  type QuarantineSource,
  quarantineHistoryRow,
  quarantineRow,
  type RunStoreSink,
} from './run-sink.ts';
export { ENUMS, SCHEMA_VERSION, STORE_TABLES, TABLES, type TableName } from './tables.ts';
export {
  createRunStore,
  type RunStoreOptions,
  type RunStoreSummary,
  RunStoreWriter,
  STORE_DEFAULTS,
  schemaSql,
} from './writer.ts';
