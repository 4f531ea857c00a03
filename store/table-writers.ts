/**
 * One writer per table: `push(...)` with positional arguments (no object per row) encodes the values
 * into the table's columnar buffer and flushes it when full; `insert(row)` does the same from a row
 * object keyed by SQL column name (for small tables and tests).
 */
import type { AddressStatusName, Disposition, FailureType, Impact, SmtpPhase } from '../core/types.ts';
import { bool, enumCode, i32, i64, strId } from './encode.ts';
import { StoreError } from './errors.ts';
import { Interner } from './interner.ts';
import type {
  AttemptOutcome,
  InmailKind,
  LogStatusName,
  MatchByName,
  QuarantineCause,
  SuspensionKind,
} from './rows.ts';
import { TableBuffer } from './table-buffer.ts';
import { type ColumnSpec, type EnumName, TABLES, type TableName } from './tables.ts';

type Str = string | null | undefined;

/** Staged id of a `str` column whose value the store computes at close (NULL is -1, real ids >= 0). */
export const DERIVED = -2;
type Num = number | null | undefined;

/** Buffered writer of one table; `flush` is called with the table when the buffer is full. */
export class TableWriter {
  readonly buf: TableBuffer;
  readonly specs: readonly ColumnSpec[];
  /** rows pushed since creation */
  count = 0;
  private readonly where: string[];

  /** one interner per `str` column (undefined for other columns) */
  readonly interners: (Interner | undefined)[];

  constructor(
    readonly table: TableName,
    internLimit: number,
    flushRows: number,
    protected readonly onFull: (w: TableWriter) => void,
  ) {
    this.specs = TABLES[table];
    this.buf = new TableBuffer(this.specs, flushRows);
    this.where = this.specs.map((s) => `${table}.${s.name}`);
    this.interners = this.specs.map((s) => (s.kind === 'str' ? new Interner(internLimit) : undefined));
  }

  /** Appends one row given as an object keyed by column name (missing nullable columns are NULL). */
  insert(row: Record<string, unknown>): void {
    const b = this.buf;
    const codes = this.specs.map((s, c) => this.encode(s, row[s.name], this.where[c]!));
    const i = b.next();
    for (let c = 0; c < codes.length; c++) b.cols[c]![i] = codes[c]!;
    this.done();
  }

  private encode(s: ColumnSpec, v: unknown, where: string): number | string | null {
    switch (s.kind) {
      case 'i32':
        return i32(v as Num, s.nullable, where);
      case 'i64':
        return i64(v as Num, s.nullable, where);
      case 'bool':
        return bool(v as boolean, where);
      case 'str':
      case 'raw':
        return this.s(v as Str, this.specs.indexOf(s));
      default:
        return enumCode(s.kind as EnumName, v as Str, s.nullable, where);
    }
  }

  /** Counts the row and flushes when the buffer is full. */
  protected done(): void {
    this.count++;
    if (this.buf.full) this.onFull(this);
  }

  /** Interned id of a `str` column value, or the string itself (or null) for a `raw` column. */
  protected s(v: Str, c: number): number | string | null {
    const interner = this.interners[c];
    if (interner) return strId(interner, v, this.specs[c]!.nullable, this.where[c]!);
    if (v == null) {
      if (this.specs[c]!.nullable) return null;
      throw new StoreError(`${this.where[c]}: NULL in a NOT NULL column`);
    }
    if (typeof v !== 'string') throw new StoreError(`${this.where[c]}: expected a string, got ${typeof v}`);
    return v;
  }
  protected e(v: Str, c: number): number {
    const s = this.specs[c]!;
    return enumCode(s.kind as EnumName, v, s.nullable, this.where[c]!);
  }
  protected n(v: Num, c: number): number {
    return i32(v, this.specs[c]!.nullable, this.where[c]!);
  }
  protected m(v: Num, c: number): number {
    return i64(v, this.specs[c]!.nullable, this.where[c]!);
  }
  protected b(v: boolean, c: number): number {
    return bool(v, this.where[c]!);
  }
}

