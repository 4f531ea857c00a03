/**
 * The headline metrics of a summary under flat dotted names (`quarantine.rate`, `timeToDeliver.p90`),
 * as compare and `--fail-on` use them. `ratio` metrics are 0..1 and accept `pp` deltas.
 */
import type { Summary } from '../summary/summary-schema.ts';

export interface MetricValue {
  value: number | null;
  /** a 0..1 ratio (percentage points make sense) */
  ratio: boolean;
  /** a duration in ms (rendered as `3h05m`) */
  duration?: boolean;
}

/** Flat metrics of a summary, in a fixed order. Aliases: falseQuarantines, missedQuarantines, precision, recall. */
export function metricMap(s: Summary): Map<string, MetricValue> {
  const m = new Map<string, MetricValue>();
  const add = (name: string, value: number | null, ratio = false) => m.set(name, { value, ratio });
  const addMs = (name: string, value: number | null) => m.set(name, { value, ratio: false, duration: true });
  add('messages.targeted', s.messages.targeted);
  add('messages.delivered', s.messages.delivered);
  add('messages.failed', s.messages.failed.total);
  add('messages.pending', s.messages.pending);
  add('messages.excluded', s.messages.excluded.total);
  add('quarantine.addresses', s.quarantine.addresses);
  add('quarantine.rate', s.quarantine.rate, true);
  add('falseQuarantines', s.quarantine.falseQuarantines);
  add('missedQuarantines', s.quarantine.missedQuarantines);
  add('precision', s.quarantine.precision, true);
  add('recall', s.quarantine.recall, true);
  add('throughput.peakPerHour', s.throughput.peakPerHour);
  add('retries.attempts', s.retries.attempts);
  add('retries.retries', s.retries.retries);
  addMs('retries.delay.p50', s.retries.delay.p50);
  addMs('retries.delay.p90', s.retries.delay.p90);
  addMs('retries.delay.p99', s.retries.delay.p99);
  add('retries.attemptsPerDelivered', s.retries.attemptsPerDelivered);
  addMs('timeToDeliver.p50', s.timeToDeliver.p50);
  addMs('timeToDeliver.p90', s.timeToDeliver.p90);
  addMs('timeToDeliver.p99', s.timeToDeliver.p99);
  add('kpi.legacy', s.kpi.legacy, true);
  add('kpi.enhanced', s.kpi.enhanced, true);
  add('kpi.efs', s.kpi.efs, true);
  add('qualification.toQualify', s.qualification.toQualify);
  return m;
}

/** Alternative names accepted by `--fail-on`. */
export const METRIC_ALIASES: Readonly<Record<string, string>> = {
  'quarantine.falseQuarantines': 'falseQuarantines',
  'quarantine.missedQuarantines': 'missedQuarantines',
  'quarantine.precision': 'precision',
  'quarantine.recall': 'recall',
  'throughput.peak': 'throughput.peakPerHour',
  delivered: 'messages.delivered',
  failed: 'messages.failed',
  pending: 'messages.pending',
};
