/**
 * The quarantine table (SPEC §5): one row per address, case-sensitive, with its status, the soft-error
 * counter and the last error. Addresses get a dense id once ({@link QuarantineTable.idOf}): the id an
 * {@link AddressBook} gives when the table has one (no string kept), else an interned one; every hot
 * method takes the id and works on typed arrays, so 10 million addresses cost 48 bytes each with a
 * book (about 150 without).
 *
 * Driven only by the times passed in: nothing here reads a clock, so the same calls give the same table.
 */

import type { AddressBook } from '../ports.ts';
import {
  AddressStatus,
  type AddressStatusCode,
  type Impact,
  type Millis,
  type Qualification,
  Reason,
} from '../types.ts';
import { AddressIds } from './address-ids.ts';
import { StringInterner } from './interner.ts';
import { type QuarantineSettings, resolveQuarantineSettings } from './settings.ts';
import { describeTransition, isAllowedTransition, type QuarantineCause } from './transitions.ts';

/** One status transition, as the run store's `quarantine_history` keeps it (SPEC §9 remediation queries it). */
export interface QuarantineEvent {
  t: Millis;
  /** dense address id */
  id: number;
  address: string;
  oldStatus: AddressStatusCode;
  newStatus: AddressStatusCode;
  /** the row's last reason at the transition, or null if it never had an error */
  reason: number | null;
  text: string | null;
  rule: string | null;
  cause: QuarantineCause;
  /** the counter after the transition */
  errorCount: number;
}

/** Receives every transition. Called synchronously; keep it cheap. */
export type QuarantineListener = (e: QuarantineEvent) => void;

/** A row for export (run store `quarantine` table). Times are null when the row never had that event. */
export interface QuarantineRow {
  id: number;
  address: string;
  status: AddressStatusCode;
  errorCount: number;
  reason: number | null;
  text: string | null;
  rule: string | null;
  firstErrorMs: Millis | null;
  lastErrorMs: Millis | null;
  lastCountedErrorMs: Millis | null;
  updatedMs: Millis | null;
}

/** A row to {@link QuarantineTable.load}: an exported row without its id; fields an export lacks may be left out. */
export type LoadedQuarantineRow = Omit<
  QuarantineRow,
  'id' | 'rule' | 'firstErrorMs' | 'lastErrorMs' | 'lastCountedErrorMs' | 'updatedMs'
> &
  Partial<Pick<QuarantineRow, 'rule' | 'firstErrorMs' | 'lastErrorMs' | 'lastCountedErrorMs' | 'updatedMs'>>;

/**
 * What {@link QuarantineTable.onError} decided. The table returns the SAME object on every call (no
 * allocation on the hot path): copy the fields you keep before the next call.
 */
export interface ErrorOutcome {
  /** status after the error */
  status: AddressStatusCode;
  /** the reason the delivery log should show: the qualification's, or 25 (Error ignored) for an allowlisted address */
  reason: number;
  /** true when the error moved the counter */
  counted: boolean;
  errorCount: number;
  /** true when the status changed */
  changed: boolean;
}

/** The part of a qualification the table needs. */
export type QuarantineInput = Pick<Qualification, 'impact' | 'reason' | 'rule'>;

const { Valid, WithErrors, Quarantine, Denylisted, Allowlisted } = AddressStatus;
const NO_REASON = 255;

/** The quarantine table. See the module comment; transitions follow {@link ALLOWED_TRANSITIONS}. */
export class QuarantineTable {
  readonly settings: Readonly<QuarantineSettings>;
  private readonly addresses: AddressIds;
  private readonly texts = new StringInterner();
  private readonly rules = new StringInterner();
  private listener: QuarantineListener | null;
  private readonly outcome: ErrorOutcome = {
    status: Valid,
    reason: 0,
    counted: false,
    errorCount: 0,
    changed: false,
  };

  private readonly period: number;
  private readonly threshold: number;
  private readonly resetMs: number;
  private readonly withErrorsMs: number;
  private readonly releaseMs: number;
  private readonly releasable = new Uint8Array(256);

  private cap = 0;
  /**
   * Row storage, interleaved so that one decision touches two cache lines, not nine:
   * `meta[4id]` = status | reason << 8 (reason 255: none), `[4id+1]` = error count, `[4id+2]` = text id,
   * `[4id+3]` = rule id (-1: none); `times[4id..4id+3]` = first error, last error, last counted error,
   * last change (NaN: never). 48 bytes per address.
   */
  private meta = new Int32Array(0);
  private times = new Float64Array(0);

