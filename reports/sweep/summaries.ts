/**
 * One row per run for a warehouse: `summaries.jsonl` (newline-delimited JSON, runs in enumeration
 * order) and its Parquet copy written by DuckDB.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { GridValue, RunOutcome, SweepLayout } from './layout.ts';
import { SWEEP_METRICS } from './settings.ts';

/** One run's row: where it sits in the sweep, its grid values, status and headline figures. */
export function summaryRow(layout: SweepLayout, o: RunOutcome): Record<string, unknown> {
  const point = layout.points[o.run.point]!;
  const values: Record<string, GridValue> = {};
  layout.axes.forEach((a, i) => {
    values[a.key] = point.values[i]!;
  });
  const row: Record<string, unknown> = {
    sweep_id: layout.sweepId,
    scenario: layout.scenario.name,
    run: o.run.index,
    point: point.id,
    values,
    seed: o.run.seed,
    status: 'error' in o ? 'failed' : 'ok',
    error: 'error' in o ? o.error : null,
  };
  const s = 'summary' in o ? o.summary : null;
  for (const m of SWEEP_METRICS) row[m.key] = s ? m.of(s) : null;
  row.targeted = s?.messages.targeted ?? null;
  row.delivered = s?.messages.delivered ?? null;
  row.failed = s?.messages.failed.total ?? null;
  row.quarantined = s?.quarantine.addresses ?? null;
  row.attempts = s?.retries.attempts ?? null;
  return row;
}

/** The JSONL text of the outcomes (one line each, a final newline). */
export function summariesJsonl(layout: SweepLayout, outcomes: readonly RunOutcome[]): string {
  return outcomes.map((o) => `${JSON.stringify(summaryRow(layout, o))}\n`).join('');
}

/** Converts summaries.jsonl to Parquet with an in-memory DuckDB. */
export async function writeSummariesParquet(jsonlFile: string, parquetFile: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const q = (s: string) => s.replaceAll("'", "''");
    await con.run(
      `COPY (SELECT * REPLACE (CAST(error AS VARCHAR) AS error) FROM read_json('${q(jsonlFile)}', format = 'newline_delimited')) TO '${q(parquetFile)}' (FORMAT parquet)`,
    );
  } finally {
    con.closeSync();
    db.closeSync();
  }
}
