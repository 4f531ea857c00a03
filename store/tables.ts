/**
 * THE declaration of the run store: every table, column, SQL type, NULL rule, enum and note. The rest
 * is generated from it by `npx tsx store/generate.ts`: `schema.sql` (the DDL), `rows.ts` (row types),
 * `table-writers.ts` (one writer per table, `push(row)` unrolled column by column) and the table list
 * of README.md; `generate.test.ts` fails when one of them is stale.
 *
 * A column's kind says how the writer buffers it and which SQL type it has: `i32` (INTEGER), `i64`
 * (BIGINT milliseconds, kept in a Float64Array), `bool`, `str` (VARCHAR with few distinct values:
 * interned to ids, looked up at close), `raw` (VARCHAR, mostly distinct, e.g. addresses: kept as
 * strings) or an enum (stored as its one-byte index). Enum values are core's own name lists, so a
 * value core gains is in the store's enum (and a stale schema.sql fails the test).
 *
 * To add a column: add it here, bump SCHEMA_VERSION (and say why in SCHEMA_HISTORY), run the generator,
 * then fill it where the rows are made (store/run-sink.ts, the runner, ingest/).
 */
import { INMAIL_KINDS } from '../core/inmail/types.ts';
import { MATCH_BY_NAMES } from '../core/mta/async-match.ts';
import { ATTEMPT_OUTCOMES } from '../core/mta/sink.ts';
import { TABLE_STATUSES } from '../core/qualification/table-status.ts';
import { QUARANTINE_CAUSES } from '../core/quarantine/transitions.ts';
import { SUSPENSION_KINDS } from '../core/shaping/suspensions.ts';
import {
  ADDRESS_STATUS_NAMES,
  DISPOSITIONS,
  FAILURE_TYPES,
  IMPACTS,
  LOG_STATUS_NAMES,
  QUALIFICATION_MODES,
  SMTP_PHASES,
} from '../core/types.ts';

/** Bump with any column change; readers refuse a store with another version. */
export const SCHEMA_VERSION = 3;

/** What changed between schema versions (the head comment of schema.sql). */
export const SCHEMA_HISTORY = [
  'Changes (schema_version 1), table and column names unchanged:',
  ' * closed vocabularies from core are DuckDB ENUM types (mx_phase, mx_failure_type, ...).',
  "   They read back as strings and compare with string literals (`WHERE phase = 'rcpt'`, LIKE, IN),",
  '   but they are stored as one byte, which makes writing 1M-row tables several times faster.',
  '   Open vocabularies (domains, IPs, texts, rules, truth) stay VARCHAR.',
  ' * PRIMARY KEYs are dropped from recipients, deliveries and quarantine (index maintenance cost on',
  "   bulk load; uniqueness is the writer's job). run_meta keeps its key.",
  "schema_version 3: the `actions` table (operator actions of the scenario's timeline).",
];

/**
 * The ENUM types, values in declaration order (the stored byte is the index), each core's own list;
 * `ENUM_TYPE_NAMES` is the TypeScript name rows.ts gives its values.
 */
export const ENUMS = {
  mx_phase: SMTP_PHASES,
  mx_failure_type: FAILURE_TYPES,
  mx_impact: IMPACTS,
  mx_disposition: DISPOSITIONS,
  mx_outcome: ATTEMPT_OUTCOMES,
  mx_log_status: LOG_STATUS_NAMES,
  mx_address_status: ADDRESS_STATUS_NAMES,
  mx_inmail_kind: INMAIL_KINDS,
  mx_match_by: MATCH_BY_NAMES,
  mx_cause: QUARANTINE_CAUSES,
  mx_suspension_kind: SUSPENSION_KINDS,
  mx_qualification_status: TABLE_STATUSES,
  mx_mode: QUALIFICATION_MODES,
} as const;

/** Name of one of the ENUM types. */
export type EnumName = keyof typeof ENUMS;

/** A value of an ENUM type. */
export type EnumValue<E extends EnumName> = (typeof ENUMS)[E][number];

