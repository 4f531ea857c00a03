/**
 * Consistency checks of a run store against itself and its `summary.json` (issue #19, item 4). Each
 * check recomputes a fact with plain SQL written for this file, not with the reports' queries, so a
 * figure the reports get wrong shows up as a difference:
 *
 * | check | what must hold |
 * | --- | --- |
 * | `summary` | every figure of `summary.json` that the tables determine equals its recomputation (messages, quarantine, ground truth with precision and recall, throughput, retries, time to deliver, KPI base, qualification, completedAt; not yet the delay percentiles and the final KPI ratios) |
 * | `suspensions-unique` | no two identical rows in `suspensions` (`pathDown` rows are per link: local IP and `mx_ip`) |
 * | `attempt-after-final` | no attempt of a message after its final outcome (delivered, failed, expired); async mail later is fine |
 * | `log-attempts` | each delivery-log row agrees with its attempts: count, first and last time, last outcome vs status, `delivered_ms` |
 * | `throughput-attempts` | the `throughput` table counts exactly the attempts (per slice, domain, local IP, outcome) |
 * | `slice-limit` | no MX-rule bucket sends more in one slice than its rule allows (SPEC §7.1; needs `limits`) |
 *
 * The store does not hold the MX rules: `limits` (one row per (domain, MX IP) with its rule) comes
 * from the caller (runner/path-limits.ts derives them from the run's plan).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOUR } from '../core/types.ts';
import { openRunStore } from './reader.ts';

/** What the checks need of a store (RunStore has it). */
export interface CheckableStore {
  all<T = Record<string, unknown>>(sql: string, params?: (string | number | boolean | null)[]): Promise<T[]>;
}

export type CheckName =
  | 'summary'
  | 'suspensions-unique'
  | 'attempt-after-final'
  | 'log-attempts'
  | 'throughput-attempts'
  | 'slice-limit';

export interface Violation {
  check: CheckName;
  /** the table (or `summary.json`) holding the wrong row */
  table: string;
  /** the row: its key columns (or the summary field) */
  key: string;
  /** what differs */
  detail: string;
}

/** The MX rule that governs sends from any local IP to `mxIp` for `domain`. */
export interface PathLimit {
  domain: string;
  mxIp: string;
  /** the MX rule's name */
  rule: string;
  /** shared: one bucket per (local IP, rule); else per (local IP, MX IP, rule) */
  shared: boolean;
  /** most sends a slice allows */
  perSlice: number;
  /** slice length, ms (5 minutes; longer when the hourly rate is under 12) */
  sliceMs: number;
}

export interface CheckOptions {
  /** MX-rule limits per (domain, MX IP); without them `slice-limit` is not checked */
  limits?: readonly PathLimit[];
  /** ground-truth values that should be quarantined (reports' default) */
  shouldQuarantine?: readonly string[];
  /** the truth of a working address (reports' default) */
  validTruth?: string;
  /** the truth of an address nobody knows the truth of, left out of precision and recall (reports' default) */
  noTruth?: string;
  /** most violations listed per check (default 20) */
  maxPerCheck?: number;
}

/** Ratios in summary.json are rounded to 6 decimals. */
const RATIO_TOLERANCE = 1e-6;
const SLICE = 300_000;

/** Runs every check on `store` against `summary` (summary.json's content). */
export async function checkConsistency(
  store: CheckableStore,
  summary: unknown,
  options: CheckOptions = {},
): Promise<Violation[]> {
  const o = {
    shouldQuarantine: options.shouldQuarantine ?? [
      'unknown',
      'disabledPermanent',
      'mailboxFullPermanent',
      'invalidDomain',
    ],
    validTruth: options.validTruth ?? 'valid',
    noTruth: options.noTruth ?? 'n/a',
    max: options.maxPerCheck ?? 20,
  };
  const q = async <T>(sql: string): Promise<T[]> => plainRows<T>(await store.all(sql));
  const out: Violation[] = [];
  out.push(...(await checkSummary(q, summary as SummaryLike, o)));
  out.push(...(await checkSuspensions(q, o.max)));
  out.push(...(await checkAttemptAfterFinal(q, o.max)));
  out.push(...(await checkLogAttempts(q, o.max)));
  out.push(...(await checkThroughput(q, o.max)));
  if (options.limits) out.push(...(await checkSliceLimits(q, options.limits, o.max)));
  return out;
}

