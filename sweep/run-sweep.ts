/**
 * `runSweep`: runs (a shard of) a sweep in parallel child processes (process-pool.ts), each run's outputs in
 * `OUT/runs/<point id>/seed-<s>/`, then writes the manifest, the aggregate and the per-run summaries.
 * A run that throws, or a worker that dies, fails that run only: its error is recorded in
 * `error.json` and in the aggregate, and the other runs go on.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Aggregate, collectAndWrite, ERROR_FILE } from '../reports/sweep/index.ts';
import { manifestOf, type SweepManifest, writeManifest } from './manifest.ts';
import { type Shard, type SweepPlan, type SweepRun, shardRuns } from './plan-sweep.ts';
import { ProcessPool } from './process-pool.ts';
import type { RunFault, RunTask, RunTaskResult } from './worker.ts';
import { errorText } from './worker.ts';

/** Progress of a sweep: called once per finished run. */
export interface SweepRunEvent {
  run: SweepRun;
  ok: boolean;
  error?: string;
  wallMs: number;
  done: number;
  total: number;
  failed: number;
}

export interface RunSweepOptions {
  /** output folder of the sweep (or of this shard) */
  out: string;
  /** worker processes (default: the number of cores, at most the number of runs) */
  workers?: number;
  /** run only this shard (default 0/1: everything) */
  shard?: Shard;
  /** export each run store's tables and the combined summaries to Parquet */
  parquet?: boolean;
  onRun?: (e: SweepRunEvent) => void;
  /** test hook: make chosen runs throw in the worker or kill their worker */
  faults?: (run: SweepRun) => RunFault | undefined;
}

export interface SweepResult {
  manifest: SweepManifest;
  aggregate: Aggregate;
  ok: number;
  failed: number;
  wallMs: number;
  workers: number;
  /** files written, relative to `out` */
  files: string[];
}

/** Runs the shard's runs and writes the sweep folder. Rejects only on misuse (e.g. an unwritable folder). */
export async function runSweep(plan: SweepPlan, options: RunSweepOptions): Promise<SweepResult> {
  const t0 = performance.now();
  const shard = options.shard ?? { index: 0, count: 1 };
  const runs = shardRuns(plan, shard);
  const manifest = manifestOf(
    plan,
    shard,
    runs.map((r) => r.index),
  );
  mkdirSync(options.out, { recursive: true });
  writeManifest(options.out, manifest);

  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), Math.max(1, runs.length)));
  const pool = new ProcessPool(workers);
  let done = 0;
  let failed = 0;
  try {
    await Promise.all(
      runs.map(async (run) => {
        const runDir = join(options.out, run.dir);
        rmSync(runDir, { recursive: true, force: true });
        mkdirSync(runDir, { recursive: true });
        const task: RunTask = {
          file: plan.scenario.file,
          input: plan.points[run.point]!.input,
          seed: run.seed,
          out: runDir,
          parquet: options.parquet ?? false,
          fault: options.faults?.(run),
        };
        let result: RunTaskResult;
        try {
          result = await pool.run(task);
        } catch (err) {
          result = { ok: false, error: `worker failed: ${errorText(err)}`, wallMs: 0 };
        }
        if (!result.ok) {
          failed++;
          writeRunError(runDir, result.error ?? 'unknown error');
        }
        done++;
        options.onRun?.({
          run,
          ok: result.ok,
          error: result.error,
          wallMs: result.wallMs,
          done,
          total: runs.length,
          failed,
        });
      }),
    );
  } finally {
    await pool.destroy();
  }
  const written = await collectAndWrite(options.out, manifest, [options.out], options.parquet ?? false);
  return {
    manifest,
    aggregate: written.aggregate,
    ok: runs.length - failed,
    failed,
    wallMs: performance.now() - t0,
    workers,
    files: written.files,
  };
}

/** Records a failed run in its folder (`error.json`, read back by the aggregate). */
function writeRunError(runDir: string, error: string): void {
  writeFileSync(join(runDir, ERROR_FILE), `${JSON.stringify({ error }, null, 2)}\n`);
}
