/**
 * What `reports/` needs from a run store: read queries (and one write path, for remediation).
 * The store module's `RunStore` (store/) satisfies this shape structurally; tests use a tiny
 * in-memory DuckDB (reports/test-helpers/tiny-store.ts). Reports never run a simulation.
 */

/** A query parameter: DuckDB binds `?` placeholders in order. */
export type SqlParam = string | number | boolean | null;

/** The subset of the run store API the reports use. */
export interface ReportStore {
  /** every row of a query, as plain objects keyed by column name */
  all<T = Record<string, unknown>>(sql: string, params?: SqlParam[]): Promise<T[]>;
  /** runs a statement that returns nothing useful (remediation writes) */
  run(sql: string, params?: SqlParam[]): Promise<unknown>;
}

/** Turns DuckDB's bigint (BIGINT, HUGEINT sums and counts) into plain numbers, recursively for lists. */
export function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Runs a query and returns rows whose bigint values are numbers: reports only handle small aggregates. */
export async function rows<T>(store: ReportStore, sql: string, params?: SqlParam[]): Promise<T[]> {
  const out = await store.all<Record<string, unknown>>(sql, params);
  for (const row of out) for (const k of Object.keys(row)) row[k] = plain(row[k]);
  return out as T[];
}

/** First row of a query, or throws if there is none (aggregates always return one). */
export async function one<T>(store: ReportStore, sql: string, params?: SqlParam[]): Promise<T> {
  const r = await rows<T>(store, sql, params);
  if (r.length === 0) throw new Error(`reports: query returned no row: ${sql.slice(0, 80)}`);
  return r[0]!;
}

/** A number from a query cell; null and undefined become `fallback`. */
export function num(v: unknown, fallback = 0): number {
  if (v === null || v === undefined) return fallback;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : fallback;
}

/** Quotes a text as an SQL string literal (single quotes doubled), for SQL shown to people. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