/** Opens `dir/run.duckdb` read-only and checks it against `dir/summary.json`. */
export async function checkRunDir(dir: string, options: CheckOptions = {}): Promise<Violation[]> {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as unknown;
  const store = await openRunStore(dir, { readonly: true });
  try {
    return await checkConsistency(store, summary, options);
  } finally {
    await store.close();
  }
}

/** One line per violation, for messages and the CLI. */
export function formatViolations(vs: readonly Violation[]): string {
  return vs.map((v) => `${v.check}: ${v.table} ${v.key}: ${v.detail}`).join('\n');
}

type Query = <T>(sql: string) => Promise<T[]>;

function plainRows<T>(rows: Record<string, unknown>[]): T[] {
  for (const r of rows) for (const k of Object.keys(r)) if (typeof r[k] === 'bigint') r[k] = Number(r[k]);
  return rows as T[];
}

const sqlList = (xs: readonly string[]) =>
  xs.length ? `(${xs.map((x) => `'${x.replaceAll("'", "''")}'`).join(', ')})` : "('')";

// ------------------------------------------------------------------------------------ summary

interface ReasonRow {
  reason: number | null;
  count?: number;
  addresses?: number;
}
/** The parts of summary.json the checks read (schema: reports/summary/summary-schema.ts). */
interface SummaryLike {
  completedAt?: { ms?: number };
  messages?: {
    targeted?: number;
    excluded?: { total?: number; byReason?: ReasonRow[] };
    delivered?: number;
    failed?: { total?: number; byType?: Record<string, number>; byReason?: ReasonRow[] };
    pending?: number;
    cancelled?: number;
  };
  quarantine?: {
    targetedAddresses?: number;
    addresses?: number;
    rate?: number;
    byReason?: ReasonRow[];
    falseQuarantines?: number;
    missedQuarantines?: number;
    precision?: number;
    recall?: number;
  };
  throughput?: {
    peakPerHour?: number;
    peakHourMs?: number;
    perDomain?: {
      domain: string;
      attempts: number;
      delivered: number;
      deferred: number;
      failed: number;
      peakPerHour: number;
    }[];
  };
  retries?: { attempts?: number; retries?: number };
  timeToDeliver?: { count?: number };
  kpi?: { processed?: number };
  qualification?: { entries?: number; toQualify?: number; toQualifyOccurrences?: number };
}

