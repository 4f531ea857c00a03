/**
 * The quarantine decision against the simulator's ground truth (recipients.truth): false
 * quarantines (valid addresses quarantined), missed quarantines (addresses that should be
 * quarantined and are not), precision and recall. The population is every targeted address the
 * run decided on (not quarantined or denylisted before the run).
 */
import { DEFAULT_REPORT_SETTINGS, type ReportSettings, sqlList } from './settings.ts';
import { QUARANTINE_CTES } from './sql.ts';
import { num, one, type ReportStore, rows } from './store-port.ts';

export interface QuarantineAccuracy {
  /** addresses the run decided on */
  population: number;
  /** quarantined and should be */
  truePositives: number;
  /** quarantined and should not be (any truth outside `shouldQuarantine`) */
  falsePositives: number;
  /** should be quarantined and are not */
  falseNegatives: number;
  trueNegatives: number;
  /** valid addresses (truth = validTruth) quarantined */
  falseQuarantines: number;
  /** = falseNegatives */
  missedQuarantines: number;
  /** TP / (TP + FP); 1 when nothing was quarantined */
  precision: number;
  /** TP / (TP + FN); 1 when nothing should have been */
  recall: number;
}

export interface AddressFinding {
  address: string;
  domain: string;
  truth: string;
  /** time it entered quarantine (false quarantines) or null */
  t: number | null;
  reason: number | null;
  rule: string | null;
  text: string | null;
}

/** Confusion matrix of the quarantine decision. */
export async function quarantineAccuracy(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<QuarantineAccuracy> {
  const should = sqlList(settings.shouldQuarantine);
  const r = await one<Record<string, number>>(
    store,
    `WITH ${QUARANTINE_CTES},
     d AS (SELECT a.truth IN ${should} AS should, q.address IS NOT NULL AS quar, a.truth = ? AS valid
           FROM addr a LEFT JOIN quarantined q ON q.address = a.address WHERE NOT a.pre)
     SELECT count(*) AS population,
            count(*) FILTER (WHERE should AND quar) AS tp,
            count(*) FILTER (WHERE NOT should AND quar) AS fp,
            count(*) FILTER (WHERE should AND NOT quar) AS fn,
            count(*) FILTER (WHERE NOT should AND NOT quar) AS tn,
            count(*) FILTER (WHERE valid AND quar) AS fq
     FROM d`,
    [settings.validTruth],
  );
  const tp = num(r.tp);
  const fp = num(r.fp);
  const fn = num(r.fn);
  return {
    population: num(r.population),
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: num(r.tn),
    falseQuarantines: num(r.fq),
    missedQuarantines: fn,
    precision: tp + fp > 0 ? tp / (tp + fp) : 1,
    recall: tp + fn > 0 ? tp / (tp + fn) : 1,
  };
}

/** Valid addresses the run quarantined, with the rule and text that did it (earliest first, then by address). */
export async function falseQuarantineList(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
  limit = settings.topN,
): Promise<AddressFinding[]> {
  return rows<AddressFinding>(
    store,
    `WITH ${QUARANTINE_CTES}
     SELECT address, domain, truth, t, reason, rule, text FROM quarantined
     WHERE truth = ? ORDER BY t, address LIMIT ?`,
    [settings.validTruth, limit],
  );
}

/** Addresses that should be quarantined and are not, with their final delivery-log text (by address). */
export async function missedQuarantineList(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
  limit = settings.topN,
): Promise<AddressFinding[]> {
  return rows<AddressFinding>(
    store,
    `WITH ${QUARANTINE_CTES},
     last_log AS (SELECT address, reason, text FROM (
       SELECT address, reason, text, row_number() OVER (PARTITION BY address ORDER BY last_attempt_ms DESC NULLS LAST, delivery_id DESC) AS rn
       FROM delivery_log) WHERE rn = 1)
     SELECT a.address, a.domain, a.truth, NULL::BIGINT AS t, l.reason, NULL::VARCHAR AS rule, l.text
     FROM addr a LEFT JOIN quarantined q ON q.address = a.address LEFT JOIN last_log l ON l.address = a.address
     WHERE NOT a.pre AND q.address IS NULL AND a.truth IN ${sqlList(settings.shouldQuarantine)}
     ORDER BY a.address LIMIT ?`,
    [limit],
  );
}
