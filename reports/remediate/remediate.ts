/**
 * SPEC §9 remediation over a run's quarantine history: select addresses whose CURRENT status is
 * quarantine and whose last transition into quarantine has a text containing TEXT (case-insensitive)
 * or was made by a rule (name equal, or named in the text), optionally in a list of domains, inside
 * [from, to] (ms, inclusive). Report what it would restore against ground truth; `apply` writes it.
 * `remediationSql` gives the same selection as plain SQL with the parameters inlined.
 */
import { DEFAULT_REPORT_SETTINGS, type ReportSettings, sqlList } from '../settings.ts';
import { COMPLETED_AT } from '../sql.ts';
import { num, one, type ReportStore, rows, type SqlParam, sqlString } from '../store-port.ts';

export interface RemediationQuery {
  /** text the transition's error text contains (case-insensitive) */
  contains?: string;
  /** rule name, e.g. `Momen_Code10_InvalidRecipient` (matches the rule column or appears in the text) */
  rule?: string;
  /** recipient domains (compared lower-case); empty or absent = all */
  domains?: string[];
  fromMs: number;
  toMs: number;
}

export interface RemediationRow {
  address: string;
  domain: string | null;
  /** ground truth, null when the address is not among the run's recipients */
  truth: string | null;
  t: number;
  rule: string | null;
  text: string | null;
}

export interface RemediationPlan {
  query: RemediationQuery;
  /** the selection as plain SQL */
  sql: string;
  /** addresses it would restore to valid */
  selected: number;
  /** of which valid in truth: the real customers it gives back */
  restoredValid: number;
  /** of which should stay quarantined (truth in shouldQuarantine): wrongly restored */
  wronglyRestored: number;
  /** valid addresses the run quarantined in the window (any text, any domain) that it does not select */
  missedValid: number;
  /** the selection, by address, at most `limit` */
  addresses: RemediationRow[];
}

/** A bad remediation query. Exit code 2. */
export class RemediationError extends Error {
  readonly code = 'MXLAB_REMEDIATION';
  readonly exitCode = 2;
  constructor(detail: string) {
    super(`remediation: ${detail}`);
    this.name = 'RemediationError';
  }
}

function check(q: RemediationQuery): void {
  if (!q.contains && !q.rule)
    throw new RemediationError('give a text (--contains) or a rule (--rule) to select on');
  if (!Number.isFinite(q.fromMs) || !Number.isFinite(q.toMs))
    throw new RemediationError('the window needs --from and --to');
  if (q.fromMs > q.toMs)
    throw new RemediationError(`the window is empty: from ${q.fromMs} ms is after to ${q.toMs} ms`);
}

/** Builds the selection; `literal` inlines the parameters (for people), otherwise uses `?`. */
function selection(q: RemediationQuery, literal: boolean): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const p = (v: string | number): string => {
    if (literal) return typeof v === 'number' ? String(v) : sqlString(v);
    params.push(v);
    return '?';
  };
  const match: string[] = [];
  if (q.contains) match.push(`strpos(lower(e.text), lower(${p(q.contains)})) > 0`);
  if (q.rule) match.push(`e.rule = ${p(q.rule)} OR strpos(e.text, ${p(q.rule)}) > 0`);
  const where = [`q.status = 'quarantine'`, `(${match.join(' OR ')})`];
  const domains = (q.domains ?? []).map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
  if (domains.length)
    where.push(`lower(regexp_extract(q.address, '@([^@]+)$', 1)) IN (${domains.map(p).join(', ')})`);
  where.push(`e.t BETWEEN ${p(q.fromMs)} AND ${p(q.toMs)}`);
  const sql = `WITH e AS (
  SELECT address, t, rule, text FROM (
    SELECT address, t, rule, text,
           row_number() OVER (PARTITION BY address ORDER BY t DESC, rule, text) AS rn
    FROM quarantine_history WHERE new_status = 'quarantine'
  ) WHERE rn = 1
)
SELECT q.address, e.t, e.rule, e.text
FROM quarantine q JOIN e ON e.address = q.address
WHERE ${where.join('\n  AND ')}
ORDER BY q.address`;
  return { sql, params };
}

