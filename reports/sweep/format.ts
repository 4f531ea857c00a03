/** Text of aggregated figures for the Markdown and HTML renderings. */
import { formatDurationShort } from '../format/time-notation.ts';
import type { MetricStats } from './aggregate.ts';
import type { SweepMetric } from './settings.ts';

/** One value in the metric's unit: `2d05h`, `4.36%`, `1973`. */
export function formatMetricValue(m: SweepMetric, v: number): string {
  if (m.unit === 'ms') return formatDurationShort(v);
  if (m.unit === 'ratio') return `${(v * 100).toFixed(2)}%`;
  return String(v);
}

/** `median [p5 – p95]`, or `–` without data. */
export function formatStats(m: SweepMetric, s: MetricStats | null): string {
  if (!s) return '–';
  const mid = formatMetricValue(m, s.median);
  if (s.n < 2) return mid;
  return `${mid} [${formatMetricValue(m, s.p5)} – ${formatMetricValue(m, s.p95)}]`;
}