  constructor(
    settings: Partial<QuarantineSettings> = {},
    listener: QuarantineListener | null = null,
    initialCapacity = 1024,
    addressBook: AddressBook | null = null,
  ) {
    this.addresses = new AddressIds(addressBook);
    this.settings = Object.freeze(resolveQuarantineSettings(settings));
    this.listener = listener;
    this.period = this.settings.significantErrorPeriodMs;
    this.threshold = this.settings.threshold;
    this.resetMs = this.settings.counterResetMs;
    this.withErrorsMs = this.settings.cleanupWithErrorsAfterMs;
    this.releaseMs = this.settings.quarantineReleaseAfterMs;
    for (const r of this.settings.releasableReasons) this.releasable[r & 255] = 1;
    // a book's ids are all valid row ids: room for them and a few strangers
    this.grow(Math.max(16, initialCapacity, addressBook === null ? 0 : addressBook.size + 1024));
  }

  /** Replaces the transition listener (null: none). */
  setListener(listener: QuarantineListener | null): void {
    this.listener = listener;
  }

  /** Dense id of an address (exact, case-sensitive), creating a Valid row if new. */
  idOf(address: string): number {
    const id = this.addresses.idOf(address);
    if (id >= this.cap) this.grow(Math.max(id + 1, this.cap * 2));
    return id;
  }

  /**
   * Id of a known address, or -1 (never creates a row). With an address book every address the book
   * knows is known (its row is Valid until something happens to it).
   */
  findId(address: string): number {
    return this.addresses.find(address);
  }

  /** True when `id` is `idOf(address)` (checks a caller's id without creating a row). */
  isIdOf(id: number, address: string): boolean {
    return this.addresses.isIdOf(id, address);
  }

  /** The address of an id. */
  addressOf(id: number): string {
    return this.addresses.valueOf(id);
  }

  /** Number of ids (the address book's, then the interned addresses; ids are 0..size-1). */
  get size(): number {
    return this.addresses.size;
  }

  /** Current status of an address id. */
  status(id: number): AddressStatusCode {
    return (this.meta[id << 2]! & 255) as AddressStatusCode;
  }

  /** Current error counter of an address id. */
  errorCount(id: number): number {
    return this.meta[(id << 2) + 1]!;
  }

  /**
   * Applies a qualified error (sync reply or async bounce). `quarantine` impact quarantines at once,
   * `count` counts when significant (SPEC §5), `denylist` acts as a complaint, `none`/`ok` leave the row
   * alone. An allowlisted address stays allowlisted and the outcome's reason is 25.
   */
  onError(
    id: number,
    q: QuarantineInput,
    text: string | null,
    t: Millis,
    cause: 'sync' | 'async' = 'sync',
  ): ErrorOutcome {
    const out = this.outcome;
    const impact: Impact = q.impact;
    const m = id << 2;
    const meta = this.meta;
    const times = this.times;
    const old = (meta[m]! & 255) as AddressStatusCode;
    out.reason = q.reason;
    out.counted = false;
    out.changed = false;
    if (impact === 'none' || impact === 'ok') {
      out.status = old;
      out.errorCount = meta[m + 1]!;
      return out;
    }
    if (impact === 'denylist') {
      out.status = this.onComplaint(id, text, t);
      out.changed = out.status !== old;
      out.errorCount = meta[m + 1]!;
      if (old === Allowlisted) out.reason = Reason.ErrorIgnored;
      return out;
    }
    // note the error
    if (Number.isNaN(times[m]!)) times[m] = t; // first error
    if (!(times[m + 1]! >= t)) times[m + 1] = t;
    meta[m + 2] = text === null ? -1 : this.texts.idOf(text);
    if (old === Allowlisted) {
      this.setReason(m, q);
      out.reason = Reason.ErrorIgnored;
    } else if (old === Valid || old === WithErrors) {
      const c = meta[m + 1]!;
      if (impact === 'quarantine') {
        meta[m + 1] = c + 1;
        times[m + 2] = t;
        out.counted = true;
        this.setReason(m, q);
        this.transition(id, Quarantine, t, cause);
      } else {
        // impact === 'count'
        let n = c;
        const lastCounted = times[m + 2]!;
        if (n > 0 && t - lastCounted > this.resetMs) n = 0;
        if (n === 0 || t - lastCounted >= this.period) {
          n++;
          times[m + 2] = t;
          out.counted = true;
        }
        meta[m + 1] = n;
        this.setReason(m, q);
        if (n >= this.threshold) this.transition(id, Quarantine, t, cause);
        else if (old === Valid) this.transition(id, WithErrors, t, cause);
      }
    } else if (old === Quarantine && impact === 'quarantine') {
      // a hard error on a quarantined row makes it a hard quarantine (no longer released as mailbox full)
      this.setReason(m, q);
    }
    out.status = (meta[m]! & 255) as AddressStatusCode;
    out.errorCount = meta[m + 1]!;
    out.changed = out.status !== old;
    return out;
  }

