/**
 * Quarantine metrics: how many targeted addresses the run put in quarantine, by reason, by domain
 * and over time. "Quarantined" = the address ends the run in quarantine and was not already
 * quarantined or denylisted before it (see QUARANTINE_CTES).
 */
import { reasonName } from '../../core/types.ts';
import { bucketWidth, DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../settings.ts';
import { QUARANTINE_CTES, QUARANTINED_CTES } from '../sql.ts';
import { num, one, type ReportStore, rows } from '../store-port.ts';

export interface QuarantineRate {
  /** distinct non-empty addresses targeted */
  targetedAddresses: number;
  /** of which the run left in quarantine */
  quarantined: number;
  /** quarantined / targetedAddresses (0 when nothing was targeted) */
  rate: number;
}

export interface QuarantineByReason {
  reason: number | null;
  name: string;
  addresses: number;
  /** over targeted addresses */
  rate: number;
}

export interface QuarantineByDomain {
  domain: string;
  targeted: number;
  quarantined: number;
  rate: number;
}

export interface TimePoint {
  /** start of the bucket, ms */
  t: number;
  /** addresses that entered quarantine in the bucket */
  count: number;
  /** running total at the end of the bucket */
  cumulative: number;
}

export interface QuarantineOverTime {
  bucketMs: number;
  points: TimePoint[];
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/**
 * One row per (domain, truth, decided-before-the-run, quarantined, reason) with its count of distinct
 * targeted addresses: every quarantine and ground-truth figure derives from these few rows, so a
 * report groups the recipients once. Pass the result to the functions below to reuse it.
 */
export interface QuarantineFact {
  domain: string;
  truth: string;
  /** quarantined or denylisted before the run */
  pre: boolean;
  /** left in quarantine by the run */
  quar: boolean;
  reason: number | null;
  /** the rule that put them in quarantine (null: not quarantined, or no rule named) */
  rule: string | null;
  /** first and last entry into quarantine of the group (null: not quarantined) */
  fromMs: number | null;
  toMs: number | null;
  n: number;
}

/** Computes the quarantine facts of a run (one pass over the recipients). */
export async function quarantineFacts(store: ReportStore): Promise<QuarantineFact[]> {
  const r = await rows<QuarantineFact>(
    store,
    `WITH ${QUARANTINE_CTES}
     SELECT a.domain, a.truth, a.pre, q.address IS NOT NULL AS quar, q.reason, q.rule,
            min(q.t) AS "fromMs", max(q.t) AS "toMs", count(*) AS n
     FROM addr a LEFT JOIN quarantined q ON q.address = a.address
     GROUP BY ALL ORDER BY a.domain, a.truth, a.pre, quar, q.reason NULLS FIRST, q.rule NULLS FIRST`,
  );
  for (const x of r) {
    x.n = num(x.n);
    x.fromMs = x.fromMs === null ? null : num(x.fromMs);
    x.toMs = x.toMs === null ? null : num(x.toMs);
  }
  return r;
}

/** Quarantine rate over targeted addresses. */
export async function quarantineRate(store: ReportStore, facts?: QuarantineFact[]): Promise<QuarantineRate> {
  const f = facts ?? (await quarantineFacts(store));
  let targetedAddresses = 0;
  let quarantined = 0;
  for (const x of f) {
    targetedAddresses += x.n;
    if (x.quar) quarantined += x.n;
  }
  return { targetedAddresses, quarantined, rate: ratio(quarantined, targetedAddresses) };
}

/** Quarantined addresses by reason (most first, then by reason value, unknown last). */
export async function quarantineByReason(
  store: ReportStore,
  facts?: QuarantineFact[],
): Promise<QuarantineByReason[]> {
  const f = facts ?? (await quarantineFacts(store));
  const targeted = f.reduce((a, x) => a + x.n, 0);
  const by = new Map<number | null, number>();
  for (const x of f) if (x.quar) by.set(x.reason, (by.get(x.reason) ?? 0) + x.n);
  return [...by]
    .sort((a, b) => b[1] - a[1] || (a[0] ?? Number.MAX_SAFE_INTEGER) - (b[0] ?? Number.MAX_SAFE_INTEGER))
    .map(([reason, n]) => ({
      reason,
      name: reason === null ? 'unknown' : reasonName(reason),
      addresses: n,
      rate: ratio(n, targeted),
    }));
}

/** Per recipient domain: targeted addresses, quarantined, rate (most quarantined first, then by name). */
export async function quarantineByDomain(
  store: ReportStore,
  facts?: QuarantineFact[],
): Promise<QuarantineByDomain[]> {
  const f = facts ?? (await quarantineFacts(store));
  const by = new Map<string, { targeted: number; quarantined: number }>();
  for (const x of f) {
    let d = by.get(x.domain);
    if (!d) {
      d = { targeted: 0, quarantined: 0 };
      by.set(x.domain, d);
    }
    d.targeted += x.n;
    if (x.quar) d.quarantined += x.n;
  }
  return [...by]
    .map(([domain, d]) => ({ domain, ...d, rate: ratio(d.quarantined, d.targeted) }))
    .sort(
      (a, b) => b.quarantined - a.quarantined || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0),
    );
}

/** Addresses entering quarantine per hour (or a wider bucket so there are at most `maxPoints` points). */
export async function quarantineOverTime(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<QuarantineOverTime> {
  const span = await one<{ hi: number | null }>(
    store,
    `WITH ${QUARANTINED_CTES} SELECT max(t) AS hi FROM quarantined`,
  );
  const bucketMs = bucketWidth(num(span.hi) + 1, settings.hourMs, settings.maxPoints);
  const r = await rows<{ b: number; n: number }>(
    store,
    `WITH ${QUARANTINED_CTES}
     SELECT (t // ?::BIGINT)::BIGINT AS b, count(*) AS n FROM quarantined GROUP BY b ORDER BY b`,
    [bucketMs],
  );
  return { bucketMs, points: densify(r, bucketMs) };
}

/** Fills empty buckets between the first and the last with zeros, and adds running totals. */
export function densify(sparse: { b: number; n: number }[], bucketMs: number): TimePoint[] {
  const points: TimePoint[] = [];
  if (sparse.length === 0) return points;
  const last = num(sparse[sparse.length - 1]!.b);
  let i = 0;
  let cumulative = 0;
  for (let b = 0; b <= last; b++) {
    let count = 0;
    if (i < sparse.length && num(sparse[i]!.b) === b) count = num(sparse[i++]!.n);
    cumulative += count;
    points.push({ t: b * bucketMs, count, cumulative });
  }
  return points;
}