/** `attempts`: one SMTP attempt. */
export class AttemptsWriter extends TableWriter {
  /** Appends one attempt; `null` for the nullable columns. */
  push(
    t: number,
    deliveryId: number,
    recipientId: number,
    attempt: number,
    domain: string,
    localIp: string | null,
    mxIp: string | null,
    phase: SmtpPhase,
    code: number | null,
    enhanced: string | null,
    text: string,
    type: FailureType | null,
    reason: number | null,
    impact: Impact,
    disposition: Disposition | null,
    rule: string | null,
    bounceClass: number | null,
    outcome: AttemptOutcome,
  ): void {
    const v0 = this.m(t, 0);
    const v1 = this.n(deliveryId, 1);
    const v2 = this.n(recipientId, 2);
    const v3 = this.n(attempt, 3);
    const v4 = this.s(domain, 4);
    const v5 = this.s(localIp, 5);
    const v6 = this.s(mxIp, 6);
    const v7 = this.e(phase, 7);
    const v8 = this.n(code, 8);
    const v9 = this.s(enhanced, 9);
    const v10 = this.s(text, 10);
    const v11 = this.e(type, 11);
    const v12 = this.n(reason, 12);
    const v13 = this.e(impact, 13);
    const v14 = this.e(disposition, 14);
    const v15 = this.s(rule, 15);
    const v16 = this.n(bounceClass, 16);
    const v17 = this.e(outcome, 17);
    const b = this.buf;
    const i = b.next();
    const c = b.cols;
    c[0]![i] = v0;
    c[1]![i] = v1;
    c[2]![i] = v2;
    c[3]![i] = v3;
    c[4]![i] = v4;
    c[5]![i] = v5;
    c[6]![i] = v6;
    c[7]![i] = v7;
    c[8]![i] = v8;
    c[9]![i] = v9;
    c[10]![i] = v10;
    c[11]![i] = v11;
    c[12]![i] = v12;
    c[13]![i] = v13;
    c[14]![i] = v14;
    c[15]![i] = v15;
    c[16]![i] = v16;
    c[17]![i] = v17;
    this.done();
  }
}

/** `recipients`: one targeted recipient with ground truth. */
export class RecipientsWriter extends TableWriter {
  /** Appends one recipient. */
  push(
    id: number,
    address: string,
    domain: string,
    truth: string,
    complainer: boolean,
    initialStatus: AddressStatusName,
    controlGroup: boolean,
  ): void {
    const v0 = this.n(id, 0);
    const v1 = this.s(address, 1);
    const v2 = this.s(domain, 2);
    const v3 = this.s(truth, 3);
    const v4 = this.b(complainer, 4);
    const v5 = this.e(initialStatus, 5);
    const v6 = this.b(controlGroup, 6);
    const b = this.buf;
    const i = b.next();
    const c = b.cols;
    c[0]![i] = v0;
    c[1]![i] = v1;
    c[2]![i] = v2;
    c[3]![i] = v3;
    c[4]![i] = v4;
    c[5]![i] = v5;
    c[6]![i] = v6;
    this.done();
  }

  /** rows whose domain the store derives from the address at close (see `pushDomainFromAddress`) */
  derivedDomainRows = 0;

  /**
   * Appends one recipient whose `domain` is what follows the last '@' of `address` (all of it when
   * there is none, so '' for ''), as `address.slice(address.lastIndexOf('@') + 1)` gives: the store
   * computes it at close, instead of a string sliced and interned per row here.
   */
  pushDomainFromAddress(
    id: number,
    address: string,
    truth: string,
    complainer: boolean,
    initialStatus: AddressStatusName,
    controlGroup: boolean,
  ): void {
    const v0 = this.n(id, 0);
    const v1 = this.s(address, 1);
    const v3 = this.s(truth, 3);
    const v4 = this.b(complainer, 4);
    const v5 = this.e(initialStatus, 5);
    const v6 = this.b(controlGroup, 6);
    const b = this.buf;
    const i = b.next();
    const c = b.cols;
    c[0]![i] = v0;
    c[1]![i] = v1;
    c[2]![i] = DERIVED;
    c[3]![i] = v3;
    c[4]![i] = v4;
    c[5]![i] = v5;
    c[6]![i] = v6;
    this.derivedDomainRows++;
    this.done();
  }
}

