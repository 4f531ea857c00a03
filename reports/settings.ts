/**
 * Report settings: every threshold or bucket width a report uses, with the defaults below.
 * Callers override any field (`{ ...DEFAULT_REPORT_SETTINGS, maxPoints: 300 }`).
 */
import { HOUR, MINUTE, type Millis } from '../core/types.ts';

export interface ReportSettings {
  /**
   * Ground-truth values (recipients.truth) of addresses the qualification SHOULD quarantine.
   * Temporary states (mailboxFull, disabled) and auto-responders should not be quarantined.
   */
  shouldQuarantine: readonly string[];
  /** the ground-truth value of a real, working address */
  validTruth: string;
  /**
   * The truth of an address whose truth nobody knows (an ingested production log): left out of the
   * ground-truth figures, which are null when no address has a known truth.
   */
  noTruth: string;
  /** throughput slice width (SPEC §7.1: 12 slices of 5 minutes per hour) */
  sliceMs: Millis;
  /** width of an hourly bucket */
  hourMs: Millis;
  /** time series are downsampled to at most this many points */
  maxPoints: number;
  /** how many rows a "top N" table shows (reasons, texts, addresses) */
  topN: number;
  /** number of bins of the retry delay histogram */
  histogramBins: number;
  /** quantiles reported for delays and time to deliver */
  quantiles: readonly number[];
  /**
   * EFS: delivery statuses are not shown in real time (seed 004 line 33, "Les statuts des diffusions
   * ne s'affichent pas en temps réel"): the EFS curve shows each event this much later (rounded up
   * to whole buckets); the final figure is unchanged. Default 1 hour (docs/decisions.md).
   */
  efsReportingDelayMs: Millis;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  shouldQuarantine: ['unknown', 'disabledPermanent', 'mailboxFullPermanent', 'invalidDomain'],
  efsReportingDelayMs: HOUR,
  validTruth: 'valid',
  noTruth: 'n/a',
  sliceMs: 5 * MINUTE,
  hourMs: HOUR,
  maxPoints: 600,
  topN: 10,
  histogramBins: 24,
  quantiles: [0.5, 0.9, 0.99],
};

/** Settings with defaults filled in. */
export function reportSettings(partial: Partial<ReportSettings> = {}): ReportSettings {
  return { ...DEFAULT_REPORT_SETTINGS, ...partial };
}

/** SQL list literal of texts, e.g. `('a', 'b')`, for the truth sets (values are ours, quoted anyway). */
export function sqlList(values: readonly string[]): string {
  if (values.length === 0) return "('')";
  return `(${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`;
}

/**
 * Bucket width for a time series of `spanMs` so that it has at most `maxPoints` points: `baseMs`
 * (e.g. one hour) or a whole multiple of it.
 */
export function bucketWidth(spanMs: Millis, baseMs: Millis, maxPoints: number): Millis {
  const buckets = Math.ceil(Math.max(spanMs, 1) / baseMs);
  return baseMs * Math.max(1, Math.ceil(buckets / Math.max(1, maxPoints)));
}
