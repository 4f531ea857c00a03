/** Runs catalog scenarios at a reduced size into temp folders, for the simulation tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CATALOG_DIR,
  loadScenario,
  planOf,
  type RunPlan,
  type RunResult,
  runPlan,
} from '../../runner/index.ts';
import type { RunStore } from '../../store/index.ts';
import { expectConsistentStore, type KnownDefect } from '../consistency.ts';

const dirs: string[] = [];

/** A fresh temp folder removed by `cleanupRuns`. */
export function tempDir(prefix = 'mxlab-run-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export function cleanupRuns(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function catalogPlan(name: string, overrides: { seed?: number; recipients?: number } = {}): RunPlan {
  return planOf(loadScenario(join(CATALOG_DIR, `${name}.yaml`), overrides));
}

/**
 * Runs a plan and checks its store's consistency (test/consistency.ts; `knownDefects` are expected
 * there); the result's store is open (close it).
 */
export async function run(
  plan: RunPlan,
  knownDefects: readonly KnownDefect[] = [],
): Promise<RunResult & { store: RunStore }> {
  const r = await runPlan(plan, { out: tempDir() });
  try {
    await expectConsistentStore(r.out, plan, knownDefects);
  } catch (err) {
    await r.store?.close();
    throw err;
  }
  return r as RunResult & { store: RunStore };
}

/** One number from a SQL query (`n` column). */
export async function count(store: RunStore, sql: string): Promise<number> {
  const rows = await store.all<{ n: number | bigint }>(sql);
  return Number(rows[0]?.n ?? 0);
}
