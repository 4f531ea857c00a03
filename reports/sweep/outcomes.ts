/**
 * A run's outcome on disk: `summary.json` when it completed, `error.json` (`{"error": "..."}`) when it
 * failed. Outcomes are read back from the files for the aggregate, so a sweep, a shard and a merge all
 * aggregate the same bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SummarySchema } from '../summary/summary-schema.ts';
import type { RunOutcome, SweepRun } from './layout.ts';

export const ERROR_FILE = 'error.json';
export const SUMMARY_FILE = 'summary.json';

/**
 * The outcome of `run` under the sweep folder `dir`, or null when the folder holds neither file.
 * A summary that does not parse or fails the summary schema is reported as that run's error.
 */
export function readOutcome(dir: string, run: SweepRun): RunOutcome | null {
  const runDir = join(dir, run.dir);
  const errorFile = join(runDir, ERROR_FILE);
  if (existsSync(errorFile)) {
    try {
      const e = JSON.parse(readFileSync(errorFile, 'utf8')) as { error?: unknown };
      return { run, error: typeof e.error === 'string' ? e.error : JSON.stringify(e.error) };
    } catch (err) {
      return { run, error: `${errorFile}: unreadable (${(err as Error).message})` };
    }
  }
  const summaryFile = join(runDir, SUMMARY_FILE);
  if (!existsSync(summaryFile)) return null;
  try {
    const parsed = SummarySchema.safeParse(JSON.parse(readFileSync(summaryFile, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { run, error: `${run.dir}/${SUMMARY_FILE}: ${issue.path.join('.')}: ${issue.message}` };
    }
    return { run, summary: parsed.data };
  } catch (err) {
    return { run, error: `${run.dir}/${SUMMARY_FILE}: not JSON (${(err as Error).message})` };
  }
}
