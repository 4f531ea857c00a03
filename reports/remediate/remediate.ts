/**
 * SPEC §9 remediation over a run's quarantine history: select addresses whose CURRENT status is
 * quarantine and whose last transition into quarantine has a text containing TEXT (case-insensitive)
 * or was made by a rule (name equal, or named in the text), optionally in a list of domains, inside
 * [from, to] (ms, inclusive). Report what it would restore against ground truth; `apply` restores it
 * with core's quarantine table (the owner of the rule) and writes the result back.
 * `remediationSql` gives the same selection as plain SQL with the parameters inlined.
 */
import { type QuarantineEvent, QuarantineTable } from '../../core/quarantine/index.ts';
import { ADDRESS_STATUS_NAMES, type AddressStatusCode, type AddressStatusName } from '../../core/types.ts';
import {
  type QuarantineHistoryRow,
  type QuarantineRow,
  quarantineHistoryRow,
  quarantineRow,
} from '../../store/index.ts';
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

/** Rows per INSERT / UPDATE statement when writing the restored rows back. */
const WRITE_BATCH = 500;
const HISTORY_COLUMNS = [
  't',
  'address',
  'old_status',
  'new_status',
  'reason',
  'text',
  'rule',
  'cause',
] as const satisfies readonly (keyof QuarantineHistoryRow)[];
const QUARANTINE_COLUMNS = [
  'address',
  'status',
  'error_count',
  'reason',
  'text',
  'first_error_ms',
  'last_error_ms',
  'updated_ms',
] as const satisfies readonly (keyof QuarantineRow)[];

function statusCode(name: string, address: string): AddressStatusCode {
  const code = ADDRESS_STATUS_NAMES.indexOf(name as AddressStatusName);
  if (code < 0) throw new Error(`remediation: ${address}: unknown quarantine status ${JSON.stringify(name)}`);
  return code as AddressStatusCode;
}

/**
 * Applies the remediation through core's quarantine table, which owns the rule (SPEC §9,
 * `QuarantineTable.restore`: back to valid, error count 0, updated at `atMs`, an allowed transition):
 * the selected rows of the stored table are loaded into a `QuarantineTable`, restored there at `atMs`
 * (default: the run's last event), and written back; each transition becomes a quarantine_history row
 * with cause 'remediation' whose text is the remediation's note. Needs a store opened read-write.
 * Returns how many addresses were restored.
 */
export async function applyRemediation(
  store: ReportStore,
  q: RemediationQuery,
  atMs?: number,
): Promise<number> {
  check(q);
  const sel = selection(q, false);
  const body = sel.sql.replace(/\nORDER BY q\.address$/, '');
  const stored = await rows<QuarantineRow>(
    store,
    `SELECT address, status::VARCHAR AS status, error_count, reason, text, first_error_ms, last_error_ms, updated_ms
     FROM quarantine WHERE address IN (SELECT address FROM (${body})) ORDER BY rowid`,
    sel.params,
  );
  if (stored.length === 0) return 0;
  const at = atMs ?? num((await one<{ t: number }>(store, COMPLETED_AT)).t);
  const note = `remediation: ${[q.contains ? `text contains '${q.contains}'` : '', q.rule ? `rule ${q.rule}` : ''].filter(Boolean).join(' or ')}`;

  const table = new QuarantineTable();
  const ids = stored.map((r) =>
    table.load({
      address: r.address,
      status: statusCode(r.status, r.address),
      errorCount: r.error_count,
      reason: r.reason,
      text: r.text,
      firstErrorMs: r.first_error_ms,
      lastErrorMs: r.last_error_ms,
      updatedMs: r.updated_ms,
    }),
  );
  const events: QuarantineEvent[] = [];
  table.setListener((e) => events.push(e));
  for (const id of ids) table.restore(id, at);
  if (events.length === 0) return 0;

  // the store's own rows of core's events and table rows (store/run-sink.ts), in the statements' column order
  const history = events.map((e): SqlParam[] => {
    const h = { ...quarantineHistoryRow(e), text: note, rule: null };
    return HISTORY_COLUMNS.map((c) => h[c]);
  });
  const changed = events.map((e): SqlParam[] => {
    const r = quarantineRow(table.row(e.id)!);
    return QUARANTINE_COLUMNS.map((c) => r[c]);
  });
  await store.run('BEGIN TRANSACTION');
  try {
    for (let i = 0; i < history.length; i += WRITE_BATCH) {
      const batch = history.slice(i, i + WRITE_BATCH);
      await store.run(
        `INSERT INTO quarantine_history (${HISTORY_COLUMNS.join(', ')})
         VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        batch.flat(),
      );
    }
    for (let i = 0; i < changed.length; i += WRITE_BATCH) {
      const batch = changed.slice(i, i + WRITE_BATCH);
      await store.run(
        `UPDATE quarantine SET status = CAST(v.status AS mx_address_status), error_count = CAST(v.error_count AS INTEGER),
           reason = CAST(v.reason AS INTEGER), text = CAST(v.text AS VARCHAR),
           first_error_ms = CAST(v.first_error_ms AS BIGINT), last_error_ms = CAST(v.last_error_ms AS BIGINT),
           updated_ms = CAST(v.updated_ms AS BIGINT)
         FROM (VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')})
           AS v(${QUARANTINE_COLUMNS.join(', ')})
         WHERE quarantine.address = v.address`,
        batch.flat(),
      );
    }
    await store.run('COMMIT');
  } catch (err) {
    await store.run('ROLLBACK');
    throw err;
  }
  return events.length;
}