/** The TypeScript type name of each enum's values in rows.ts (the same union as core's type). */
export const ENUM_TYPE_NAMES: Readonly<Record<EnumName, string>> = {
  mx_phase: 'SmtpPhase',
  mx_failure_type: 'FailureType',
  mx_impact: 'Impact',
  mx_disposition: 'Disposition',
  mx_outcome: 'AttemptOutcome',
  mx_log_status: 'LogStatusName',
  mx_address_status: 'AddressStatusName',
  mx_inmail_kind: 'InmailKind',
  mx_match_by: 'MatchByName',
  mx_cause: 'QuarantineCause',
  mx_suspension_kind: 'SuspensionKind',
  mx_qualification_status: 'QualificationStatus',
  mx_mode: 'MtaMode',
};

/** How a column is buffered and which SQL type it has. */
export type ColumnKind = 'i32' | 'i64' | 'bool' | 'str' | 'raw' | EnumName;

/**
 * A second push method of a table that leaves this column to the store, computed at close: the
 * writer stages DERIVED (a `str` column) or NULL (a `raw` NOT NULL column) and counts the rows in
 * `counter`; writer.ts's `materialize` says how the column is filled.
 */
export interface DerivedBy {
  /** name of the writer method, taking the row without this column */
  readonly method: string;
  /** name of the writer's counter of such rows */
  readonly counter: string;
  /** the method's doc comment */
  readonly doc: string;
}

/** One column: SQL name, kind, whether NULL is allowed, and what the README and schema.sql say of it. */
export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
  readonly primaryKey?: boolean;
  readonly note?: string;
  readonly derivedBy?: DerivedBy;
}

/** One table: what a row is, and its columns in schema order. */
export interface TableSpec {
  /** one line: the SQL comment and the README's description */
  readonly doc: string;
  /** TypeScript name of the row type in rows.ts */
  readonly row: string;
  readonly columns: readonly ColumnSpec[];
  /** a paragraph the README adds after the table's columns */
  readonly more?: string;
}

type ColumnOptions = Omit<ColumnSpec, 'name' | 'kind' | 'nullable'> & { nullable?: boolean };
const c = (name: string, kind: ColumnKind, o: ColumnOptions = {}): ColumnSpec => ({
  name,
  kind,
  ...o,
  nullable: o.nullable ?? false,
});
/** A nullable column. */
const n = (name: string, kind: ColumnKind, o: ColumnOptions = {}): ColumnSpec =>
  c(name, kind, { ...o, nullable: true });