async function checkSummary(
  q: Query,
  s: SummaryLike,
  o: { shouldQuarantine: readonly string[]; validTruth: string; noTruth: string },
): Promise<Violation[]> {
  const out: Violation[] = [];
  const expect = (field: string, actual: unknown, recomputed: number | null, tolerance = 0) => {
    const ok =
      recomputed === null
        ? actual === null
        : typeof actual === 'number' && Math.abs(actual - recomputed) <= tolerance;
    if (!ok)
      out.push({
        check: 'summary',
        table: 'summary.json',
        key: field,
        detail: `says ${JSON.stringify(actual)}, the tables give ${recomputed}`,
      });
  };
  const expectMap = (
    field: string,
    actual: ReasonRow[] | undefined,
    rows: { k: number | null; n: number }[],
  ) => {
    const got = new Map((actual ?? []).map((r) => [r.reason, r.count ?? r.addresses]));
    const want = new Map(rows.map((r) => [r.k, r.n]));
    for (const k of new Set([...got.keys(), ...want.keys()]))
      expect(`${field}[reason ${k}]`, got.get(k) ?? 0, want.get(k) ?? 0);
  };

  // messages: acceptance is what counts as delivered (issue #19 defect 6)
  const [m] = await q<Record<string, number>>(
    `SELECT count(*) AS targeted, count(*) FILTER (WHERE excluded) AS excluded,
       count(*) FILTER (WHERE NOT excluded AND status = 'sent' AND delivered_ms IS NOT NULL) AS delivered,
       count(*) FILTER (WHERE NOT excluded AND status = 'failed') AS failed,
       count(*) FILTER (WHERE NOT excluded AND status = 'cancelled') AS cancelled
     FROM delivery_log`,
  );
  const mm = m!;
  expect('messages.targeted', s.messages?.targeted, mm.targeted!);
  expect('messages.excluded.total', s.messages?.excluded?.total, mm.excluded!);
  expect('messages.delivered', s.messages?.delivered, mm.delivered!);
  expect('messages.failed.total', s.messages?.failed?.total, mm.failed!);
  expect('messages.cancelled', s.messages?.cancelled ?? 0, mm.cancelled!);
  expect(
    'messages.pending',
    s.messages?.pending,
    mm.targeted! - mm.excluded! - mm.delivered! - mm.failed! - mm.cancelled!,
  );
  expectMap(
    'messages.excluded.byReason',
    s.messages?.excluded?.byReason,
    await q(`SELECT reason AS k, count(*) AS n FROM delivery_log WHERE excluded GROUP BY reason`),
  );
  expectMap(
    'messages.failed.byReason',
    s.messages?.failed?.byReason,
    await q(
      `SELECT reason AS k, count(*) AS n FROM delivery_log WHERE NOT excluded AND status = 'failed' GROUP BY reason`,
    ),
  );
  const byType = await q<{ k: string; n: number }>(
    `SELECT coalesce(type::VARCHAR, 'none') AS k, count(*) AS n FROM delivery_log
     WHERE NOT excluded AND status = 'failed' GROUP BY k`,
  );
  const types = new Set([...Object.keys(s.messages?.failed?.byType ?? {}), ...byType.map((r) => r.k)]);
  for (const t of types)
    expect(
      `messages.failed.byType.${t}`,
      s.messages?.failed?.byType?.[t] ?? 0,
      byType.find((r) => r.k === t)?.n ?? 0,
    );

  // quarantine: addresses the run left in quarantine that were not quarantined or denylisted before it
  const addr = `a AS (SELECT address, min(truth) AS truth, bool_or(initial_status IN ('quarantine', 'denylisted')) AS pre
      FROM recipients WHERE address <> '' GROUP BY address),
    z AS (SELECT a.address, a.truth, x.reason FROM a JOIN quarantine x ON x.address = a.address
      WHERE x.status = 'quarantine' AND NOT a.pre)`;
  const [qq] = await q<Record<string, number>>(
    `WITH ${addr} SELECT (SELECT count(*) FROM a) AS targeted, (SELECT count(*) FROM z) AS quarantined,
       (SELECT count(*) FROM z WHERE truth = '${o.validTruth.replaceAll("'", "''")}') AS false_q,
       (SELECT count(*) FROM z WHERE truth IN ${sqlList(o.shouldQuarantine)}) AS tp,
       (SELECT count(*) FROM a WHERE NOT pre AND truth IN ${sqlList(o.shouldQuarantine)}
          AND address NOT IN (SELECT address FROM z)) AS missed,
       (SELECT count(*) FROM z WHERE truth = '${o.noTruth.replaceAll("'", "''")}') AS quarantined_no_truth,
       (SELECT count(*) FROM a WHERE NOT pre AND truth <> '${o.noTruth.replaceAll("'", "''")}') AS known`,
  );
  const qz = qq!;
  expect('quarantine.targetedAddresses', s.quarantine?.targetedAddresses, qz.targeted!);
  expect('quarantine.addresses', s.quarantine?.addresses, qz.quarantined!);
  expect(
    'quarantine.rate',
    s.quarantine?.rate,
    qz.targeted! > 0 ? qz.quarantined! / qz.targeted! : 0,
    RATIO_TOLERANCE,
  );
  expect('quarantine.falseQuarantines', s.quarantine?.falseQuarantines, qz.false_q!);
  expect('quarantine.missedQuarantines', s.quarantine?.missedQuarantines, qz.missed!);
  // precision over what the run quarantined with a known truth, recall over what it should have; 1
  // when there is none, null when no decided address has a known truth (an ingested log)
  const tp = qz.tp!;
  const judged = qz.quarantined! - qz.quarantined_no_truth!;
  expect(
    'quarantine.precision',
    s.quarantine?.precision,
    qz.known === 0 ? null : judged > 0 ? tp / judged : 1,
    RATIO_TOLERANCE,
  );
  expect(
    'quarantine.recall',
    s.quarantine?.recall,
    qz.known === 0 ? null : tp + qz.missed! > 0 ? tp / (tp + qz.missed!) : 1,
    RATIO_TOLERANCE,
  );
  expectMap(
    'quarantine.byReason',
    s.quarantine?.byReason,
    await q(`WITH ${addr} SELECT reason AS k, count(*) AS n FROM z GROUP BY reason`),
  );

  // throughput from the attempts themselves (the throughput table is checked against them separately)
  const peak = await q<{ h: number; n: number }>(
    `SELECT t // ${HOUR} AS h, count(*) AS n FROM attempts GROUP BY h ORDER BY n DESC, h LIMIT 1`,
  );
  expect('throughput.peakPerHour', s.throughput?.peakPerHour, peak[0]?.n ?? 0);
  expect('throughput.peakHourMs', s.throughput?.peakHourMs, (peak[0]?.h ?? 0) * HOUR);
  const perDomain = await q<{
    domain: string;
    attempts: number;
    delivered: number;
    deferred: number;
    failed: number;
    peakPerHour: number;
  }>(
    `SELECT domain, count(*) AS attempts, count(*) FILTER (WHERE outcome = 'delivered') AS delivered,
       count(*) FILTER (WHERE outcome = 'retry') AS deferred,
       count(*) FILTER (WHERE outcome IN ('failed', 'expired')) AS failed,
       max(per_hour) AS "peakPerHour"
     FROM (SELECT *, count(*) OVER (PARTITION BY domain, t // ${HOUR}) AS per_hour FROM attempts) GROUP BY domain`,
  );
  const said = new Map((s.throughput?.perDomain ?? []).map((d) => [d.domain, d]));
  for (const d of perDomain) {
    const x = said.get(d.domain);
    for (const f of ['attempts', 'delivered', 'deferred', 'failed', 'peakPerHour'] as const)
      expect(`throughput.perDomain[${d.domain}].${f}`, x?.[f], d[f]);
    said.delete(d.domain);
  }
  for (const d of said.keys()) expect(`throughput.perDomain[${d}].attempts`, said.get(d)?.attempts, 0);

  // retries, time to deliver, KPI base, qualification, completedAt
  const [r] = await q<Record<string, number>>(
    `SELECT (SELECT count(*) FROM attempts) AS attempts,
       (SELECT count(*) FROM attempts WHERE attempt > 1) AS retries,
       (SELECT count(*) FROM delivery_log WHERE NOT excluded AND status <> 'cancelled') AS processed,
       (SELECT count(*) FROM qualification) AS entries,
       (SELECT count(*) FROM qualification WHERE status = 'toQualify') AS tq,
       (SELECT coalesce(sum(occurrences), 0) FROM qualification WHERE status = 'toQualify') AS tqo,
       greatest((SELECT coalesce(max(t), 0) FROM attempts), (SELECT coalesce(max(t), 0) FROM inmail),
         (SELECT coalesce(max(t), 0) FROM quarantine_history WHERE cause <> 'remediation'),
         (SELECT coalesce(max(delivered_ms), 0) FROM delivery_log)) AS completed`,
  );
  const rr = r!;
  expect('retries.attempts', s.retries?.attempts, rr.attempts!);
  expect('retries.retries', s.retries?.retries, rr.retries!);
  expect('timeToDeliver.count', s.timeToDeliver?.count, mm.delivered!);
  expect('kpi.processed', s.kpi?.processed, rr.processed!);
  expect('qualification.entries', s.qualification?.entries, rr.entries!);
  expect('qualification.toQualify', s.qualification?.toQualify, rr.tq!);
  expect('qualification.toQualifyOccurrences', s.qualification?.toQualifyOccurrences, rr.tqo!);
  expect('completedAt.ms', s.completedAt?.ms, rr.completed!);
  return out;
}

