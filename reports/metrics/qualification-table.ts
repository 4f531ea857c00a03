/**
 * The delivery log qualification table (SPEC §6.1): entries ranked by occurrences, and the
 * "to qualify" texts an operator should look at first.
 */

import { type ReportStore, rows } from '../store-port.ts';
import { reasonName } from './messages.ts';

export interface QualificationEntry {
  normalized: string;
  firstText: string;
  occurrences: number;
  type: string;
  reason: number;
  reasonName: string;
  status: string;
}

export interface QualificationSummary {
  entries: number;
  toQualify: number;
  /** occurrences of to-qualify texts */
  toQualifyOccurrences: number;
}

/** Entries ranked by occurrences (most first, then by normalized text); `status` filters (e.g. 'toQualify'). */
export async function qualificationTable(
  store: ReportStore,
  opts: { status?: string; limit?: number } = {},
): Promise<QualificationEntry[]> {
  const params: (string | number)[] = [];
  let where = '';
  if (opts.status !== undefined) {
    where = 'WHERE status = ?';
    params.push(opts.status);
  }
  params.push(opts.limit ?? 1_000_000_000);
  const r = await rows<Omit<QualificationEntry, 'reasonName'>>(
    store,
    `SELECT normalized, first_text AS "firstText", occurrences, type, reason, status FROM qualification ${where}
     ORDER BY occurrences DESC, normalized LIMIT ?`,
    params,
  );
  return r.map((e) => ({ ...e, reasonName: reasonName(e.reason) }));
}

/** Counts of the qualification table. */
export async function qualificationSummary(store: ReportStore): Promise<QualificationSummary> {
  const r = await rows<{ entries: number; tq: number; tqo: number | null }>(
    store,
    `SELECT count(*) AS entries, count(*) FILTER (WHERE status = 'toQualify') AS tq,
            coalesce(sum(occurrences) FILTER (WHERE status = 'toQualify'), 0)::BIGINT AS tqo FROM qualification`,
  );
  const x = r[0]!;
  return { entries: Number(x.entries), toQualify: Number(x.tq), toQualifyOccurrences: Number(x.tqo ?? 0) };
}