  /** A successful delivery: With errors goes back to Valid (counter 0); other statuses are unchanged. */
  onSuccess(id: number, t: Millis, cause: 'sync' | 'async' = 'sync'): AddressStatusCode {
    const m = id << 2;
    if ((this.meta[m]! & 255) === WithErrors) {
      this.meta[m + 1] = 0;
      this.transition(id, Valid, t, cause);
    }
    return (this.meta[m]! & 255) as AddressStatusCode;
  }

  /** A feedback-loop complaint (ARF abuse): Denylisted, except an allowlisted address which stays allowlisted. */
  onComplaint(id: number, text: string | null, t: Millis): AddressStatusCode {
    const m = id << 2;
    const old = this.meta[m]! & 255;
    if (old === Denylisted || old === Allowlisted) return old as AddressStatusCode;
    this.meta[m] = old | (Reason.Denylisted << 8);
    this.meta[m + 2] = text === null ? -1 : this.texts.idOf(text);
    this.meta[m + 3] = -1;
    this.transition(id, Denylisted, t, 'complaint');
    return Denylisted;
  }

  /**
   * Sets the row as imported before the run: `status` and the error counter (`errorCount`, default 0;
   * forced to 0 for Valid and kept below the threshold for With errors and Allowlisted).
   */
  setInitial(id: number, status: AddressStatusCode, t: Millis = 0, errorCount = 0): void {
    if (
      status !== Valid &&
      status !== WithErrors &&
      status !== Quarantine &&
      status !== Denylisted &&
      status !== Allowlisted
    )
      throw new RangeError(`quarantine: setInitial(${this.addressOf(id)}): unknown status ${status}`);
    if (!(Number.isInteger(errorCount) && errorCount >= 0 && errorCount <= 65535))
      throw new RangeError(
        `quarantine: setInitial(${this.addressOf(id)}): errorCount: expected an integer 0..65535, got ${errorCount}`,
      );
    const m = id << 2;
    let c = errorCount;
    if (status === Valid) c = 0;
    else if (status !== Quarantine && status !== Denylisted) c = Math.min(c, this.threshold - 1);
    this.meta[m + 1] = c;
    if ((this.meta[m]! & 255) === status) {
      this.times[m + 3] = t;
      return;
    }
    this.transition(id, status, t, 'initial');
  }

  /**
   * Sets an address's row exactly as an export of this table holds it ({@link row}'s fields; a field
   * the export lacks, like the run store's rule and last counted error, is null), with no transition
   * and no event: how a table written out after a run is read back in to apply the table's own rules
   * to it (remediation, {@link restore}). Loading {@link rows} into an empty table gives the same rows.
   * Returns the address's id.
   */
  load(row: LoadedQuarantineRow): number {
    const { status, errorCount, reason } = row;
    if (!(Number.isInteger(status) && status >= Valid && status <= Allowlisted))
      throw new RangeError(`quarantine: load(${row.address}): unknown status ${status}`);
    if (!(Number.isInteger(errorCount) && errorCount >= 0))
      throw new RangeError(
        `quarantine: load(${row.address}): errorCount: expected an integer >= 0, got ${errorCount}`,
      );
    if (reason !== null && !(Number.isInteger(reason) && reason >= 0 && reason < NO_REASON))
      throw new RangeError(
        `quarantine: load(${row.address}): reason: expected an integer 0..254, got ${reason}`,
      );
    const id = this.idOf(row.address);
    const m = id << 2;
    this.meta[m] = status | ((reason ?? NO_REASON) << 8);
    this.meta[m + 1] = errorCount;
    this.meta[m + 2] = row.text === null ? -1 : this.texts.idOf(row.text);
    this.meta[m + 3] = row.rule == null ? -1 : this.rules.idOf(row.rule);
    this.times[m] = row.firstErrorMs ?? Number.NaN;
    this.times[m + 1] = row.lastErrorMs ?? Number.NaN;
    this.times[m + 2] = row.lastCountedErrorMs ?? Number.NaN;
    this.times[m + 3] = row.updatedMs ?? Number.NaN;
    return id;
  }

  /** Remediation (SPEC §9): any non-Valid status back to Valid with counter 0. Returns false if already Valid. */
  restore(id: number, t: Millis, cause: 'remediation' | 'cleanup' = 'remediation'): boolean {
    const m = id << 2;
    if ((this.meta[m]! & 255) === Valid) return false;
    this.meta[m + 1] = 0;
    this.transition(id, Valid, t, cause);
    return true;
  }