// ------------------------------------------------------------------------------------ tables

/**
 * Identical rows in `suspensions`, `pathDown` included: its rows are per (local IP, MX IP) link, and
 * the `mx_ip` column tells apart the links of one domain that go down together.
 */
async function checkSuspensions(q: Query, max: number): Promise<Violation[]> {
  const rows = await q<{
    kind: string;
    domain: string;
    local_ip: string | null;
    mx_ip: string | null;
    start_ms: number;
    end_ms: number;
    rule: string | null;
    n: number;
  }>(
    `SELECT kind, domain, local_ip, mx_ip, start_ms, end_ms, rule, text, count(*) AS n FROM suspensions
     GROUP BY ALL HAVING count(*) > 1 ORDER BY start_ms, domain, kind, local_ip NULLS FIRST, rule NULLS FIRST LIMIT ${max}`,
  );
  return rows.map((r) => ({
    check: 'suspensions-unique' as const,
    table: 'suspensions',
    key: `kind=${r.kind} domain=${r.domain} local_ip=${r.local_ip} mx_ip=${r.mx_ip} start_ms=${r.start_ms}`,
    detail: `${r.n} identical rows (end_ms=${r.end_ms}, rule=${r.rule})`,
  }));
}

async function checkAttemptAfterFinal(q: Query, max: number): Promise<Violation[]> {
  const rows = await q<{
    d: number;
    r: number;
    attempt: number;
    t: number;
    outcome: string;
    ft: number;
    fa: number;
    fo: string;
  }>(
    `WITH f AS (SELECT delivery_id, recipient_id, min(attempt) AS fa FROM attempts
                WHERE outcome IN ('delivered', 'failed', 'expired') GROUP BY ALL),
     fr AS (SELECT a.delivery_id, a.recipient_id, a.attempt AS fa, min(a.t) AS ft, min(a.outcome) AS fo FROM attempts a
            JOIN f ON f.delivery_id = a.delivery_id AND f.recipient_id = a.recipient_id AND f.fa = a.attempt GROUP BY ALL)
     SELECT a.delivery_id AS d, a.recipient_id AS r, a.attempt, a.t, a.outcome, fr.ft, fr.fa, fr.fo
     FROM attempts a JOIN fr ON fr.delivery_id = a.delivery_id AND fr.recipient_id = a.recipient_id
     WHERE a.attempt > fr.fa OR a.t > fr.ft
     ORDER BY a.t, d, r, a.attempt LIMIT ${max}`,
  );
  return rows.map((x) => ({
    check: 'attempt-after-final' as const,
    table: 'attempts',
    key: `delivery_id=${x.d} recipient_id=${x.r} attempt=${x.attempt}`,
    detail: `at ${x.t} (${x.outcome}) after attempt ${x.fa} ended it (${x.fo} at ${x.ft})`,
  }));
}