/** `delivery_log`: final state of one (delivery, recipient). */
export class DeliveryLogWriter extends TableWriter {
  /** Appends one delivery log row. */
  push(
    deliveryId: number,
    recipientId: number,
    address: string,
    domain: string,
    status: LogStatusName,
    type: FailureType | null,
    reason: number | null,
    excluded: boolean,
    text: string | null,
    attempts: number,
    firstAttemptMs: number | null,
    lastAttemptMs: number | null,
    deliveredMs: number | null,
  ): void {
    const v2 = this.s(address, 2);
    this.row(
      deliveryId,
      recipientId,
      v2,
      domain,
      status,
      type,
      reason,
      excluded,
      text,
      attempts,
      firstAttemptMs,
      lastAttemptMs,
      deliveredMs,
    );
  }

  /** rows whose address is taken from `recipients` at close (see `pushFromRecipient`) */
  fromRecipientRows = 0;

  /**
   * Appends one delivery log row whose `address` is the one of the `recipients` row with id
   * `recipientId`: the store fills it at close by one join instead of a string per row here (the
   * caller vouches they are equal; a recipient id missing from `recipients` fails the close).
   */
  pushFromRecipient(
    deliveryId: number,
    recipientId: number,
    domain: string,
    status: LogStatusName,
    type: FailureType | null,
    reason: number | null,
    excluded: boolean,
    text: string | null,
    attempts: number,
    firstAttemptMs: number | null,
    lastAttemptMs: number | null,
    deliveredMs: number | null,
  ): void {
    // NULL in the staging table (a NOT NULL column, so push() never stages one): "from recipients"
    this.row(
      deliveryId,
      recipientId,
      null,
      domain,
      status,
      type,
      reason,
      excluded,
      text,
      attempts,
      firstAttemptMs,
      lastAttemptMs,
      deliveredMs,
    );
    this.fromRecipientRows++;
  }

  /** One row of either kind, its address column already encoded (`null`: from recipients). */
  private row(
    deliveryId: number,
    recipientId: number,
    address: number | string | null,
    domain: string,
    status: LogStatusName,
    type: FailureType | null,
    reason: number | null,
    excluded: boolean,
    text: string | null,
    attempts: number,
    firstAttemptMs: number | null,
    lastAttemptMs: number | null,
    deliveredMs: number | null,
  ): void {
    const v0 = this.n(deliveryId, 0);
    const v1 = this.n(recipientId, 1);
    const v3 = this.s(domain, 3);
    const v4 = this.e(status, 4);
    const v5 = this.e(type, 5);
    const v6 = this.n(reason, 6);
    const v7 = this.b(excluded, 7);
    const v8 = this.s(text, 8);
    const v9 = this.n(attempts, 9);
    const v10 = this.m(firstAttemptMs, 10);
    const v11 = this.m(lastAttemptMs, 11);
    const v12 = this.m(deliveredMs, 12);
    const b = this.buf;
    const i = b.next();
    const c = b.cols;
    c[0]![i] = v0;
    c[1]![i] = v1;
    c[2]![i] = address;
    c[3]![i] = v3;
    c[4]![i] = v4;
    c[5]![i] = v5;
    c[6]![i] = v6;
    c[7]![i] = v7;
    c[8]![i] = v8;
    c[9]![i] = v9;
    c[10]![i] = v10;
    c[11]![i] = v11;
    c[12]![i] = v12;
    this.done();
  }
}

/** `quarantine_history`: one status transition. */
export class QuarantineHistoryWriter extends TableWriter {
  /** Appends one transition. */
  push(
    t: number,
    address: string,
    oldStatus: AddressStatusName,
    newStatus: AddressStatusName,
    reason: number | null,
    text: string | null,
    rule: string | null,
    cause: QuarantineCause,
  ): void {
    const v0 = this.m(t, 0);
    const v1 = this.s(address, 1);
    const v2 = this.e(oldStatus, 2);
    const v3 = this.e(newStatus, 3);
    const v4 = this.n(reason, 4);
    const v5 = this.s(text, 5);
    const v6 = this.s(rule, 6);
    const v7 = this.e(cause, 7);
    const b = this.buf;
    const i = b.next();
    const c = b.cols;
    c[0]![i] = v0;
    c[1]![i] = v1;
    c[2]![i] = v2;
    c[3]![i] = v3;
    c[4]![i] = v4;
    c[5]![i] = v5;
    c[6]![i] = v6;
    c[7]![i] = v7;
    this.done();
  }
}

