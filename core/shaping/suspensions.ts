/**
 * The record of shaping decisions: suspensions, error-rate blocks, throttles, unavailable paths and
 * delayed queues (SPEC §7, store table `suspensions`). Each can be listed and cancelled; every new
 * record and every cancellation is passed to the listener (the run store records them).
 */

/** Kinds, as the run store's `suspensions.kind` column spells them. */
export type SuspensionKind = 'suspend' | 'block' | 'throttle' | 'pathDown' | 'delayQueue';

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

/** Receives each new decision and each cancellation (then `cancelled` is true). */
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

  constructor(private readonly listener: SuspensionListener | null = null) {}

  /** Records a decision and tells the listener. */
  add(s: Omit<Suspension, 'id' | 'cancelled'>, keys: SuspensionKeys): Suspension {
    const rec: Suspension = { ...s, id: this.items.length, cancelled: false };
    this.items.push(rec);
    this.keys.push(keys);
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
