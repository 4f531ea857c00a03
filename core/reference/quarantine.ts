/**
 * Reference quarantine table (SPEC §5), one address at a time: a plain object per address, no ids, no
 * typed arrays. Every rule below quotes the SPEC sentence it implements.
 */
import type { Qualification } from '../types.ts';

export type RefStatus = 'valid' | 'withErrors' | 'quarantine' | 'denylisted' | 'allowlisted';
export type RefCause = 'sync' | 'async' | 'complaint' | 'cleanup' | 'initial';

/** SPEC §5 numbers; every one is a setting. */
export interface RefQuarantineSettings {
  /** "two errors count as separate only if at least 24 h apart" */
  significantErrorPeriodMs: number;
  /** "At 5 counted errors the address goes to Quarantine" */
  threshold: number;
  /** "The counter resets when the last counted error is more than 10 days old" */
  counterResetMs: number;
  /** cleanup: "With errors back to Valid ... when the last soft error is over 10 days old" */
  cleanupWithErrorsAfterMs: number;
  /** cleanup: "Quarantine for Mailbox full back to Valid after 30 days" */
  quarantineReleaseAfterMs: number;
  /** reasons whose Quarantine the cleanup lifts (Mailbox full, 5) */
  releasableReasons: number[];
  /** turn 2: "every Soft error counts except Refused (20)": the Soft reasons that do NOT count */
  uncountedSoftReasons: number[];
}

export const REF_QUARANTINE_DEFAULTS: RefQuarantineSettings = {
  significantErrorPeriodMs: 24 * 3_600_000,
  threshold: 5,
  counterResetMs: 10 * 86_400_000,
  cleanupWithErrorsAfterMs: 10 * 86_400_000,
  quarantineReleaseAfterMs: 30 * 86_400_000,
  releasableReasons: [5],
  uncountedSoftReasons: [20],
};

export interface RefAddress {
  address: string;
  status: RefStatus;
  errorCount: number;
  reason: number | null;
  text: string | null;
  rule: string | null;
  firstErrorMs: number | null;
  lastErrorMs: number | null;
  lastCountedErrorMs: number | null;
  /** when the status last changed (the cleanup's 30 days count from the quarantine) */
  changedMs: number | null;
}

export interface RefHistoryRow {
  t: number;
  address: string;
  oldStatus: RefStatus;
  newStatus: RefStatus;
  reason: number | null;
  cause: RefCause;
}

/** What an error does to an address (SPEC §2, §5 turn 2). */
export function impactOf(
  q: Pick<Qualification, 'type' | 'reason'>,
  s: RefQuarantineSettings,
): 'quarantine' | 'count' | 'none' {
  // "Hard error: Quarantine at once. So is a Soft/Hard reason whose rule says Hard"
  if (q.type === 'hard') return 'quarantine';
  // "Ignored errors never count"
  if (q.type === 'ignored') return 'none';
  // "Not defined (reason 0): ... a repeated unqualified text increments the counter"
  if (q.type === 'undefined') return 'count';
  // "every Soft error counts except Refused (20)"
  return s.uncountedSoftReasons.includes(q.reason) ? 'none' : 'count';
}

export class RefQuarantine {
  readonly rows = new Map<string, RefAddress>();
  readonly history: RefHistoryRow[] = [];

  constructor(readonly settings: RefQuarantineSettings) {}

  /** The row of an address ("Quarantine is per address and case-sensitive"). */
  get(address: string): RefAddress {
    let r = this.rows.get(address);
    if (!r) {
      r = {
        address,
        status: 'valid',
        errorCount: 0,
        reason: null,
        text: null,
        rule: null,
        firstErrorMs: null,
        lastErrorMs: null,
        lastCountedErrorMs: null,
        changedMs: null,
      };
      this.rows.set(address, r);
    }
    return r;
  }

  status(address: string): RefStatus {
    return this.rows.get(address)?.status ?? 'valid';
  }

  /** The table as imported before the run: the starting point, not a transition of the run. */
  setInitial(address: string, status: RefStatus, t: number): void {
    const r = this.get(address);
    r.status = status;
    r.changedMs = t;
  }

