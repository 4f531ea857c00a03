/**
 * The column layout of every run-store table, as the writer buffers it. `schema.sql` is the DDL;
 * this file mirrors it column by column (a test checks both agree) and adds how each column is
 * buffered: `i32`, `i64` (milliseconds, kept in a Float64Array), `bool`, `str` (few distinct values:
 * interned to ids, looked up at close), `raw` (mostly distinct, e.g. addresses: kept as strings) or an
 * enum (stored as its one-byte index).
 */

/** Bump with any column change; readers refuse a store with another version. */
export const SCHEMA_VERSION = 3;

/** The ENUM types of schema.sql, values in declaration order (the stored byte is the index). */
export const ENUMS = {
  mx_phase: ['dns', 'connect', 'ehlo', 'mail', 'rcpt', 'data', 'async'],
  mx_failure_type: ['hard', 'soft', 'ignored', 'undefined'],
  mx_impact: ['quarantine', 'count', 'none', 'denylist', 'ok'],
  mx_disposition: ['transient', 'permanent'],
  mx_outcome: ['delivered', 'retry', 'failed', 'expired'],
  mx_log_status: ['pending', 'sent', 'failed', 'ignored', 'cancelled', 'takenIntoAccount'],
  mx_address_status: ['valid', 'withErrors', 'quarantine', 'denylisted', 'allowlisted'],
  mx_inmail_kind: ['dsn', 'arf', 'autoreply', 'delivered', 'unknown'],
  mx_match_by: ['none', 'messageId', 'header', 'verp', 'latest'],
  mx_cause: ['sync', 'async', 'complaint', 'cleanup', 'remediation', 'initial'],
  mx_suspension_kind: ['suspend', 'block', 'throttle', 'pathDown', 'delayQueue'],
  mx_qualification_status: ['toQualify', 'keep', 'ignore'],
  mx_mode: ['legacy', 'enhanced'],
} as const;

/** Name of one of the ENUM types. */
export type EnumName = keyof typeof ENUMS;

/** How a column is buffered and which SQL type it has. */
export type ColumnKind = 'i32' | 'i64' | 'bool' | 'str' | 'raw' | EnumName;

/** One column: SQL name, kind, and whether NULL is allowed. */
export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
}

const c = (name: string, kind: ColumnKind, nullable = false): ColumnSpec => ({ name, kind, nullable });

/** Every table of the store with its columns in schema order. */
export const TABLES = {
  run_meta: [c('key', 'raw'), c('value', 'raw')],
  recipients: [
    c('id', 'i32'),
    c('address', 'raw'),
    c('domain', 'str'),
    c('truth', 'str'),
    c('complainer', 'bool'),
    c('initial_status', 'mx_address_status'),
    c('control_group', 'bool'),
  ],
  deliveries: [
    c('id', 'i32'),
    c('name', 'str'),
    c('start_ms', 'i64'),
    c('validity_ms', 'i64'),
    c('retry_policy', 'str'),
    c('mode', 'mx_mode'),
  ],
  delivery_log: [
    c('delivery_id', 'i32'),
    c('recipient_id', 'i32'),
    c('address', 'raw'),
    c('domain', 'str'),
    c('status', 'mx_log_status'),
    c('type', 'mx_failure_type', true),
    c('reason', 'i32', true),
    c('excluded', 'bool'),
    c('text', 'str', true),
    c('attempts', 'i32'),
    c('first_attempt_ms', 'i64', true),
    c('last_attempt_ms', 'i64', true),
    c('delivered_ms', 'i64', true),
  ],
  attempts: [
    c('t', 'i64'),
    c('delivery_id', 'i32'),
    c('recipient_id', 'i32'),
    c('attempt', 'i32'),
    c('domain', 'str'),
    c('local_ip', 'str', true),
    c('mx_ip', 'str', true),
    c('phase', 'mx_phase'),
    c('code', 'i32', true),
    c('enhanced', 'str', true),
    c('text', 'str'),
    c('type', 'mx_failure_type', true),
    c('reason', 'i32', true),
    c('impact', 'mx_impact'),
    c('disposition', 'mx_disposition', true),
    c('rule', 'str', true),
    c('bounce_class', 'i32', true),
    c('outcome', 'mx_outcome'),
  ],
  inmail: [
    c('t', 'i64'),
    c('recipient', 'raw'),
    c('kind', 'mx_inmail_kind'),
    c('type', 'mx_failure_type', true),
    c('reason', 'i32', true),
    c('impact', 'mx_impact'),
    c('status', 'str', true),
    c('text', 'str', true),
    c('matched_by', 'mx_match_by'),
    c('delivery_id', 'i32', true),
    c('recipient_id', 'i32', true),
  ],
  quarantine: [
    c('address', 'raw'),
    c('status', 'mx_address_status'),
    c('error_count', 'i32'),
    c('reason', 'i32', true),
    c('text', 'str', true),
    c('first_error_ms', 'i64', true),
    c('last_error_ms', 'i64', true),
    c('updated_ms', 'i64'),
  ],
  quarantine_history: [
    c('t', 'i64'),
    c('address', 'raw'),
    c('old_status', 'mx_address_status'),
    c('new_status', 'mx_address_status'),
    c('reason', 'i32', true),
    c('text', 'str', true),
    c('rule', 'str', true),
    c('cause', 'mx_cause'),
  ],
  qualification: [
    c('normalized', 'raw'),
    c('first_text', 'raw'),
    c('occurrences', 'i32'),
    c('type', 'mx_failure_type'),
    c('reason', 'i32'),
    c('status', 'mx_qualification_status'),
  ],
  throughput: [
    c('slice_ms', 'i64'),
    c('domain', 'str'),
    c('local_ip', 'str'),
    c('attempts', 'i32'),
    c('delivered', 'i32'),
    c('deferred', 'i32'),
    c('failed', 'i32'),
  ],
  suspensions: [
    c('kind', 'mx_suspension_kind'),
    c('domain', 'str'),
    c('local_ip', 'str', true),
    c('mx_ip', 'str', true),
    c('start_ms', 'i64'),
    c('end_ms', 'i64'),
    c('rule', 'str', true),
    c('text', 'str', true),
  ],
  actions: [
    c('t', 'i64'),
    c('kind', 'str'),
    c('target', 'raw', true),
    c('outcome', 'str'),
    c('affected', 'i32'),
    c('detail', 'raw', true),
  ],
} as const satisfies Record<string, readonly ColumnSpec[]>;

/** Name of a store table. */
export type TableName = keyof typeof TABLES;

/** SQL type of a column kind, as DuckDB reports it in information_schema. */
export function sqlType(kind: ColumnKind): string {
  switch (kind) {
    case 'i32':
      return 'INTEGER';
    case 'i64':
      return 'BIGINT';
    case 'bool':
      return 'BOOLEAN';
    case 'str':
    case 'raw':
      return 'VARCHAR';
    default:
      return kind;
  }
}
