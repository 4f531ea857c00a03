/**
 * The success percentage over time in the three reporting modes of SPEC §8, from one event stream.
 * Keeps one phase byte per message and a count per phase; at each bucket end it snapshots the counts,
 * and each mode's curve is a projection of those counts ({@link statusOf}).
 */
import { z } from 'zod';
import { HOUR, LogStatus, type Millis } from '../types.ts';
import {
  isProcessed,
  nextPhase,
  PHASE_COUNT,
  Phase,
  REPORTING_MODES,
  type ReportingMode,
  statusOf,
} from './lifecycle.ts';

/** Settings of the series. */
export interface SuccessSeriesSettings {
  /** width of one point */
  bucketMs: Millis;
  /** time of the first bucket's start */
  originMs: Millis;
}

/** Default: hourly points from t = 0 (SPEC §8 curves are read per hour). */
export const DEFAULT_SUCCESS_SERIES_SETTINGS: Readonly<SuccessSeriesSettings> = Object.freeze({
  bucketMs: HOUR,
  originMs: 0,
});

/** Zod schema of a partial override (ms). */
export const successSeriesSettingsSchema = z
  .object({ bucketMs: z.number().int().min(1).optional(), originMs: z.number().int().optional() })
  .strict();

/** One mode's curve: one value per point. */
export interface ModeSeries {
  /** sent / processed x 100, null while nothing is processed */
  successPct: (number | null)[];
  sent: number[];
  failed: number[];
  /** Pending (legacy, Enhanced) or Taken into account (EFS) */
  waiting: number[];
}

/** The whole series. `t[i]` is the end of bucket i; values are the state just before it. */
export interface SuccessSeriesResult {
  bucketMs: Millis;
  t: Millis[];
  processed: number[];
  modes: Record<ReportingMode, ModeSeries>;
}

/** Success curves of a run in the three modes. */
export class SuccessSeries {
  readonly settings: Readonly<SuccessSeriesSettings>;
  private phases = new Uint8Array(1024);
  private readonly counts = new Float64Array(PHASE_COUNT);
  private nextBucketEnd: number;
  private readonly out: SuccessSeriesResult;

  constructor(settings: Partial<SuccessSeriesSettings> = {}) {
    this.settings = Object.freeze({ ...DEFAULT_SUCCESS_SERIES_SETTINGS, ...settings });
    if (!(this.settings.bucketMs > 0))
      throw new RangeError(`success series: bucketMs: expected > 0, got ${this.settings.bucketMs}`);
    this.nextBucketEnd = this.settings.originMs + this.settings.bucketMs;
    const mode = (): ModeSeries => ({ successPct: [], sent: [], failed: [], waiting: [] });
    this.out = {
      bucketMs: this.settings.bucketMs,
      t: [],
      processed: [],
      modes: { legacy: mode(), enhanced: mode(), efs: mode() },
    };
  }

  /** Registers message `id` (dense, from the delivery log) as New; excluded ones are not processed. */
  add(id: number, excluded = false): void {
    if (id >= this.phases.length) {
      const next = new Uint8Array(Math.max(id + 1, this.phases.length * 2));
      next.set(this.phases);
      this.phases = next;
    }
    const p = excluded ? Phase.Excluded : Phase.New;
    this.phases[id] = p;
    this.counts[p]!++;
  }

  /**
   * Applies an event at `t`. Events must come in time order; an event earlier than the last closed
   * bucket lands in the current one (points already emitted are never rewritten).
   */
  apply(id: number, kind: number, t: Millis): void {
    this.advance(t);
    if (id >= this.phases.length) throw new RangeError(`success series: unknown message id ${id}`);
    const from = this.phases[id]!;
    const to = nextPhase(from, kind);
    if (to !== from) {
      this.phases[id] = to;
      this.counts[from]!--;
      this.counts[to]!++;
    }
  }

  /** Closes every bucket ending at or before `t` (call with the run's end). */
  advance(t: Millis): void {
    while (t >= this.nextBucketEnd) {
      this.snapshot(this.nextBucketEnd);
      this.nextBucketEnd += this.settings.bucketMs;
    }
  }

  /** Closes buckets up to `tEnd` and returns the series (the same object on each call, growing). */
  finish(tEnd: Millis): SuccessSeriesResult {
    this.advance(tEnd);
    return this.out;
  }

  /** Current success percentage of a mode (null when nothing is processed). */
  successPct(mode: ReportingMode): number | null {
    const { processed, sent } = this.tally(mode);
    return processed === 0 ? null : (100 * sent) / processed;
  }

  private tally(mode: ReportingMode): { processed: number; sent: number; failed: number; waiting: number } {
    let processed = 0;
    let sent = 0;
    let failed = 0;
    let waiting = 0;
    for (let p = 0; p < PHASE_COUNT; p++) {
      const c = this.counts[p]!;
      if (c === 0) continue;
      if (isProcessed(p)) processed += c;
      const s = statusOf(mode, p);
      if (s === LogStatus.Sent) sent += c;
      else if (s === LogStatus.Failed) failed += c;
      else if (s === LogStatus.Pending || s === LogStatus.TakenIntoAccount) waiting += c;
    }
    return { processed, sent, failed, waiting };
  }

  private snapshot(at: Millis): void {
    this.out.t.push(at);
    let processed = 0;
    for (const mode of REPORTING_MODES) {
      const k = this.tally(mode);
      processed = k.processed;
      const m = this.out.modes[mode];
      m.successPct.push(k.processed === 0 ? null : (100 * k.sent) / k.processed);
      m.sent.push(k.sent);
      m.failed.push(k.failed);
      m.waiting.push(k.waiting);
    }
    this.out.processed.push(processed);
  }
}