  /**
   * A qualified error. Returns the reason the delivery log shows: the error's, or 25 for an
   * allowlisted address ("its errors become reason 25").
   */
  onError(address: string, q: Qualification, text: string, t: number, cause: 'sync' | 'async'): number {
    const r = this.get(address);
    const impact = impactOf(q, this.settings);
    // an error that does not concern the address (no impact) leaves its row, and keeps its reason
    if (impact === 'none') return q.reason;
    if (r.firstErrorMs === null) r.firstErrorMs = t;
    if (r.lastErrorMs === null || r.lastErrorMs < t) r.lastErrorMs = t;
    r.text = text;
    if (r.status === 'allowlisted') {
      r.reason = q.reason;
      r.rule = q.rule;
      return 25;
    }
    if (r.status === 'valid' || r.status === 'withErrors') {
      r.reason = q.reason;
      r.rule = q.rule;
      if (impact === 'quarantine') {
        r.errorCount++;
        r.lastCountedErrorMs = t;
        this.move(r, 'quarantine', t, cause);
        return q.reason;
      }
      // "The counter resets when the last counted error is more than 10 days old."
      if (r.errorCount > 0 && t - (r.lastCountedErrorMs as number) > this.settings.counterResetMs)
        r.errorCount = 0;
      // "two errors count as separate only if at least 24 h apart"
      if (
        r.errorCount === 0 ||
        t - (r.lastCountedErrorMs as number) >= this.settings.significantErrorPeriodMs
      ) {
        r.errorCount++;
        r.lastCountedErrorMs = t;
      }
      if (r.errorCount >= this.settings.threshold) this.move(r, 'quarantine', t, cause);
      else if (r.status === 'valid') this.move(r, 'withErrors', t, cause);
      return q.reason;
    }
    // a hard error on a quarantined address makes it a hard quarantine (not released as mailbox full)
    if (r.status === 'quarantine' && impact === 'quarantine') {
      r.reason = q.reason;
      r.rule = q.rule;
    }
    return q.reason;
  }

  /** "A successful delivery to a With errors address returns it to Valid." */
  onSuccess(address: string, t: number): void {
    const r = this.get(address);
    if (r.status !== 'withErrors') return;
    r.errorCount = 0;
    this.move(r, 'valid', t, 'sync');
  }

  /** "A feedback-loop complaint (ARF) puts the address on the deny list." (An allowlisted one stays.) */
  onComplaint(address: string, text: string, t: number): void {
    const r = this.get(address);
    if (r.status === 'denylisted' || r.status === 'allowlisted') return;
    r.reason = 8;
    r.text = text;
    r.rule = null;
    this.move(r, 'denylisted', t, 'complaint');
  }

  /**
   * The daily cleanup: "With errors back to Valid ... when the last soft error is over 10 days old;
   * Quarantine for Mailbox full back to Valid after 30 days. Quarantine and Denylisted are never
   * lifted automatically." A stale counter (last counted error over 10 days old) resets.
   */
  cleanup(t: number): void {
    for (const r of this.rows.values()) {
      if (r.status === 'withErrors') {
        if (t - (r.lastErrorMs as number) > this.settings.cleanupWithErrorsAfterMs) {
          r.errorCount = 0;
          this.move(r, 'valid', t, 'cleanup');
        } else if (r.errorCount > 0 && t - (r.lastCountedErrorMs as number) > this.settings.counterResetMs) {
          r.errorCount = 0;
        }
      } else if (r.status === 'quarantine') {
        if (
          r.reason !== null &&
          this.settings.releasableReasons.includes(r.reason) &&
          t - (r.changedMs as number) >= this.settings.quarantineReleaseAfterMs
        ) {
          r.errorCount = 0;
          this.move(r, 'valid', t, 'cleanup');
        }
      }
    }
  }

  private move(r: RefAddress, to: RefStatus, t: number, cause: RefCause): void {
    r.changedMs = t;
    if (r.status === to) return;
    this.history.push({ t, address: r.address, oldStatus: r.status, newStatus: to, reason: r.reason, cause });
    r.status = to;
  }
}
