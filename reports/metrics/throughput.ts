/**
 * Throughput metrics from the `throughput` table (sends per 5-minute slice, domain and local IP):
 * per domain per slice, per hour, and the peak hour.
 */
import { bucketWidth, DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../settings.ts';
import { num, one, type ReportStore, rows } from '../store-port.ts';

export interface ThroughputCell {
  /** start of the slice or hour, ms */
  t: number;
  domain: string;
  attempts: number;
  delivered: number;
  deferred: number;
  failed: number;
}

export interface DomainThroughput {
  domain: string;
  attempts: number;
  delivered: number;
  deferred: number;
  failed: number;
  /** most attempts in one hour for this domain */
  peakPerHour: number;
  /** start of that hour (earliest if tied) */
  peakHourMs: number;
}

export interface PeakHour {
  /** attempts in the busiest hour, all domains */
  attempts: number;
  /** start of that hour (earliest if tied), ms */
  t: number;
}

export interface ThroughputSeries {
  bucketMs: number;
  /** domains in the order of their total attempts (most first), at most `topN`, then `other` */
  domains: string[];
  /** attempts[domainIndex][pointIndex] */
  attempts: number[][];
  /** bucket start times */
  times: number[];
}

const SUM = `sum(attempts)::BIGINT AS attempts, sum(delivered)::BIGINT AS delivered,
  sum(deferred)::BIGINT AS deferred, sum(failed)::BIGINT AS failed`;

/** Per domain per bucket (`bucketMs`, default the 5-minute slice), local IPs summed. Ordered by time, domain. */
export async function throughputByDomain(
  store: ReportStore,
  bucketMs: number = DEFAULT_REPORT_SETTINGS.sliceMs,
): Promise<ThroughputCell[]> {
  return rows<ThroughputCell>(
    store,
    `SELECT ((slice_ms // ?::BIGINT) * ?::BIGINT)::BIGINT AS t, domain, ${SUM}
     FROM throughput GROUP BY ALL ORDER BY t, domain`,
    [bucketMs, bucketMs],
  );
}

/** Per domain per hour. */
export function throughputPerHour(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<ThroughputCell[]> {
  return throughputByDomain(store, settings.hourMs);
}

/** The busiest hour over all domains. */
export async function peakHour(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<PeakHour> {
  const r = await rows<{ t: number; attempts: number }>(
    store,
    `SELECT (slice_ms // ?::BIGINT) * ?::BIGINT AS t, sum(attempts)::BIGINT AS attempts
     FROM throughput GROUP BY t ORDER BY attempts DESC, t LIMIT 1`,
    [settings.hourMs, settings.hourMs],
  );
  return r.length ? { attempts: num(r[0]!.attempts), t: num(r[0]!.t) } : { attempts: 0, t: 0 };
}

/** Totals and peak hour per domain (most attempts first, then by name). */
export async function domainThroughput(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<DomainThroughput[]> {
  return rows<DomainThroughput>(
    store,
    `WITH h AS (SELECT domain, (slice_ms // ?::BIGINT) * ?::BIGINT AS t, sum(attempts) AS n FROM throughput GROUP BY ALL),
     p AS (SELECT domain, n::BIGINT AS peak, t AS peak_t FROM (
       SELECT domain, n, t, row_number() OVER (PARTITION BY domain ORDER BY n DESC, t) AS rn FROM h) WHERE rn = 1)
     SELECT d.domain, d.attempts, d.delivered, d.deferred, d.failed, p.peak AS "peakPerHour", p.peak_t::BIGINT AS "peakHourMs"
     FROM (SELECT domain, ${SUM} FROM throughput GROUP BY domain) d JOIN p USING (domain)
     ORDER BY d.attempts DESC, d.domain`,
    [settings.hourMs, settings.hourMs],
  );
}

/**
 * The over-time charts' bucket: the 5-minute slice widened until the run's throughput slices fit in
 * `maxPoints` points. The throughput and relay charts both use it, so they share their x axis.
 */
export async function chartBucketMs(store: ReportStore, settings: ReportSettings): Promise<number> {
  const span = await one<{ hi: number | null }>(store, 'SELECT max(slice_ms) AS hi FROM throughput');
  return bucketWidth(num(span.hi) + settings.sliceMs, settings.sliceMs, settings.maxPoints);
}

/**
 * A chart-ready series: attempts per bucket for the top domains (the rest summed as `other`),
 * bucket = the 5-minute slice widened until there are at most `maxPoints` points.
 */
export async function throughputSeries(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<ThroughputSeries> {
  const bucketMs = await chartBucketMs(store, settings);
  const top = await rows<{ domain: string }>(
    store,
    'SELECT domain FROM throughput GROUP BY domain ORDER BY sum(attempts) DESC, domain LIMIT ?',
    [settings.topN],
  );
  const domains = top.map((d) => d.domain);
  const idx = new Map(domains.map((d, i) => [d, i]));
  const cells = await rows<{ b: number; d: string; n: number }>(
    store,
    `SELECT (slice_ms // ?::BIGINT)::BIGINT AS b, CASE WHEN domain IN (SELECT domain FROM throughput GROUP BY domain
       ORDER BY sum(attempts) DESC, domain LIMIT ?) THEN domain ELSE '(other)' END AS d, sum(attempts)::BIGINT AS n
     FROM throughput GROUP BY ALL ORDER BY b, d`,
    [bucketMs, settings.topN],
  );
  const nb = cells.length ? num(cells[cells.length - 1]!.b) + 1 : 0;
  const hasOther = cells.some((c) => c.d === '(other)' && !idx.has('(other)'));
  if (hasOther) {
    idx.set('(other)', domains.length);
    domains.push('(other)');
  }
  const attempts = domains.map(() => new Array<number>(nb).fill(0));
  for (const c of cells) attempts[idx.get(c.d)!]![num(c.b)] = num(c.n);
  const times = Array.from({ length: nb }, (_, i) => i * bucketMs);
  return { bucketMs, domains, attempts, times };
}
