/**
 * The relay rate under the Enhanced MTA (seed 003 line 116: the delivery throughput chart "indique
 * maintenant la vitesse de débit pour le relais de vos messages entre Campaign et le MTA amélioré"):
 * messages handed from the campaign to the Enhanced MTA per bucket, beside the MTA's own first
 * attempts of those messages. A message is relayed when its delivery starts (core/mta: every message
 * the preparation keeps is queued at the start, the Relayed event), so the relay of a delivery is one
 * bucket; the MTA then spreads the sends. Only deliveries run in enhanced mode count; a run without
 * any has no relay series (null), and its report no relay chart.
 */
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../settings.ts';
import { num, one, type ReportStore, rows } from '../store-port.ts';
import { chartBucketMs } from './throughput.ts';

export interface RelaySeries {
  /** bucket width, ms (the throughput chart's) */
  bucketMs: number;
  /** bucket start times */
  times: number[];
  /** messages relayed to the Enhanced MTA per bucket */
  relayed: number[];
  /** first attempts of those messages by the Enhanced MTA per bucket */
  firstAttempts: number[];
  /** messages relayed in all */
  total: number;
  /** most messages relayed in one bucket */
  peak: number;
}

/** The relay series of the run's enhanced deliveries, or null when it has none. */
export async function relayRate(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<RelaySeries | null> {
  const enhanced = await one<{ n: number }>(
    store,
    `SELECT count(*)::BIGINT AS n FROM deliveries WHERE mode = 'enhanced'`,
  );
  if (num(enhanced.n) === 0) return null;
  const bucketMs = await chartBucketMs(store, settings);
  const cells = await rows<{ b: number; relayed: number; first: number }>(
    store,
    `WITH m AS (SELECT d.start_ms, l.first_attempt_ms FROM delivery_log l JOIN deliveries d ON d.id = l.delivery_id
       WHERE d.mode = 'enhanced' AND NOT l.excluded),
     r AS (SELECT (start_ms // ?::BIGINT)::BIGINT AS b, count(*)::BIGINT AS n FROM m GROUP BY b),
     f AS (SELECT (first_attempt_ms // ?::BIGINT)::BIGINT AS b, count(*)::BIGINT AS n FROM m
       WHERE first_attempt_ms IS NOT NULL GROUP BY b)
     SELECT b, coalesce(r.n, 0)::BIGINT AS relayed, coalesce(f.n, 0)::BIGINT AS first
     FROM r FULL JOIN f USING (b) ORDER BY b`,
    [bucketMs, bucketMs],
  );
  const nb = cells.length ? num(cells[cells.length - 1]!.b) + 1 : 0;
  const relayed = new Array<number>(nb).fill(0);
  const firstAttempts = new Array<number>(nb).fill(0);
  for (const c of cells) {
    relayed[num(c.b)] = num(c.relayed);
    firstAttempts[num(c.b)] = num(c.first);
  }
  const times = Array.from({ length: nb }, (_, i) => i * bucketMs);
  return {
    bucketMs,
    times,
    relayed,
    firstAttempts,
    total: relayed.reduce((a, b) => a + b, 0),
    peak: relayed.reduce((a, b) => Math.max(a, b), 0),
  };
}