  /**
   * The daily cleanup workflow (SPEC §5): With errors whose last soft error is over the limit goes back
   * to Valid; Quarantine for a releasable reason (Mailbox full) is lifted after the release period;
   * stale counters reset. Nothing else is lifted. Returns how many rows went back to Valid.
   */
  cleanup(t: Millis): number {
    let lifted = 0;
    const n = this.addresses.size;
    const meta = this.meta;
    const times = this.times;
    for (let id = 0; id < n; id++) {
      const m = id << 2;
      const s = meta[m]! & 255;
      if (s === WithErrors) {
        if (t - times[m + 1]! > this.withErrorsMs) {
          meta[m + 1] = 0;
          this.transition(id, Valid, t, 'cleanup');
          lifted++;
        } else if (meta[m + 1]! > 0 && t - times[m + 2]! > this.resetMs) {
          meta[m + 1] = 0;
        }
      } else if (s === Quarantine) {
        const r = (meta[m]! >>> 8) & 255;
        if (r !== NO_REASON && this.releasable[r] === 1 && t - times[m + 3]! >= this.releaseMs) {
          meta[m + 1] = 0;
          this.transition(id, Valid, t, 'cleanup');
          lifted++;
        }
      }
    }
    return lifted;
  }

  /** The row of an id, or null when the address was interned but never had an error or a status. */
  row(id: number): QuarantineRow | null {
    if (id < 0 || id >= this.addresses.size) return null;
    const m = id << 2;
    const times = this.times;
    if (Number.isNaN(times[m + 3]) && Number.isNaN(times[m])) return null;
    return {
      id,
      address: this.addresses.valueOf(id),
      status: (this.meta[m]! & 255) as AddressStatusCode,
      errorCount: this.meta[m + 1]!,
      reason: this.reasonOf(m),
      text: this.textOf(m),
      rule: this.ruleOf(m),
      firstErrorMs: nullable(times[m]!),
      lastErrorMs: nullable(times[m + 1]!),
      lastCountedErrorMs: nullable(times[m + 2]!),
      updatedMs: nullable(times[m + 3]!) ?? nullable(times[m + 1]!),
    };
  }

  /** Every row that had an error or a status change, in id order (for the run store export). */
  *rows(): Generator<QuarantineRow> {
    const n = this.addresses.size;
    for (let id = 0; id < n; id++) {
      const r = this.row(id);
      if (r) yield r;
    }
  }

  private reasonOf(m: number): number | null {
    const r = (this.meta[m]! >>> 8) & 255;
    return r === NO_REASON ? null : r;
  }

  private textOf(m: number): string | null {
    const x = this.meta[m + 2]!;
    return x < 0 ? null : this.texts.valueOf(x);
  }

  private ruleOf(m: number): string | null {
    const x = this.meta[m + 3]!;
    return x < 0 ? null : this.rules.valueOf(x);
  }

  private setReason(m: number, q: QuarantineInput): void {
    const meta = this.meta;
    meta[m] = (meta[m]! & 255) | ((q.reason & 255) << 8);
    const rule = q.rule;
    const cur = meta[m + 3]!;
    // same rule as before: skip the map lookup (the common case of repeated errors)
    if (rule === null) meta[m + 3] = -1;
    else if (cur < 0 || this.rules.valueOf(cur) !== rule) meta[m + 3] = this.rules.idOf(rule);
  }

  private transition(id: number, to: AddressStatusCode, t: Millis, cause: QuarantineCause): void {
    const m = id << 2;
    const from = (this.meta[m]! & 255) as AddressStatusCode;
    if (!isAllowedTransition(from, to, cause))
      throw new Error(
        `quarantine: ${this.addressOf(id)}: transition not allowed: ${describeTransition(from, to, cause)}`,
      );
    this.meta[m] = (this.meta[m]! & ~255) | to;
    this.times[m + 3] = t;
    const l = this.listener;
    if (l !== null) {
      l({
        t,
        id,
        address: this.addresses.valueOf(id),
        oldStatus: from,
        newStatus: to,
        reason: this.reasonOf(m),
        text: this.textOf(m),
        rule: this.ruleOf(m),
        cause,
        errorCount: this.meta[m + 1]!,
      });
    }
  }

  private grow(cap: number): void {
    const meta = new Int32Array(cap * 4);
    for (let i = this.cap; i < cap; i++) {
      meta[i * 4] = NO_REASON << 8; // Valid, no reason
      meta[i * 4 + 2] = -1;
      meta[i * 4 + 3] = -1;
    }
    meta.set(this.meta);
    const times = new Float64Array(cap * 4).fill(Number.NaN);
    times.set(this.times);
    this.meta = meta;
    this.times = times;
    this.cap = cap;
  }
}

function nullable(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
