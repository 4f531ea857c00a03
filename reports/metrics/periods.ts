/**
 * Deferral and block periods. Deferral periods come from attempts with outcome `retry`, grouped per
 * domain into runs of consecutive hours that had at least one deferral; block periods are the rows
 * of the `suspensions` table (suspend, block, throttle, pathDown, delayQueue).
 */
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../settings.ts';
import { type ReportStore, rows } from '../store-port.ts';

export interface DeferralPeriod {
  domain: string;
  /** start of the first hour with deferrals, ms */
  startMs: number;
  /** end of the last hour with deferrals, ms */
  endMs: number;
  deferrals: number;
  /** most frequent reply text in the period (ties: smallest text) */
  topText: string;
}

export interface BlockPeriod {
  kind: string;
  domain: string;
  localIp: string | null;
  startMs: number;
  endMs: number;
  rule: string | null;
  text: string | null;
}

/** Deferral periods per domain (by domain, then start). */
export async function deferralPeriods(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<DeferralPeriod[]> {
  return rows<DeferralPeriod>(
    store,
    `WITH h AS (SELECT domain, (t // ?::BIGINT)::BIGINT AS b, count(*) AS n FROM attempts WHERE outcome = 'retry' GROUP BY ALL),
     g AS (SELECT domain, b, n, b - row_number() OVER (PARTITION BY domain ORDER BY b) AS grp FROM h),
     p AS (SELECT domain, grp, min(b) AS b0, max(b) AS b1, sum(n)::BIGINT AS n FROM g GROUP BY domain, grp),
     tx AS (SELECT domain, (t // ?::BIGINT)::BIGINT AS b, text, count(*) AS c FROM attempts WHERE outcome = 'retry' GROUP BY ALL),
     best AS (SELECT p.domain, p.grp, tx.text, row_number() OVER (PARTITION BY p.domain, p.grp ORDER BY sum(tx.c) DESC, tx.text) AS rn
              FROM p JOIN tx ON tx.domain = p.domain AND tx.b BETWEEN p.b0 AND p.b1 GROUP BY p.domain, p.grp, tx.text)
     SELECT p.domain, (p.b0 * ?::BIGINT)::BIGINT AS "startMs", ((p.b1 + 1) * ?::BIGINT)::BIGINT AS "endMs",
            p.n AS deferrals, best.text AS "topText"
     FROM p JOIN best ON best.domain = p.domain AND best.grp = p.grp AND best.rn = 1
     ORDER BY p.domain, p.b0`,
    [settings.hourMs, settings.hourMs, settings.hourMs, settings.hourMs],
  );
}

/** Suspensions, blocks, throttles (by start, then domain, kind). */
export async function blockPeriods(store: ReportStore): Promise<BlockPeriod[]> {
  return rows<BlockPeriod>(
    store,
    `SELECT kind, domain, local_ip AS "localIp", start_ms AS "startMs", end_ms AS "endMs", rule, text
     FROM suspensions ORDER BY start_ms, domain, kind, local_ip NULLS FIRST, end_ms`,
  );
}
