/**
 * Retry timing: the delay before each attempt number (time since the previous attempt of the same
 * message), a histogram of those delays, time to deliver (delivered_ms minus the delivery's start),
 * and attempts per delivered message. Percentiles are `quantile_disc` (nearest rank): exact values
 * that occur in the data, the same on every run.
 */
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../settings.ts';
import { num, one, type ReportStore, rows } from '../store-port.ts';

export interface Percentiles {
  count: number;
  /** p50, p90, p99 by default: keys are `p` + 100 x quantile */
  [p: `p${number}`]: number | null;
  min: number | null;
  max: number | null;
}

export interface AttemptDelay extends Percentiles {
  /** attempt number (2 = first retry) */
  attempt: number;
}

export interface Histogram {
  /** bin width, ms */
  binMs: number;
  /** bins[i] counts delays in [i x binMs, (i + 1) x binMs); the last bin also takes the maximum */
  bins: number[];
}

/** Bin widths a person reads at a glance: whole seconds, minutes, hours or days. */
const NICE_BINS_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
].map((s) => s * 1000);

/**
 * The smallest nice bin width (1 s, 2 s, 5 s, ... 30 m, 1 h, 2 h, 3 h, 6 h, 12 h, 1 d, then whole days)
 * of at least `ms`: bins then start on round durations and labels say what they hold.
 */
export function niceBinMs(ms: number): number {
  const w = NICE_BINS_MS.find((b) => b >= ms);
  return w ?? Math.ceil(ms / 86_400_000) * 86_400_000;
}

export interface RetryTiming {
  /** all attempts (first tries included) */
  attempts: number;
  /** attempts after the first */
  retries: number;
  /** delays of all retries */
  delay: Percentiles;
  byAttempt: AttemptDelay[];
  histogram: Histogram;
  timeToDeliver: Percentiles;
  /** mean attempts per delivered message (0 when none) */
  attemptsPerDelivered: number;
}

function quantileSql(column: string, qs: readonly number[]): string {
  return qs.map((q) => `quantile_disc(${column}, ${q}) AS "p${Math.round(q * 100)}"`).join(', ');
}

function percentiles(r: Record<string, unknown>, qs: readonly number[]): Percentiles {
  const count = num(r.count);
  const out: Percentiles = {
    count,
    min: count ? num(r.min) : null,
    max: count ? num(r.max) : null,
  };
  for (const q of qs) {
    const k = `p${Math.round(q * 100)}` as const;
    out[k] = count ? num(r[k]) : null;
  }
  return out;
}

// the window runs only over the (delivery, recipient) pairs that were retried: the others give no
// row of r, and at 10M most are tried once (8.7M attempts, 1M retries: 0.75 -> 0.19 s per query)
const DELAYS = `k AS (SELECT DISTINCT delivery_id, recipient_id FROM attempts WHERE attempt > 1),
  d AS (SELECT attempt, t - lag(t) OVER (PARTITION BY a.delivery_id, a.recipient_id ORDER BY attempt, t) AS delay
        FROM attempts a SEMI JOIN k ON k.delivery_id = a.delivery_id AND k.recipient_id = a.recipient_id),
  r AS (SELECT attempt, delay FROM d WHERE attempt > 1 AND delay IS NOT NULL)`;

/** Retry timing of the run. */
export async function retryTiming(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<RetryTiming> {
  const qs = settings.quantiles;
  const attempts = num((await one<{ n: number }>(store, 'SELECT count(*) AS n FROM attempts')).n);
  // one pass for the overall figures (attempt IS NULL) and per attempt number
  const grouped = await rows<Record<string, unknown>>(
    store,
    `WITH ${DELAYS} SELECT attempt, count(*) AS count, min(delay) AS min, max(delay) AS max, ${quantileSql('delay', qs)}
     FROM r GROUP BY GROUPING SETS ((attempt), ()) ORDER BY attempt NULLS FIRST`,
  );
  const all = grouped.find((g) => g.attempt === null) ?? { count: 0 };
  const per = grouped.filter((g) => g.attempt !== null);
  const maxDelay = num(all.max);
  const bins = settings.histogramBins;
  const binMs = niceBinMs((maxDelay + 1) / bins);
  const hist = await rows<{ b: number; n: number }>(
    store,
    `WITH ${DELAYS} SELECT least(delay // ?::BIGINT, ?::BIGINT)::BIGINT AS b, count(*) AS n FROM r GROUP BY b ORDER BY b`,
    [binMs, bins - 1],
  );
  const histogram: Histogram = { binMs, bins: new Array<number>(bins).fill(0) };
  for (const h of hist) histogram.bins[num(h.b)] = num(h.n);
  const ttd = await one<Record<string, unknown>>(
    store,
    `WITH x AS (SELECT l.delivered_ms - d.start_ms AS v, l.attempts FROM delivery_log l JOIN deliveries d ON d.id = l.delivery_id
                WHERE l.status = 'sent' AND NOT l.excluded AND l.delivered_ms IS NOT NULL)
     SELECT count(*) AS count, min(v) AS min, max(v) AS max, avg(attempts) AS apd, ${quantileSql('v', qs)} FROM x`,
  );
  const delay = percentiles(all, qs);
  return {
    attempts,
    retries: delay.count,
    delay,
    byAttempt: per.map((p) => ({ ...percentiles(p, qs), attempt: num(p.attempt) })),
    histogram,
    timeToDeliver: percentiles(ttd, qs),
    attemptsPerDelivered: num(ttd.apd),
  };
}