async function checkLogAttempts(q: Query, max: number): Promise<Violation[]> {
  const rows = await q<{ d: number; r: number; problem: string }>(
    `WITH a AS (SELECT delivery_id, recipient_id, count(*) AS n, max(attempt) AS last_no, min(t) AS first_t, max(t) AS last_t,
                  arg_max(outcome, attempt) AS last_outcome,
                  min(t) FILTER (WHERE outcome = 'delivered') AS delivered_t
                FROM attempts GROUP BY ALL),
     j AS (SELECT l.delivery_id, l.recipient_id, l.status, l.excluded, l.attempts, l.first_attempt_ms, l.last_attempt_ms,
                  l.delivered_ms, d.mode, coalesce(a.n, 0) AS n, coalesce(a.last_no, 0) AS last_no, a.first_t, a.last_t,
                  a.last_outcome, a.delivered_t, a.delivery_id IS NULL AS none
           FROM delivery_log l LEFT JOIN deliveries d ON d.id = l.delivery_id
           LEFT JOIN a ON a.delivery_id = l.delivery_id AND a.recipient_id = l.recipient_id),
     p AS (SELECT delivery_id AS d, recipient_id AS r, concat_ws('; ',
        CASE WHEN attempts <> n THEN 'attempts ' || attempts || ' but ' || n || ' attempt rows' END,
        CASE WHEN n > 0 AND last_no <> n THEN 'attempt numbers end at ' || last_no || ' over ' || n || ' rows' END,
        CASE WHEN first_attempt_ms IS DISTINCT FROM first_t THEN 'first_attempt_ms ' || coalesce(first_attempt_ms::VARCHAR, 'null') || ' but first attempt at ' || coalesce(first_t::VARCHAR, 'none') END,
        CASE WHEN last_attempt_ms IS DISTINCT FROM last_t THEN 'last_attempt_ms ' || coalesce(last_attempt_ms::VARCHAR, 'null') || ' but last attempt at ' || coalesce(last_t::VARCHAR, 'none') END,
        CASE WHEN delivered_ms IS DISTINCT FROM delivered_t THEN 'delivered_ms ' || coalesce(delivered_ms::VARCHAR, 'null') || ' but accepted at ' || coalesce(delivered_t::VARCHAR, 'never') END,
        CASE WHEN excluded AND n > 0 THEN 'excluded yet attempted' END,
        CASE WHEN last_outcome = 'delivered' AND status NOT IN ('sent', 'failed') THEN 'last attempt delivered but status ' || status END,
        CASE WHEN last_outcome = 'failed' AND status NOT IN ('failed', 'ignored') THEN 'last attempt failed but status ' || status END,
        CASE WHEN last_outcome = 'expired' AND status <> 'failed' THEN 'last attempt expired but status ' || status END,
        -- a message waiting for its retry may end cancelled: its delivery was stopped (legacy MTA, SPEC §8)
        CASE WHEN last_outcome = 'retry' AND (status = 'ignored' OR (status = 'sent' AND mode <> 'enhanced'))
             THEN 'last attempt retry but status ' || status END,
        CASE WHEN none AND NOT excluded AND status = 'sent' AND mode <> 'enhanced' THEN 'sent without any attempt' END
       ) AS problem FROM j)
     SELECT d, r, problem FROM p WHERE problem <> '' ORDER BY d, r LIMIT ${max}`,
  );
  return rows.map((x) => ({
    check: 'log-attempts' as const,
    table: 'delivery_log',
    key: `delivery_id=${x.d} recipient_id=${x.r}`,
    detail: x.problem,
  }));
}

