/**
 * Row types of the run-store tables, keyed by SQL column name, as `RunStore.all()` returns them
 * for `SELECT * FROM <table>` (BIGINT milliseconds come back as numbers) and as
 * `RunStoreWriter.insertRows()` takes them (nullable columns may be left out).
 */
import type { AddressStatusName, Disposition, FailureType, Impact, SmtpPhase } from '../core/types.ts';

/** `run_meta`: key/value facts about the run. */
export interface RunMetaRow {
  key: string;
  value: string;
}

/** `recipients`: one targeted recipient with the simulator's ground truth. */
export interface RecipientRow {
  id: number;
  address: string;
  domain: string;
  truth: string;
  complainer: boolean;
  initial_status: AddressStatusName;
  control_group: boolean;
}

/** `deliveries`: one send job of the scenario. */
export interface DeliveryRow {
  id: number;
  name: string;
  start_ms: number;
  validity_ms: number;
  retry_policy: string;
  mode: 'legacy' | 'enhanced';
}

/** Delivery log status names (SPEC §8). */
export type LogStatusName = 'pending' | 'sent' | 'failed' | 'ignored' | 'cancelled' | 'takenIntoAccount';

/** `delivery_log`: final state of one (delivery, recipient). */
export interface DeliveryLogRow {
  delivery_id: number;
  recipient_id: number;
  address: string;
  domain: string;
  status: LogStatusName;
  type: FailureType | null;
  reason: number | null;
  excluded: boolean;
  text: string | null;
  attempts: number;
  first_attempt_ms: number | null;
  last_attempt_ms: number | null;
  delivered_ms: number | null;
}

/** Outcome of one attempt. */
export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'expired';

/** `attempts`: one SMTP attempt (or DNS failure) with its qualification. */
export interface AttemptRow {
  t: number;
  delivery_id: number;
  recipient_id: number;
  attempt: number;
  domain: string;
  local_ip: string | null;
  mx_ip: string | null;
  phase: SmtpPhase;
  code: number | null;
  enhanced: string | null;
  text: string;
  type: FailureType | null;
  reason: number | null;
  impact: Impact;
  disposition: Disposition | null;
  rule: string | null;
  bounce_class: number | null;
  outcome: AttemptOutcome;
}

/** Kind of an async event read by inMail. */
export type InmailKind = 'dsn' | 'arf' | 'autoreply' | 'delivered' | 'unknown';

/** How an async event was matched to its message (core/mta/async-match.ts); 'none': unmatched. */
export type MatchByName = 'none' | 'messageId' | 'header' | 'verp' | 'latest';

/** `inmail`: one bounce mail, complaint or auto-reply. */
export interface InmailRow {
  t: number;
  recipient: string;
  kind: InmailKind;
  type: FailureType | null;
  reason: number | null;
  impact: Impact;
  status: string | null;
  text: string | null;
  matched_by: MatchByName;
  delivery_id: number | null;
  recipient_id: number | null;
}

/** `quarantine`: one address at the end of the run. */
export interface QuarantineRow {
  address: string;
  status: AddressStatusName;
  error_count: number;
  reason: number | null;
  text: string | null;
  first_error_ms: number | null;
  last_error_ms: number | null;
  updated_ms: number;
}

/** What changed a quarantine status. */
export type QuarantineCause = 'sync' | 'async' | 'complaint' | 'cleanup' | 'remediation' | 'initial';

/** `quarantine_history`: one status transition. */
export interface QuarantineHistoryRow {
  t: number;
  address: string;
  old_status: AddressStatusName;
  new_status: AddressStatusName;
  reason: number | null;
  text: string | null;
  rule: string | null;
  cause: QuarantineCause;
}

/** `qualification`: one row of the delivery log qualification table (SPEC §6.1). */
export interface QualificationRow {
  normalized: string;
  first_text: string;
  occurrences: number;
  type: FailureType;
  reason: number;
  status: 'toQualify' | 'keep' | 'ignore';
}

/** `throughput`: sends per 5-minute slice, domain and local IP. */
export interface ThroughputRow {
  slice_ms: number;
  domain: string;
  local_ip: string;
  attempts: number;
  delivered: number;
  deferred: number;
  failed: number;
}

/** Kind of a suspension. */
export type SuspensionKind = 'suspend' | 'block' | 'throttle' | 'pathDown' | 'delayQueue';

/** `suspensions`: a suspension, block, throttle or unavailable path. */
export interface SuspensionRow {
  kind: SuspensionKind;
  domain: string;
  local_ip: string | null;
  mx_ip: string | null;
  start_ms: number;
  end_ms: number;
  rule: string | null;
  text: string | null;
}

/** `actions`: one operator action of the scenario's timeline and what it did. */
export interface ActionRow {
  t: number;
  kind: string;
  target: string | null;
  outcome: string;
  affected: number;
  detail: string | null;
}

/** Row type of each table, by table name. */
export interface TableRows {
  run_meta: RunMetaRow;
  recipients: RecipientRow;
  deliveries: DeliveryRow;
  delivery_log: DeliveryLogRow;
  attempts: AttemptRow;
  inmail: InmailRow;
  quarantine: QuarantineRow;
  quarantine_history: QuarantineHistoryRow;
  qualification: QualificationRow;
  throughput: ThroughputRow;
  suspensions: SuspensionRow;
  actions: ActionRow;
}

/** What `insertRows` takes: a row with its nullable columns optional. */
export type InsertRow<R> = { [K in keyof R as null extends R[K] ? never : K]: R[K] } & {
  [K in keyof R as null extends R[K] ? K : never]?: R[K];
};
