/**
 * SQL fragments shared by the metric families, so that every report counts the same way.
 * All of them read only the run-store tables (store/schema.sql).
 */

/** Initial statuses that mean the run took no quarantine decision on the address. */
export const PRE_STATUSES = "('quarantine', 'denylisted')";

/**
 * CTEs `entered` (last transition into quarantine during the run) and `quarantined` (addresses the
 * run left in quarantine, not quarantined or denylisted before it, with domain, truth, reason, rule,
 * text and time of entry). Cheap: recipients are grouped only for the quarantined addresses.
 */
export const QUARANTINED_CTES = `
qz AS (SELECT address, reason, updated_ms, text FROM quarantine WHERE status = 'quarantine'),
rz AS (
  SELECT address, min(domain) AS domain, min(truth) AS truth, bool_or(initial_status IN ${PRE_STATUSES}) AS pre
  FROM recipients WHERE address IN (SELECT address FROM qz) GROUP BY address
),
entered AS (
  SELECT address, t, rule, text FROM (
    SELECT address, t, rule, text,
           row_number() OVER (PARTITION BY address ORDER BY t DESC, rule, text) AS rn
    FROM quarantine_history WHERE new_status = 'quarantine' AND cause <> 'initial'
  ) WHERE rn = 1
),
quarantined AS (
  SELECT q.address, r.domain, r.truth, q.reason,
         coalesce(e.t, q.updated_ms) AS t, e.rule, coalesce(e.text, q.text) AS text
  FROM qz q JOIN rz r ON r.address = q.address LEFT JOIN entered e ON e.address = q.address
  WHERE NOT r.pre
)`;

/**
 * QUARANTINED_CTES plus `addr`: one row per distinct targeted address with its ground truth
 * (`pre` = quarantined or denylisted before the run). Groups every recipient: use once per report.
 */
export const QUARANTINE_CTES = `
addr AS (
  SELECT address, min(domain) AS domain, min(truth) AS truth,
         bool_or(initial_status IN ${PRE_STATUSES}) AS pre
  FROM recipients WHERE address <> '' GROUP BY address
),${QUARANTINED_CTES}`;

/**
 * The class of a delivery-log row, each row in exactly one: excluded (at preparation), failed,
 * delivered (status sent AND accepted by the remote MX: `delivered_ms`), pending (anything else:
 * pending, taken into account, ignored, cancelled, and an Enhanced-mode "Sent" the remote side never
 * accepted, still retrying at the horizon). Ground truth, whatever the reporting mode: the per-mode
 * KPIs (kpi.ts) are where Enhanced MTA counts a relayed message as Sent (SPEC §8).
 */
export const MESSAGE_CLASS = `CASE
  WHEN excluded THEN 'excluded'
  WHEN status = 'failed' THEN 'failed'
  WHEN status = 'sent' AND delivered_ms IS NOT NULL THEN 'delivered'
  WHEN status = 'cancelled' THEN 'cancelled'
  ELSE 'pending' END`;

/**
 * Last event time of the run (ms): attempts, async mail, quarantine changes (not remediation),
 * acceptances, and the start of every delivery that prepared messages (one whose recipients were all
 * excluded has no other event; issue #19, defect 9).
 */
export const COMPLETED_AT = `SELECT greatest(
  coalesce((SELECT max(t) FROM attempts), 0),
  coalesce((SELECT max(d.start_ms) FROM deliveries d WHERE EXISTS (SELECT 1 FROM delivery_log l WHERE l.delivery_id = d.id)), 0),
  coalesce((SELECT max(t) FROM inmail), 0),
  coalesce((SELECT max(t) FROM quarantine_history WHERE cause <> 'remediation'), 0),
  coalesce((SELECT max(delivered_ms) FROM delivery_log), 0))::BIGINT AS t`;