/** `quarantine`: one address at the end of the run. */
export class QuarantineWriter extends TableWriter {
  /** Appends one address. */
  push(
    address: string,
    status: AddressStatusName,
    errorCount: number,
    reason: number | null,
    text: string | null,
    firstErrorMs: number | null,
    lastErrorMs: number | null,
    updatedMs: number,
  ): void {
    const v0 = this.s(address, 0);
    const v1 = this.e(status, 1);
    const v2 = this.n(errorCount, 2);
    const v3 = this.n(reason, 3);
    const v4 = this.s(text, 4);
    const v5 = this.m(firstErrorMs, 5);
    const v6 = this.m(lastErrorMs, 6);
    const v7 = this.m(updatedMs, 7);
    const b = this.buf;
    const i = b.next();
    const c = b.cols;
    c[0]![i] = v0;
    c[1]![i] = v1;
    c[2]![i] = v2;
    c[3]![i] = v3;
    c[4]![i] = v4;
    c[5]![i] = v5;
    c[6]![i] = v6;
    c[7]![i] = v7;
    this.done();
  }
}

/** `throughput`: sends per slice, domain and local IP. */
export class ThroughputWriter extends TableWriter {
  /** Appends one slice. */
  push(
    sliceMs: number,
    domain: string,
    localIp: string,
    attempts: number,
    delivered: number,
    deferred: number,
    failed: number,
  ): void {
    const v0 = this.m(sliceMs, 0);
    const v1 = this.s(domain, 1);
    const v2 = this.s(localIp, 2);
    const v3 = this.n(attempts, 3);
    const v4 = this.n(delivered, 4);
    const v5 = this.n(deferred, 5);
    const v6 = this.n(failed, 6);
    const b = this.buf;
    const i = b.next();
    const c = b.cols;
    c[0]![i] = v0;
    c[1]![i] = v1;
    c[2]![i] = v2;
    c[3]![i] = v3;
    c[4]![i] = v4;
    c[5]![i] = v5;
    c[6]![i] = v6;
    this.done();
  }
}

/** `inmail`: one async event. */
export class InmailWriter extends TableWriter {
  /** Appends one event. */
  push(
    t: number,
    recipient: string,
    kind: InmailKind,
    type: FailureType | null,
    reason: number | null,
    impact: Impact,
    status: string | null,
    text: string | null,
    matchedBy: MatchByName,
    deliveryId: number | null,
    recipientId: number | null,
  ): void {
    const v0 = this.m(t, 0);
    const v1 = this.s(recipient, 1);
    const v2 = this.e(kind, 2);
    const v3 = this.e(type, 3);
    const v4 = this.n(reason, 4);
    const v5 = this.e(impact, 5);
    const v6 = this.s(status, 6);
    const v7 = this.s(text, 7);
    const v8 = this.e(matchedBy, 8);
    const v9 = this.n(deliveryId, 9);
    const v10 = this.n(recipientId, 10);
    const b = this.buf;
    const i = b.next();
    const c = b.cols;
    c[0]![i] = v0;
    c[1]![i] = v1;
    c[2]![i] = v2;
    c[3]![i] = v3;
    c[4]![i] = v4;
    c[5]![i] = v5;
    c[6]![i] = v6;
    c[7]![i] = v7;
    c[8]![i] = v8;
    c[9]![i] = v9;
    c[10]![i] = v10;
    this.done();
  }
}

/** `suspensions`: one suspension, block, throttle or unavailable path. */
export class SuspensionsWriter extends TableWriter {
  /** Appends one suspension. */
  push(
    kind: SuspensionKind,
    domain: string,
    localIp: string | null,
    mxIp: string | null,
    startMs: number,
    endMs: number,
    rule: string | null,
    text: string | null,
  ): void {
    const v0 = this.e(kind, 0);
    const v1 = this.s(domain, 1);
    const v2 = this.s(localIp, 2);
    const v3 = this.s(mxIp, 3);
    const v4 = this.m(startMs, 4);
    const v5 = this.m(endMs, 5);
    const v6 = this.s(rule, 6);
    const v7 = this.s(text, 7);
    const b = this.buf;
    const i = b.next();
    const c = b.cols;
    c[0]![i] = v0;
    c[1]![i] = v1;
    c[2]![i] = v2;
    c[3]![i] = v3;
    c[4]![i] = v4;
    c[5]![i] = v5;
    c[6]![i] = v6;
    c[7]![i] = v7;
    this.done();
  }
}
