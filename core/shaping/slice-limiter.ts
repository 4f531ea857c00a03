/**
 * Rate limits enforced in time slices, with no timer events: the next allowed send time is computed
 * arithmetically from the current slice and its counter (SPEC §7.1: an hourly limit in 12 slices of
 * 5 minutes, sent as soon as possible within a slice). Keys are dense integer ids; all state lives in
 * typed arrays, so {@link SliceLimiter.nextAt} and {@link SliceLimiter.consume} allocate nothing.
 *
 * Slices are aligned on multiples of the slice length from time 0 of the run.
 *
 * Rounding (`floor`, the default): a rate of R per period split in n slices allows floor(R / n) per
 * slice; the remainder (R mod n) is not sent in that period (10,000/h → 833 per 5-minute slice,
 * 9,996 per hour). When floor(R / n) is 0 (e.g. 6/h, 1/min) the slice grows to ceil(period / R) and
 * allows 1. `spread`: slice k of a period allows floor((k+1)·R/n) − floor(k·R/n), so slices differ
 * by at most one and a period totals exactly R.
 */
import { growF64, growI32 } from '../grow.ts';

const UNLIMITED = 0;
const FIXED = 1;
const SPREAD = 2;
const CLOSED = 3;

/** Slice rounding: see the module documentation. */
export type SliceRounding = 'floor' | 'spread';

export class SliceLimiter {
  private mode = new Uint8Array(16);
  private sliceMs = new Float64Array(16);
  private perSlice = new Int32Array(16);
  private count = new Float64Array(16);
  private nSlices = new Int32Array(16);
  private cur = new Float64Array(16).fill(-1);
  private used = new Int32Array(16);
  /** number of keys */
  size = 0;

  /**
   * @param baseSliceMs slice length for long periods (5 minutes: an hour in 12 slices)
   * @param rounding how a period's count is divided between its slices
   */
  constructor(
    readonly baseSliceMs = 300_000,
    readonly rounding: SliceRounding = 'floor',
  ) {}

  /** Adds a key, unlimited until {@link setRate}; returns its id. */
  add(): number {
    const k = this.size++;
    if (k >= this.mode.length) {
      const n = k + 1;
      const m = new Uint8Array(Math.max(n, this.mode.length * 2));
      m.set(this.mode);
      this.mode = m;
      this.sliceMs = growF64(this.sliceMs, n);
      this.perSlice = growI32(this.perSlice, n);
      this.count = growF64(this.count, n);
      this.nSlices = growI32(this.nSlices, n);
      this.cur = growF64(this.cur, n, -1);
      this.used = growI32(this.used, n);
    }
    return k;
  }

  /** Removes the limit of `key`. */
  setUnlimited(key: number): void {
    this.mode[key] = UNLIMITED;
  }

  /** Sets `count` messages per `periodMs` (count 0 = nothing may be sent). Keeps the current slice's counter. */
  setRate(key: number, count: number, periodMs: number): void {
    count = Math.floor(count);
    if (count <= 0) {
      this.mode[key] = CLOSED;
      return;
    }
    const n = Math.max(1, Math.round(periodMs / this.baseSliceMs));
    const oldSlice = this.sliceMs[key]!;
    let slice = periodMs / n;
    if (this.rounding === 'spread' && count >= 1) {
      this.mode[key] = SPREAD;
      this.count[key] = count;
      this.nSlices[key] = n;
    } else {
      let per = Math.floor(count / n);
      if (per === 0) {
        slice = Math.ceil(periodMs / count);
        per = 1;
      }
      this.mode[key] = FIXED;
      this.perSlice[key] = per;
    }
    this.sliceMs[key] = slice;
    if (slice !== oldSlice) {
      // re-express the current slice index in the new slice length; a send already counted stays counted
      this.cur[key] = this.cur[key]! < 0 ? -1 : Math.floor((this.cur[key]! * oldSlice) / slice);
    }
  }

  /** How many sends slice `s` of `key` allows. */
  private allowance(key: number, s: number): number {
    if (this.mode[key] === FIXED) return this.perSlice[key]!;
    const n = this.nSlices[key]!;
    const c = this.count[key]!;
    const k = s % n;
    return Math.floor(((k + 1) * c) / n) - Math.floor((k * c) / n);
  }

  /** The earliest time ≥ t at which `key` may send one message (Infinity when closed). */
  nextAt(key: number, t: number): number {
    const m = this.mode[key];
    if (m === UNLIMITED) return t;
    if (m === CLOSED) return Number.POSITIVE_INFINITY;
    const sl = this.sliceMs[key]!;
    const s = Math.floor(t / sl);
    const u = s === this.cur[key] ? this.used[key]! : 0;
    if (u < this.allowance(key, s)) return t;
    let j = s + 1;
    while (this.allowance(key, j) === 0) j++;
    return j * sl;
  }

  /** Messages `key` may still send in the slice holding t (Infinity when unlimited). */
  remaining(key: number, t: number): number {
    const m = this.mode[key];
    if (m === UNLIMITED) return Number.POSITIVE_INFINITY;
    if (m === CLOSED) return 0;
    const s = Math.floor(t / this.sliceMs[key]!);
    const u = s === this.cur[key] ? this.used[key]! : 0;
    return Math.max(0, this.allowance(key, s) - u);
  }

  /**
   * Records one send at t. Returns false when the send exceeded the limit (the caller did not wait
   * for {@link nextAt}); the send is still counted, because it happened.
   */
  consume(key: number, t: number): boolean {
    const m = this.mode[key];
    if (m === UNLIMITED) return true;
    if (m === CLOSED) return false;
    const s = Math.floor(t / this.sliceMs[key]!);
    if (s !== this.cur[key]) {
      this.cur[key] = s;
      this.used[key] = 0;
    }
    const ok = this.used[key]! < this.allowance(key, s);
    this.used[key]!++;
    return ok;
  }

  /** Length of a slice of `key` in ms (0 when unlimited). */
  sliceLength(key: number): number {
    return this.mode[key] === UNLIMITED ? 0 : this.sliceMs[key]!;
  }
}
