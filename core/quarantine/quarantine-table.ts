/**
 * The quarantine table (SPEC §5): one row per address, case-sensitive, with its status, the soft-error
 * counter and the last error. Addresses are interned once ({@link QuarantineTable.idOf}); every hot
 * method takes the dense id and works on typed arrays, so 10 million addresses cost about 60 bytes each.
 *
 * Driven only by the times passed in: nothing here reads a clock, so the same calls give the same table.
 */
import {
  AddressStatus,
  type AddressStatusCode,
  type Impact,
  type Millis,
  type Qualification,
  Reason,
} from '../types.ts';
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
  private readonly addresses = new StringInterner();
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
  private st = new Uint8Array(0);
  private count = new Uint16Array(0);
  private reasonArr = new Uint8Array(0);
  private textArr = new Int32Array(0);
  private ruleArr = new Int32Array(0);
  private firstErr = new Float64Array(0);
  private lastErr = new Float64Array(0);
  private lastCounted = new Float64Array(0);
  private changedAt = new Float64Array(0);

  constructor(
    settings: Partial<QuarantineSettings> = {},
    listener: QuarantineListener | null = null,
    initialCapacity = 1024,
  ) {
    this.settings = Object.freeze(resolveQuarantineSettings(settings));
    this.listener = listener;
    this.period = this.settings.significantErrorPeriodMs;
    this.threshold = this.settings.threshold;
    this.resetMs = this.settings.counterResetMs;
    this.withErrorsMs = this.settings.cleanupWithErrorsAfterMs;
    this.releaseMs = this.settings.quarantineReleaseAfterMs;
    for (const r of this.settings.releasableReasons) this.releasable[r & 255] = 1;
    this.grow(Math.max(16, initialCapacity));
  }

  /** Replaces the transition listener (null: none). */
  setListener(listener: QuarantineListener | null): void {
    this.listener = listener;
  }

  /** Dense id of an address (exact, case-sensitive), creating a Valid row if new. */
  idOf(address: string): number {
    const id = this.addresses.idOf(address);
    if (id >= this.cap) this.grow(this.cap * 2);
    return id;
  }

  /** Id of a known address, or -1 (never creates a row). */
  findId(address: string): number {
    return this.addresses.find(address);
  }

  /** The address of an id. */
  addressOf(id: number): string {
    return this.addresses.valueOf(id);
  }

  /** Number of interned addresses (ids are 0..size-1). */
  get size(): number {
    return this.addresses.size;
  }

  /** Current status of an address id. */
  status(id: number): AddressStatusCode {
    return this.st[id] as AddressStatusCode;
  }

  /** Current error counter of an address id. */
  errorCount(id: number): number {
    return this.count[id];
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
    const old = this.st[id] as AddressStatusCode;
    out.reason = q.reason;
    out.counted = false;
    out.changed = false;
    if (impact === 'none' || impact === 'ok') {
      out.status = old;
      out.errorCount = this.count[id];
      return out;
    }
    if (impact === 'denylist') {
      out.status = this.onComplaint(id, text, t);
      out.changed = out.status !== old;
      out.errorCount = this.count[id];
      if (old === Allowlisted) out.reason = Reason.ErrorIgnored;
      return out;
    }
    this.noteError(id, q, text, t);
    if (old === Allowlisted) {
      out.reason = Reason.ErrorIgnored;
    } else if (old === Valid || old === WithErrors) {
      const c = this.count[id];
      if (impact === 'quarantine') {
        this.count[id] = c + 1;
        this.lastCounted[id] = t;
        out.counted = true;
        this.setReason(id, q);
        this.transition(id, Quarantine, t, cause);
      } else {
        // impact === 'count'
        let n = c;
        if (n > 0 && t - this.lastCounted[id] > this.resetMs) n = 0;
        if (n === 0 || t - this.lastCounted[id] >= this.period) {
          n++;
          this.lastCounted[id] = t;
          out.counted = true;
        }
        this.count[id] = n;
        this.setReason(id, q);
        if (n >= this.threshold) this.transition(id, Quarantine, t, cause);
        else if (old === Valid) this.transition(id, WithErrors, t, cause);
      }
    } else if (old === Quarantine && impact === 'quarantine') {
      // a hard error on a quarantined row makes it a hard quarantine (no longer released as mailbox full)
      this.setReason(id, q);
    }
    out.status = this.st[id] as AddressStatusCode;
    out.errorCount = this.count[id];
    out.changed = out.status !== old;
    return out;
  }

  /** A successful delivery: With errors goes back to Valid (counter 0); other statuses are unchanged. */
  onSuccess(id: number, t: Millis, cause: 'sync' | 'async' = 'sync'): AddressStatusCode {
    if (this.st[id] === WithErrors) {
      this.count[id] = 0;
      this.transition(id, Valid, t, cause);
    }
    return this.st[id] as AddressStatusCode;
  }

  /** A feedback-loop complaint (ARF abuse): Denylisted, except an allowlisted address which stays allowlisted. */
  onComplaint(id: number, text: string | null, t: Millis): AddressStatusCode {
    const old = this.st[id];
    if (old === Denylisted || old === Allowlisted) return old as AddressStatusCode;
    this.reasonArr[id] = Reason.Denylisted;
    this.textArr[id] = text === null ? -1 : this.texts.idOf(text);
    this.ruleArr[id] = -1;
    this.transition(id, Denylisted, t, 'complaint');
    return Denylisted;
  }

  /** Sets the status the table had before the run (import). Valid resets the counter. */
  setInitial(id: number, status: AddressStatusCode, t: Millis = 0): void {
    if (
      status !== Valid &&
      status !== WithErrors &&
      status !== Quarantine &&
      status !== Denylisted &&
      status !== Allowlisted
    )
      throw new RangeError(`quarantine: setInitial(${this.addressOf(id)}): unknown status ${status}`);
    if (status === Valid) this.count[id] = 0;
    if (this.st[id] === status) {
      this.changedAt[id] = t;
      return;
    }
    this.transition(id, status, t, 'initial');
  }

  /** Remediation (SPEC §9): any non-Valid status back to Valid with counter 0. Returns false if already Valid. */
  restore(id: number, t: Millis, cause: 'remediation' | 'cleanup' = 'remediation'): boolean {
    if (this.st[id] === Valid) return false;
    this.count[id] = 0;
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
    for (let id = 0; id < n; id++) {
      const s = this.st[id];
      if (s === WithErrors) {
        if (t - this.lastErr[id] > this.withErrorsMs) {
          this.count[id] = 0;
          this.transition(id, Valid, t, 'cleanup');
          lifted++;
        } else if (this.count[id] > 0 && t - this.lastCounted[id] > this.resetMs) {
          this.count[id] = 0;
        }
      } else if (s === Quarantine) {
        const r = this.reasonArr[id];
        if (r !== NO_REASON && this.releasable[r] === 1 && t - this.changedAt[id] >= this.releaseMs) {
          this.count[id] = 0;
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
    if (Number.isNaN(this.changedAt[id]) && Number.isNaN(this.firstErr[id])) return null;
    const r = this.reasonArr[id];
    return {
      id,
      address: this.addresses.valueOf(id),
      status: this.st[id] as AddressStatusCode,
      errorCount: this.count[id],
      reason: r === NO_REASON ? null : r,
      text: this.textArr[id] < 0 ? null : this.texts.valueOf(this.textArr[id]),
      rule: this.ruleArr[id] < 0 ? null : this.rules.valueOf(this.ruleArr[id]),
      firstErrorMs: nullable(this.firstErr[id]),
      lastErrorMs: nullable(this.lastErr[id]),
      lastCountedErrorMs: nullable(this.lastCounted[id]),
      updatedMs: nullable(this.changedAt[id]) ?? nullable(this.lastErr[id]),
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

  private noteError(id: number, q: QuarantineInput, text: string | null, t: Millis): void {
    if (Number.isNaN(this.firstErr[id])) this.firstErr[id] = t;
    if (!(this.lastErr[id] >= t)) this.lastErr[id] = t;
    this.textArr[id] = text === null ? -1 : this.texts.idOf(text);
    if (this.st[id] === Allowlisted) this.setReason(id, q);
  }

  private setReason(id: number, q: QuarantineInput): void {
    this.reasonArr[id] = q.reason & 255;
    this.ruleArr[id] = q.rule === null ? -1 : this.rules.idOf(q.rule);
  }

  private transition(id: number, to: AddressStatusCode, t: Millis, cause: QuarantineCause): void {
    const from = this.st[id] as AddressStatusCode;
    if (!isAllowedTransition(from, to, cause))
      throw new Error(
        `quarantine: ${this.addressOf(id)}: transition not allowed: ${describeTransition(from, to, cause)}`,
      );
    this.st[id] = to;
    this.changedAt[id] = t;
    const l = this.listener;
    if (l !== null) {
      const r = this.reasonArr[id];
      l({
        t,
        id,
        address: this.addresses.valueOf(id),
        oldStatus: from,
        newStatus: to,
        reason: r === NO_REASON ? null : r,
        text: this.textArr[id] < 0 ? null : this.texts.valueOf(this.textArr[id]),
        rule: this.ruleArr[id] < 0 ? null : this.rules.valueOf(this.ruleArr[id]),
        cause,
        errorCount: this.count[id],
      });
    }
  }

  private grow(cap: number): void {
    const old = this.cap;
    this.st = growU8(this.st, cap, 0);
    this.count = growTyped(this.count, new Uint16Array(cap));
    this.reasonArr = growU8(this.reasonArr, cap, NO_REASON);
    this.textArr = growTyped(this.textArr, new Int32Array(cap).fill(-1));
    this.ruleArr = growTyped(this.ruleArr, new Int32Array(cap).fill(-1));
    this.firstErr = growTyped(this.firstErr, new Float64Array(cap).fill(Number.NaN));
    this.lastErr = growTyped(this.lastErr, new Float64Array(cap).fill(Number.NaN));
    this.lastCounted = growTyped(this.lastCounted, new Float64Array(cap).fill(Number.NaN));
    this.changedAt = growTyped(this.changedAt, new Float64Array(cap).fill(Number.NaN));
    this.cap = Math.max(cap, old);
  }
}

function nullable(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

function growU8(a: Uint8Array, cap: number, fill: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(cap);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}

function growTyped<T extends Uint16Array | Int32Array | Float64Array>(a: T, b: T): T {
  (b as Float64Array).set(a as unknown as Float64Array);
  return b;
}