/** Every table of the store, in schema order. */
export const STORE_TABLES = {
  run_meta: {
    doc: 'key/value facts about the run: schema_version, seed, scenario name, scenario hash, mode, start date, horizon',
    row: 'RunMetaRow',
    columns: [c('key', 'raw', { primaryKey: true }), c('value', 'raw')],
  },
  recipients: {
    doc: "one row per targeted recipient, with the simulator's ground truth (the core never reads it)",
    row: 'RecipientRow',
    columns: [
      c('id', 'i32'),
      c('address', 'raw', { note: "may be '' (reason 7 at preparation)" }),
      c('domain', 'str', {
        derivedBy: {
          method: 'pushDomainFromAddress',
          counter: 'derivedDomainRows',
          doc: "Appends one recipient whose `domain` is what follows the last '@' of `address` (all of it when there is none, so '' for ''), as `address.slice(address.lastIndexOf('@') + 1)` gives: the store computes it at close, instead of a string sliced and interned per row here.",
        },
      }),
      c('truth', 'str', {
        note: 'valid / unknown / mailboxFull / mailboxFullPermanent / disabled / disabledPermanent / invalidDomain / autoResponder',
      }),
      c('complainer', 'bool'),
      c('initial_status', 'mx_address_status', {
        note: 'valid / quarantine / denylisted / allowlisted (quarantine table before the run)',
      }),
      c('control_group', 'bool'),
    ],
  },
  deliveries: {
    doc: 'one row per delivery (send job) of the scenario',
    row: 'DeliveryRow',
    columns: [
      c('id', 'i32'),
      c('name', 'str'),
      c('start_ms', 'i64'),
      c('validity_ms', 'i64', { note: 'effective validity (Enhanced MTA: capped at 3.5 days)' }),
      c('retry_policy', 'str'),
      c('mode', 'mx_mode', { note: 'legacy / enhanced' }),
    ],
  },
  delivery_log: {
    doc: 'the delivery log (SPEC §8): one row per (delivery, recipient), final state at the end of the run',
    row: 'DeliveryLogRow',
    columns: [
      c('delivery_id', 'i32'),
      c('recipient_id', 'i32'),
      c('address', 'raw', {
        derivedBy: {
          method: 'pushFromRecipient',
          counter: 'fromRecipientRows',
          doc: 'Appends one delivery log row whose `address` is the one of the `recipients` row with id `recipient_id`: the store fills it at close by one join instead of a string per row here (the caller vouches they are equal; a recipient id missing from `recipients` fails the close).',
        },
      }),
      c('domain', 'str'),
      c('status', 'mx_log_status', {
        note: 'pending / sent / failed / ignored / cancelled / takenIntoAccount',
      }),
      n('type', 'mx_failure_type', {
        note: 'hard / soft / ignored / undefined, null when sent without error',
      }),
      n('reason', 'i32', { note: 'SPEC §3 value; exclusions at preparation carry 7..17, 25, 127' }),
      c('excluded', 'bool', { note: 'true when preparation excluded the recipient (never sent)' }),
      n('text', 'str', { note: 'last remote text' }),
      c('attempts', 'i32'),
      n('first_attempt_ms', 'i64'),
      n('last_attempt_ms', 'i64'),
      n('delivered_ms', 'i64', { note: 'when the remote server accepted it' }),
    ],
  },
  attempts: {
    doc: 'every SMTP attempt (and DNS failure) with its qualification',
    row: 'AttemptRow',
    columns: [
      c('t', 'i64'),
      c('delivery_id', 'i32'),
      c('recipient_id', 'i32'),
      c('attempt', 'i32', { note: '1 for the first try' }),
      c('domain', 'str'),
      n('local_ip', 'str'),
      n('mx_ip', 'str'),
      c('phase', 'mx_phase', { note: 'dns / connect / ehlo / mail / rcpt / data' }),
      n('code', 'i32'),
      n('enhanced', 'str'),
      c('text', 'str'),
      n('type', 'mx_failure_type', { note: 'null when delivered' }),
      n('reason', 'i32'),
      c('impact', 'mx_impact', { note: 'quarantine / count / none / denylist / ok' }),
      n('disposition', 'mx_disposition', { note: 'transient / permanent' }),
      n('rule', 'str'),
      n('bounce_class', 'i32'),
      c('outcome', 'mx_outcome', { note: 'delivered / retry / failed / expired' }),
    ],
  },
  inmail: {
    doc: 'async events read by inMail: bounce mails, complaints, auto-replies',
    row: 'InmailRow',
    columns: [
      c('t', 'i64'),
      c('recipient', 'raw'),
      c('kind', 'mx_inmail_kind', { note: 'dsn / arf / autoreply / delivered / unknown' }),
      n('type', 'mx_failure_type'),
      n('reason', 'i32'),
      c('impact', 'mx_impact'),
      n('status', 'str', { note: 'DSN status code' }),
      n('text', 'str'),
      c('matched_by', 'mx_match_by', {
        note: 'how it was matched to its message: messageId / header / verp / latest; none: unmatched (changed nothing)',
      }),
      n('delivery_id', 'i32', { note: 'the matched message (delivery_log row), null when unmatched' }),
      n('recipient_id', 'i32'),
    ],
  },
  quarantine: {
    doc: 'the quarantine table at the end of the run (SPEC §5), one row per address ever touched',
    row: 'QuarantineRow',
    columns: [
      c('address', 'raw'),
      c('status', 'mx_address_status', {
        note: 'valid / withErrors / quarantine / denylisted / allowlisted',
      }),
      c('error_count', 'i32'),
      n('reason', 'i32'),
      n('text', 'str'),
      n('first_error_ms', 'i64'),
      n('last_error_ms', 'i64'),
      c('updated_ms', 'i64'),
    ],
  },
  quarantine_history: {
    doc: 'every status transition of the quarantine table: what SPEC §9 remediation queries',
    row: 'QuarantineHistoryRow',
    columns: [
      c('t', 'i64'),
      c('address', 'raw'),
      c('old_status', 'mx_address_status'),
      c('new_status', 'mx_address_status'),
      n('reason', 'i32'),
      n('text', 'str'),
      n('rule', 'str'),
      c('cause', 'mx_cause', { note: 'sync / async / complaint / cleanup / remediation / initial' }),
    ],
  },
  qualification: {
    doc: 'the delivery log qualification table (SPEC §6.1)',
    row: 'QualificationRow',
    columns: [
      c('normalized', 'raw', { primaryKey: true }),
      c('first_text', 'raw'),
      c('occurrences', 'i32', { note: 'capped at 100,000' }),
      c('type', 'mx_failure_type'),
      c('reason', 'i32'),
      c('status', 'mx_qualification_status', { note: 'toQualify / keep / ignore' }),
    ],
  },
  throughput: {
    doc: 'sends per 5-minute slice, domain and local IP',
    row: 'ThroughputRow',
    columns: [
      c('slice_ms', 'i64', { note: 'start of the 5-minute slice' }),
      c('domain', 'str'),
      c('local_ip', 'str'),
      c('attempts', 'i32'),
      c('delivered', 'i32'),
      c('deferred', 'i32'),
      c('failed', 'i32'),
    ],
  },
  suspensions: {
    doc: 'suspensions, error-rate blocks, throttles and unavailable paths',
    row: 'SuspensionRow',
    columns: [
      c('kind', 'mx_suspension_kind', { note: 'suspend / block / throttle / pathDown / delayQueue' }),
      c('domain', 'str'),
      n('local_ip', 'str'),
      n('mx_ip', 'str', { note: 'the MX IP of a pathDown (a (local IP, MX IP) link); null otherwise' }),
      c('start_ms', 'i64'),
      c('end_ms', 'i64'),
      n('rule', 'str'),
      n('text', 'str'),
    ],
    more: "One row per suspension: a decision taken again while the same one (kind, rule, domain, local IP, MX IP) is in force extends that row's `end_ms` instead of adding a row (`core/shaping/suspensions.ts`).",
  },
  actions: {
    doc: "operator actions of the scenario's timeline (issue #24), in the order they ran",
    row: 'ActionRow',
    columns: [
      c('t', 'i64'),
      c('kind', 'str', {
        note: 'stopDelivery / addSuspension / cancelSuspension / setRules / reviewEntry / setMode / runCleanup / skipCleanup',
      }),
      n('target', 'raw', { note: 'the delivery, domain, rule path, table text or mode it acts on' }),
      c('outcome', 'str', {
        note: 'stopped / handedOver / notStarted / alreadyStopped / applied / notFound / none',
      }),
      c('affected', 'i32', {
        note: 'messages cancelled, suspensions added or lifted, entries changed, deliveries moved to the new mode',
      }),
      n('detail', 'raw', { note: 'one line for people' }),
    ],
  },
} as const satisfies Record<string, TableSpec>;

/** Name of a store table. */
export type TableName = keyof typeof STORE_TABLES;

/** The columns of every table, in schema order (what the writer buffers). */
export const TABLES = Object.fromEntries(
  Object.entries(STORE_TABLES).map(([t, spec]) => [t, spec.columns]),
) as { readonly [T in TableName]: (typeof STORE_TABLES)[T]['columns'] };

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
