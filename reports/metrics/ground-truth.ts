/**
 * The quarantine decision against the simulator's ground truth (recipients.truth): false
 * quarantines (valid addresses quarantined), every quarantine the truth does not warrant and every
 * missed quarantine (should be quarantined and is not), each split by truth, precision and recall.
 * The population is every targeted address the run decided on (not quarantined or denylisted before
 * the run).
 */

import { DEFAULT_REPORT_SETTINGS, type ReportSettings, sqlList } from '../settings.ts';
import { PRE_STATUSES, QUARANTINED_CTES } from '../sql.ts';
import { type ReportStore, rows } from '../store-port.ts';
import { type QuarantineFact, quarantineFacts } from './quarantine.ts';

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
  /**
   * Quarantined although the truth does not warrant it, by truth: one key per truth outside
   * `shouldQuarantine` among the decided addresses (0 included), sorted; the values sum to
   * falsePositives and `[validTruth]` is falseQuarantines.
   */
  falseQuarantinesByTruth: Record<string, number>;
  /** Not quarantined although the truth warrants it, by truth (keys: truths in `shouldQuarantine` present, sorted); sums to falseNegatives. */
  missedQuarantinesByTruth: Record<string, number>;
  /** TP / (TP + FP); 1 when nothing was quarantined; null when no decided address has a known truth */
  precision: number | null;
  /** TP / (TP + FN); 1 when nothing should have been; null when no decided address has a known truth */
  recall: number | null;
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

/** Confusion matrix of the quarantine decision (from `quarantineFacts`, computed unless given). */
export async function quarantineAccuracy(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
  facts?: QuarantineFact[],
): Promise<QuarantineAccuracy> {
  const f = facts ?? (await quarantineFacts(store));
  const should = new Set(settings.shouldQuarantine);
  let population = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let fq = 0;
  const fpBy = new Map<string, number>();
  const fnBy = new Map<string, number>();
  for (const x of f) {
    if (x.pre || x.truth === settings.noTruth) continue;
    population += x.n;
    const sh = should.has(x.truth);
    const by = sh ? fnBy : fpBy;
    by.set(x.truth, (by.get(x.truth) ?? 0) + (sh !== x.quar ? x.n : 0));
    if (sh && x.quar) tp += x.n;
    else if (!sh && x.quar) fp += x.n;
    else if (sh) fn += x.n;
    else tn += x.n;
    if (x.quar && x.truth === settings.validTruth) fq += x.n;
  }
  return {
    population,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    falseQuarantines: fq,
    missedQuarantines: fn,
    falseQuarantinesByTruth: sortedRecord(fpBy),
    missedQuarantinesByTruth: sortedRecord(fnBy),
    // no address with a known truth (an ingested log): no figure rather than a made-up 0 or 100 %
    precision: population === 0 ? null : tp + fp > 0 ? tp / (tp + fp) : 1,
    recall: population === 0 ? null : tp + fn > 0 ? tp / (tp + fn) : 1,
  };
}

/** One row of the by-truth split: quarantined though not warranted, or warranted and missed (null: not applicable). */
export interface TruthSplitRow {
  truth: string;
  wrong: number | null;
  missed: number | null;
}

/** The by-truth split of a summary's quarantine part as table rows, by truth name. */
export function truthSplit(
  q: Pick<QuarantineAccuracy, 'falseQuarantinesByTruth' | 'missedQuarantinesByTruth'>,
): TruthSplitRow[] {
  const truths = [
    ...new Set([...Object.keys(q.falseQuarantinesByTruth), ...Object.keys(q.missedQuarantinesByTruth)]),
  ];
  return truths.sort().map((truth) => ({
    truth,
    wrong: q.falseQuarantinesByTruth[truth] ?? null,
    missed: q.missedQuarantinesByTruth[truth] ?? null,
  }));
}

function sortedRecord(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}

/** Valid addresses the run quarantined, with the rule and text that did it (earliest first, then by address). */
export async function falseQuarantineList(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
  limit = settings.topN,
): Promise<AddressFinding[]> {
  return rows<AddressFinding>(
    store,
    `WITH ${QUARANTINED_CTES}
     SELECT address, domain, truth, t, reason, rule, text FROM quarantined
     WHERE truth = ? ORDER BY t, address LIMIT ?`,
    [settings.validTruth, limit],
  );
}

/**
 * Addresses that should be quarantined and are not, with their final delivery-log text (by address):
 * the row of the latest attempt, then of the latest delivery, then of the later recipient (an address
 * listed twice in one delivery), so that a tie never picks a row at random.
 */
export async function missedQuarantineList(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
  limit = settings.topN,
): Promise<AddressFinding[]> {
  return rows<AddressFinding>(
    store,
    `WITH ${QUARANTINED_CTES},
     cand AS (SELECT address, min(domain) AS domain, min(truth) AS truth, bool_or(initial_status IN ${PRE_STATUSES}) AS pre
              FROM recipients WHERE address <> '' AND truth IN ${sqlList(settings.shouldQuarantine)} GROUP BY address),
     missed AS (SELECT c.* FROM cand c WHERE NOT c.pre AND c.address NOT IN (SELECT address FROM quarantined)),
     last_log AS (SELECT address, reason, text FROM (
       SELECT address, reason, text, row_number() OVER (PARTITION BY address ORDER BY last_attempt_ms DESC NULLS LAST, delivery_id DESC, recipient_id DESC) AS rn
       FROM delivery_log WHERE address IN (SELECT address FROM missed)) WHERE rn = 1)
     SELECT m.address, m.domain, m.truth, NULL::BIGINT AS t, l.reason, NULL::VARCHAR AS rule, l.text
     FROM missed m LEFT JOIN last_log l ON l.address = m.address
     ORDER BY m.address LIMIT ?`,
    [limit],
  );
}