async function checkThroughput(q: Query, max: number): Promise<Violation[]> {
  const rows = await q<{
    slice_ms: number;
    domain: string;
    local_ip: string;
    col: string;
    table_n: number;
    attempts_n: number;
  }>(
    `WITH a AS (SELECT (t // ${SLICE}) * ${SLICE} AS slice_ms, domain, coalesce(local_ip, '') AS local_ip, count(*) AS attempts,
                  count(*) FILTER (WHERE outcome = 'delivered') AS delivered, count(*) FILTER (WHERE outcome = 'retry') AS deferred,
                  count(*) FILTER (WHERE outcome IN ('failed', 'expired')) AS failed FROM attempts GROUP BY ALL),
     tp AS (SELECT slice_ms, domain, local_ip, sum(attempts) AS attempts, sum(delivered) AS delivered, sum(deferred) AS deferred,
                   sum(failed) AS failed FROM throughput GROUP BY ALL),
     j AS (SELECT coalesce(tp.slice_ms, a.slice_ms) AS slice_ms, coalesce(tp.domain, a.domain) AS domain,
                  coalesce(tp.local_ip, a.local_ip) AS local_ip,
                  [coalesce(tp.attempts, 0), coalesce(tp.delivered, 0), coalesce(tp.deferred, 0), coalesce(tp.failed, 0)] AS x,
                  [coalesce(a.attempts, 0), coalesce(a.delivered, 0), coalesce(a.deferred, 0), coalesce(a.failed, 0)] AS y
           FROM tp FULL JOIN a ON a.slice_ms = tp.slice_ms AND a.domain = tp.domain AND a.local_ip = tp.local_ip)
     SELECT slice_ms, domain, local_ip, ['attempts', 'delivered', 'deferred', 'failed'][i] AS col, x[i] AS table_n, y[i] AS attempts_n
     FROM j, range(1, 5) r(i) WHERE x[i] <> y[i] ORDER BY slice_ms, domain, local_ip, i LIMIT ${max}`,
  );
  return rows.map((x) => ({
    check: 'throughput-attempts' as const,
    table: 'throughput',
    key: `slice_ms=${x.slice_ms} domain=${x.domain} local_ip=${x.local_ip}`,
    detail: `${x.col} ${x.table_n} but ${x.attempts_n} in attempts`,
  }));
}

async function checkSliceLimits(q: Query, limits: readonly PathLimit[], max: number): Promise<Violation[]> {
  if (limits.length === 0) return [];
  const str = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const values = limits
    .map(
      (l) =>
        `(${str(l.domain)}, ${str(l.mxIp)}, ${str(l.shared ? l.rule : `${l.rule}|${l.mxIp}`)}, ${l.perSlice}, ${l.sliceMs})`,
    )
    .join(', ');
  const rows = await q<{ local_ip: string; bucket: string; slice_ms: number; n: number; per_slice: number }>(
    `WITH lim(domain, mx_ip, bucket, per_slice, slice_ms) AS (VALUES ${values}),
     s AS (SELECT a.local_ip, l.bucket, (a.t // l.slice_ms) * l.slice_ms AS slice_ms, min(l.per_slice) AS per_slice, count(*) AS n
           FROM attempts a JOIN lim l ON l.domain = a.domain AND l.mx_ip = a.mx_ip
           WHERE a.local_ip IS NOT NULL GROUP BY ALL)
     SELECT local_ip, bucket, slice_ms, n, per_slice FROM s WHERE n > per_slice
     ORDER BY slice_ms, local_ip, bucket LIMIT ${max}`,
  );
  return rows.map((x) => ({
    check: 'slice-limit' as const,
    table: 'attempts',
    key: `local_ip=${x.local_ip} rule=${x.bucket} slice_ms=${x.slice_ms}`,
    detail: `${x.n} sends in the slice, the rule allows ${x.per_slice}`,
  }));
}