/** The selection as plain SQL with its parameters inlined (quotes doubled), as the README shows it. */
export function remediationSql(q: RemediationQuery): string {
  check(q);
  return selection(q, true).sql;
}

const ADDR = `addr AS (SELECT address, min(domain) AS domain, min(truth) AS truth FROM recipients WHERE address <> '' GROUP BY address)`;

/** What the remediation would restore, judged against ground truth. */
export async function planRemediation(
  store: ReportStore,
  q: RemediationQuery,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
  limit = 1000,
): Promise<RemediationPlan> {
  check(q);
  const sel = selection(q, false);
  const body = sel.sql.replace(/\nORDER BY q\.address$/, '');
  const should = sqlList(settings.shouldQuarantine);
  const counts = await one<Record<string, number>>(
    store,
    `WITH sel AS (${body}), ${ADDR},
     last_in AS (SELECT address, max(t) AS t FROM quarantine_history
                 WHERE new_status = 'quarantine' AND cause <> 'initial' GROUP BY address)
     SELECT (SELECT count(*) FROM sel) AS selected,
            (SELECT count(*) FROM sel JOIN addr a USING (address) WHERE a.truth = ?) AS valid,
            (SELECT count(*) FROM sel JOIN addr a USING (address) WHERE a.truth IN ${should}) AS wrong,
            (SELECT count(*) FROM quarantine q JOIN addr a ON a.address = q.address JOIN last_in l ON l.address = q.address
              WHERE q.status = 'quarantine' AND a.truth = ? AND l.t BETWEEN ? AND ?
                AND q.address NOT IN (SELECT address FROM sel)) AS missed`,
    [...sel.params, settings.validTruth, settings.validTruth, q.fromMs, q.toMs],
  );
  const addresses = await rows<RemediationRow>(
    store,
    `WITH sel AS (${body}), ${ADDR}
     SELECT sel.address, a.domain, a.truth, sel.t, sel.rule, sel.text FROM sel LEFT JOIN addr a USING (address)
     ORDER BY sel.address LIMIT ?`,
    [...sel.params, limit],
  );
  return {
    query: q,
    sql: remediationSql(q),
    selected: num(counts.selected),
    restoredValid: num(counts.valid),
    wronglyRestored: num(counts.wrong),
    missedValid: num(counts.missed),
    addresses,
  };
}

/**
 * Applies the remediation: each selected address goes back to valid (error count 0) and gets a
 * quarantine_history row with cause 'remediation' at `atMs` (default: the run's last event).
 * Needs a store opened read-write. Returns how many addresses were restored.
 */
export async function applyRemediation(
  store: ReportStore,
  q: RemediationQuery,
  atMs?: number,
): Promise<number> {
  check(q);
  const sel = selection(q, false);
  const body = sel.sql.replace(/\nORDER BY q\.address$/, '');
  const at = atMs ?? num((await one<{ t: number }>(store, COMPLETED_AT)).t);
  const note = `remediation: ${[q.contains ? `text contains '${q.contains}'` : '', q.rule ? `rule ${q.rule}` : ''].filter(Boolean).join(' or ')}`;
  const n = num(
    (await one<{ n: number }>(store, `WITH sel AS (${body}) SELECT count(*) AS n FROM sel`, sel.params)).n,
  );
  if (n === 0) return 0;
  await store.run('BEGIN TRANSACTION');
  try {
    await store.run(
      `INSERT INTO quarantine_history (t, address, old_status, new_status, reason, text, rule, cause)
       SELECT ?, q.address, 'quarantine', 'valid', q.reason, ?, NULL, 'remediation'
       FROM quarantine q WHERE q.address IN (SELECT address FROM (${body}))`,
      [at, note, ...sel.params],
    );
    await store.run(
      `UPDATE quarantine SET status = 'valid', error_count = 0, updated_ms = ?
       WHERE address IN (SELECT address FROM (${body}))`,
      [at, ...sel.params],
    );
    await store.run('COMMIT');
  } catch (err) {
    await store.run('ROLLBACK');
    throw err;
  }
  return n;
}
