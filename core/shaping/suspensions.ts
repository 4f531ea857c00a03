/**
 * The record of shaping decisions: suspensions, error-rate blocks, throttles, unavailable paths and
 * delayed queues (SPEC §7, store table `suspensions`). Each can be listed and cancelled; every new
 * record, extension and cancellation is passed to the listener (the run store keeps the last state of
 * each record). A decision taken again while the same one is in force (same kind, rule and
 * domain/pair/link) is one record: a later end extends it, an end it already covers changes nothing,
 * so replies that come back from sessions in flight do not write the same suspension twice.
 */

/** Kinds, as the run store's `suspensions.kind` column spells them. */
export const SUSPENSION_KINDS = ['suspend', 'block', 'throttle', 'pathDown', 'delayQueue'] as const;
export type SuspensionKind = (typeof SUSPENSION_KINDS)[number];

/** One shaping decision. Times are run ms; `endMs` becomes the cancel time when cancelled. */
export interface Suspension {
  id: number;
  kind: SuspensionKind;
  domain: string;
  localIp: string | null;
  mxIp: string | null;
  startMs: number;
  endMs: number;
  rule: string | null;
  text: string | null;
  cancelled: boolean;
}

/**
 * Receives each new decision, each extension (the same `id` with a later `endMs`) and each
 * cancellation (then `cancelled` is true). The last call for an id holds.
 */
export type SuspensionListener = (s: Readonly<Suspension>) => void;

/** Internal keys a record applies to (-1 when not relevant). */
export interface SuspensionKeys {
  domainId: number;
  pairId: number;
  linkId: number;
}

export class SuspensionLog {
  private readonly items: Suspension[] = [];
  private readonly keys: SuspensionKeys[] = [];
  /** latest record of each (kind, rule, domain, pair, link) */
  private readonly latest = new Map<string, number>();

  constructor(private readonly listener: SuspensionListener | null = null) {}

  /**
   * Records a decision and tells the listener; or, when the same decision (kind, rule, keys) is in
   * force at `s.startMs`, extends that record to `s.endMs` (telling the listener) or, if it already
   * lasts that long, leaves it as it is (telling no one). Returns the record that holds.
   */
  add(s: Omit<Suspension, 'id' | 'cancelled'>, keys: SuspensionKeys): Suspension {
    const key = `${s.kind}|${s.rule}|${keys.domainId}|${keys.pairId}|${keys.linkId}`;
    const prevId = this.latest.get(key);
    const prev = prevId === undefined ? undefined : this.items[prevId]!;
    if (prev && !prev.cancelled && prev.startMs <= s.startMs && s.startMs < prev.endMs) {
      if (s.endMs > prev.endMs) {
        prev.endMs = s.endMs;
        this.listener?.(prev);
      }
      return prev;
    }
    const rec: Suspension = { ...s, id: this.items.length, cancelled: false };
    this.items.push(rec);
    this.keys.push(keys);
    this.latest.set(key, rec.id);
    this.listener?.(rec);
    return rec;
  }

  /** Records in force at t (not cancelled, started, not ended), or all records when t is omitted. */
  list(t?: number): Suspension[] {
    if (t === undefined) return this.items.map((s) => ({ ...s }));
    return this.items.filter((s) => !s.cancelled && s.startMs <= t && s.endMs > t).map((s) => ({ ...s }));
  }

  get(id: number): Suspension | undefined {
    return this.items[id];
  }

  keysOf(id: number): SuspensionKeys | undefined {
    return this.keys[id];
  }

  /** Marks a record cancelled at t (its end becomes t); false when unknown, cancelled or already over. */
  cancel(id: number, t: number): Suspension | null {
    const s = this.items[id];
    if (!s || s.cancelled || s.endMs <= t) return null;
    s.cancelled = true;
    s.endMs = Math.max(s.startMs, t);
    this.listener?.(s);
    return s;
  }

  /** Latest end among records in force at t matching `pred` (0 when none). */
  latestEnd(t: number, pred: (s: Suspension, k: SuspensionKeys) => boolean): number {
    let end = 0;
    for (let i = 0; i < this.items.length; i++) {
      const s = this.items[i]!;
      if (!s.cancelled && s.endMs > t && s.endMs > end && pred(s, this.keys[i]!)) end = s.endMs;
    }
    return end;
  }
}
