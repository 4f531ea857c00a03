/**
 * Quarantine metrics: how many targeted addresses the run put in quarantine, by reason, by domain
 * and over time. "Quarantined" = the address ends the run in quarantine and was not already
 * quarantined or denylisted before it (see QUARANTINE_CTES).
 */
import { REASON_NAMES } from '../core/types.ts';
import { bucketWidth, DEFAULT_REPORT_SETTINGS, type ReportSettings } from './settings.ts';
import { QUARANTINE_CTES } from './sql.ts';
import { num, one, type ReportStore, rows } from './store-port.ts';

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

/** Quarantine rate over targeted addresses. */
export async function quarantineRate(store: ReportStore): Promise<QuarantineRate> {
  const r = await one<{ targeted: number; quarantined: number }>(
    store,
    `WITH ${QUARANTINE_CTES}
     SELECT (SELECT count(*) FROM addr) AS targeted, (SELECT count(*) FROM quarantined) AS quarantined`,
  );
  const targetedAddresses = num(r.targeted);
  const quarantined = num(r.quarantined);
  return { targetedAddresses, quarantined, rate: ratio(quarantined, targetedAddresses) };
}

/** Quarantined addresses by reason (most first, then by reason value). */
export async function quarantineByReason(store: ReportStore): Promise<QuarantineByReason[]> {
  const r = await rows<{ reason: number | null; n: number; targeted: number }>(
    store,
    `WITH ${QUARANTINE_CTES}
     SELECT reason, count(*) AS n, (SELECT count(*) FROM addr) AS targeted
     FROM quarantined GROUP BY reason ORDER BY n DESC, reason NULLS LAST`,
  );
  return r.map((x) => ({
    reason: x.reason,
    name: x.reason === null ? 'unknown' : (REASON_NAMES[x.reason] ?? `reason ${x.reason}`),
    addresses: num(x.n),
    rate: ratio(num(x.n), num(x.targeted)),
  }));
}

/** Per recipient domain: targeted addresses, quarantined, rate (most quarantined first, then by name). */
export async function quarantineByDomain(store: ReportStore): Promise<QuarantineByDomain[]> {
  const r = await rows<{ domain: string; targeted: number; quarantined: number }>(
    store,
    `WITH ${QUARANTINE_CTES}
     SELECT a.domain, count(*) AS targeted, count(q.address) AS quarantined
     FROM addr a LEFT JOIN quarantined q ON q.address = a.address
     GROUP BY a.domain ORDER BY quarantined DESC, a.domain`,
  );
  return r.map((x) => ({
    domain: x.domain,
    targeted: num(x.targeted),
    quarantined: num(x.quarantined),
    rate: ratio(num(x.quarantined), num(x.targeted)),
  }));
}

/** Addresses entering quarantine per hour (or a wider bucket so there are at most `maxPoints` points). */
export async function quarantineOverTime(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<QuarantineOverTime> {
  const span = await one<{ hi: number | null }>(
    store,
    `WITH ${QUARANTINE_CTES} SELECT max(t) AS hi FROM quarantined`,
  );
  const bucketMs = bucketWidth(num(span.hi) + 1, settings.hourMs, settings.maxPoints);
  const r = await rows<{ b: number; n: number }>(
    store,
    `WITH ${QUARANTINE_CTES}
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
