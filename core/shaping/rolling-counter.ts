/**
 * Event counts per key and metric over a sliding window made of `slots` sub-windows (a ring), e.g.
 * the last hour in 12 five-minute parts. Allocation-free; used for the error-rate block and the
 * adaptive rate rules. A count leaves the window when its sub-window is older than the window.
 */
import { growF64 } from '../grow.ts';

export class RollingCounter {
  private data = new Float64Array(0);
  /** absolute sub-window index held by each ring slot, per key */
  private slotOf = new Float64Array(0);
  private readonly subMs: number;
  size = 0;

  constructor(
    readonly metrics: number,
    readonly windowMs: number,
    readonly slots = 12,
  ) {
    this.subMs = windowMs / slots;
  }

  /** Adds a key; returns its id. */
  add(): number {
    const k = this.size++;
    this.data = growF64(this.data, (k + 1) * this.metrics * this.slots);
    this.slotOf = growF64(this.slotOf, (k + 1) * this.slots, -1);
    this.slotOf.fill(-1, k * this.slots, (k + 1) * this.slots);
    return k;
  }

  /** Adds `n` to `metric` of `key` at time t. */
  inc(key: number, metric: number, t: number, n = 1): void {
    const abs = Math.floor(t / this.subMs);
    const ring = abs % this.slots;
    const si = key * this.slots + ring;
    const base = (key * this.slots + ring) * this.metrics;
    if (this.slotOf[si] !== abs) {
      this.slotOf[si] = abs;
      for (let m = 0; m < this.metrics; m++) this.data[base + m] = 0;
    }
    this.data[base + metric] += n;
  }

  /** Sum of `metric` of `key` over the window ending at t. */
  sum(key: number, metric: number, t: number): number {
    const abs = Math.floor(t / this.subMs);
    let total = 0;
    for (let r = 0; r < this.slots; r++) {
      const held = this.slotOf[key * this.slots + r];
      if (held > abs - this.slots && held <= abs)
        total += this.data[(key * this.slots + r) * this.metrics + metric];
    }
    return total;
  }

  /** Forgets every count of `key` (after a block, so the next decision uses fresh numbers). */
  reset(key: number): void {
    this.slotOf.fill(-1, key * this.slots, (key + 1) * this.slots);
    // -1 is inside the window during the first window of a run (abs - slots < -1): zero the counts too
    this.data.fill(0, key * this.slots * this.metrics, (key + 1) * this.slots * this.metrics);
  }
}
