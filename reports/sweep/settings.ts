/**
 * Defaults of a sweep (each one a setting): which quantiles the aggregate shows and how many decimals
 * each metric keeps, so that aggregate.json is the same bytes wherever it is computed.
 */
import type { Summary } from '../summary/summary-schema.ts';

/** One headline figure of a run, aggregated over the seeds of a grid point. */
export interface SweepMetric {
  /** key in aggregate.json */
  key: string;
  /** column and chart title */
  label: string;
  /** how to show it: a duration in ms, a 0..1 ratio, or a plain number */
  unit: 'ms' | 'ratio' | 'number';
  /** decimals kept in aggregate.json */
  digits: number;
  /** the figure of one run; null when the run has none (e.g. nothing delivered) */
  of(s: Summary): number | null;
}

/** The aggregated metrics, in output order. */
export const SWEEP_METRICS: readonly SweepMetric[] = [
  { key: 'completionMs', label: 'completion time', unit: 'ms', digits: 0, of: (s) => s.completedAt.ms },
  { key: 'quarantineRate', label: 'quarantine rate', unit: 'ratio', digits: 6, of: (s) => s.quarantine.rate },
  {
    key: 'falseQuarantines',
    label: 'false quarantines',
    unit: 'number',
    digits: 2,
    of: (s) => s.quarantine.falseQuarantines,
  },
  {
    key: 'peakPerHour',
    label: 'peak throughput /h',
    unit: 'number',
    digits: 1,
    of: (s) => s.throughput.peakPerHour,
  },
  {
    key: 'timeToDeliverP90Ms',
    label: 'time to deliver p90',
    unit: 'ms',
    digits: 0,
    of: (s) => s.timeToDeliver.p90,
  },
];

/** Quantiles shown per metric: low band edge, middle, high band edge. */
export const SWEEP_DEFAULTS = Object.freeze({
  lowQuantile: 0.05,
  midQuantile: 0.5,
  highQuantile: 0.95,
  /** errors longer than this are cut (one line each in aggregate.json) */
  maxErrorChars: 500,
});
