/**
 * Success KPI curves in the three reporting modes of SPEC §8, derived from the same events:
 *
 * | mode | +1 | -1 |
 * | --- | --- | --- |
 * | legacy MTA | remote server accepts (delivered_ms) | a DSN or complaint (SPEC §8: Failed, reason 8) that turned an accepted message Failed (its log status; a Soft DSN with a permanent status does too) |
 * | Enhanced MTA | message relayed to the MTA (first attempt) | sync failure or expiry, an expiry at the deadline without a try (no attempt row: at the delivery's start + validity), a DSN that turned it Failed |
 * | feedback service (EFS) | remote server accepts (a retry succeeds: goes up) | none (bounces leave it unchanged) |
 *
 * Success % = running count / processed messages (not excluded at preparation; excluded ones have
 * no attempts; a message has one first attempt and at most one failed or expired one). Ratios are 0..1.
 */
import { bucketWidth, DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../settings.ts';
import { COMPLETED_AT } from '../sql.ts';
import { num, one, type ReportStore, rows } from '../store-port.ts';

export type ReportingMode = 'legacy' | 'enhanced' | 'efs';
export const REPORTING_MODES: readonly ReportingMode[] = ['legacy', 'enhanced', 'efs'];
export const REPORTING_MODE_NAMES: Readonly<Record<ReportingMode, string>> = {
  legacy: 'Legacy MTA',
  enhanced: 'Enhanced MTA',
  efs: 'Feedback service (EFS)',
};

export interface KpiCurves {
  /** ready + sent + failed: delivery-log rows not excluded */
  processed: number;
  bucketMs: number;
  /** end of each bucket, ms: the curve value is the state at that time */
  times: number[];
  /** success ratio (0..1) at the end of each bucket, per mode */
  curves: Record<ReportingMode, number[]>;
  /** success ratio at the end of the run, per mode */
  final: Record<ReportingMode, number>;
}

const EVENTS = `
acc AS (SELECT delivery_id, recipient_id, address, delivered_ms, status FROM delivery_log WHERE NOT excluded AND delivered_ms IS NOT NULL),
async_fail AS (SELECT a.delivery_id, a.recipient_id,
    coalesce(min(i.t) FILTER (WHERE i.status LIKE '5%' OR i.type = 'hard'), min(i.t)) AS t FROM acc a
  JOIN inmail i ON i.delivery_id = a.delivery_id AND i.recipient_id = a.recipient_id
    AND i.t >= a.delivered_ms AND i.kind IN ('dsn', 'arf')
  WHERE a.status = 'failed' GROUP BY ALL),
expired_untried AS (SELECT l.delivery_id, l.recipient_id, d.start_ms + d.validity_ms AS t FROM delivery_log l
  JOIN deliveries d ON d.id = l.delivery_id
  WHERE NOT l.excluded AND l.status = 'failed' AND l.delivered_ms IS NULL AND l.attempts > 0
    AND NOT EXISTS (SELECT 1 FROM attempts x WHERE x.delivery_id = l.delivery_id
      AND x.recipient_id = l.recipient_id AND x.outcome IN ('failed', 'expired'))),

ev AS (
  SELECT 'legacy' AS m, delivered_ms AS t, 1 AS d FROM acc
  UNION ALL SELECT 'legacy', t, -1 FROM async_fail
  UNION ALL SELECT 'efs', delivered_ms, 1 FROM acc
  UNION ALL SELECT 'enhanced', t, 1 FROM attempts WHERE attempt = 1
  UNION ALL SELECT 'enhanced', t, -1 FROM attempts WHERE outcome IN ('failed', 'expired')
  UNION ALL SELECT 'enhanced', t, -1 FROM async_fail
  UNION ALL SELECT 'enhanced', t, -1 FROM expired_untried
  -- a tried message of a stopped delivery (legacy MTA): cancelled, not processed; taken off the
  -- Enhanced curve at its last attempt (the store keeps no cancel time)
  UNION ALL SELECT 'enhanced', last_attempt_ms, -1 FROM delivery_log
    WHERE NOT excluded AND status = 'cancelled' AND attempts > 0
)`;

/** Success curves of the three reporting modes, bucketed hourly (wider when the run is long). */
export async function kpiCurves(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<KpiCurves> {
  const processed = num(
    // SPEC §8 processed = ready + sent + failed: a cancelled message (stopped delivery) is not processed
    (
      await one<{ n: number }>(
        store,
        "SELECT count(*) AS n FROM delivery_log WHERE NOT excluded AND status <> 'cancelled'",
      )
    ).n,
  );
  const end = num((await one<{ t: number }>(store, COMPLETED_AT)).t);
  const bucketMs = bucketWidth(end + 1, settings.hourMs, settings.maxPoints);
  const nb = Math.floor(end / bucketMs) + 1;
  const r = await rows<{ m: ReportingMode; b: number; d: number }>(
    store,
    `WITH ${EVENTS} SELECT m, (t // ?::BIGINT)::BIGINT AS b, sum(d)::BIGINT AS d FROM ev GROUP BY ALL ORDER BY b, m`,
    [bucketMs],
  );
  const deltas: Record<ReportingMode, number[]> = {
    legacy: new Array<number>(nb).fill(0),
    enhanced: new Array<number>(nb).fill(0),
    efs: new Array<number>(nb).fill(0),
  };
  // EFS statuses come back late (settings.efsReportingDelayMs); past the end they land in the last bucket
  const efsShift = Math.ceil((settings.efsReportingDelayMs ?? 0) / bucketMs);
  for (const x of r) {
    const b = Math.min(num(x.b) + (x.m === 'efs' ? efsShift : 0), nb - 1);
    deltas[x.m][b]! += num(x.d);
  }
  const curves = {} as Record<ReportingMode, number[]>;
  const final = {} as Record<ReportingMode, number>;
  for (const m of REPORTING_MODES) {
    let running = 0;
    curves[m] = deltas[m].map((d) => {
      running += d;
      return processed > 0 ? running / processed : 0;
    });
    final[m] = processed > 0 ? running / processed : 0;
  }
  const times = Array.from({ length: nb }, (_, i) => (i + 1) * bucketMs);
  return { processed, bucketMs, times, curves, final };
}
