/**
 * A sweep's task, run in a child process of the pool (run-process.ts): one task is one run. It validates the point's scenario input with the
 * run's seed, runs it, and optionally exports the run store's tables to Parquet. A run that throws
 * comes back as `{ ok: false, error }`, so the worker stays alive for the next run.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planOf } from '../runner/plan-of.ts';
import { runPlan } from '../runner/run-scenario.ts';
import { defineScenario } from '../scenarios/define-scenario.ts';
import { applyOverrides } from '../scenarios/load-scenario.ts';
import type { ScenarioInput } from '../scenarios/schema.ts';
import { TABLES } from '../store/index.ts';

/** Test-only fault injection: throw out of the task, or end the worker process. */
export type RunFault = 'throw' | 'exit';

/** One run as sent to a worker (structured-clone friendly). */
export interface RunTask {
  /** the scenario file (relative paths in the input resolve against its folder) */
  file: string;
  /** the point's scenario input */
  input: unknown;
  seed: number;
  /** the run's output folder */
  out: string;
  parquet: boolean;
  fault?: RunFault;
}

export interface RunTaskResult {
  ok: boolean;
  error?: string;
  wallMs: number;
}

/**
 * The previous run's world and core, kept until the next run has built its own: their hidden
 * classes then stay alive, and so does the code V8 optimized for them (measured: a 20k-recipient
 * run re-optimized about 110 functions per run without this, 35 with it, and took 25% less CPU).
 * Runs above this size keep nothing: compilation is a small share of them and their memory is not.
 */
const RETAIN_MAX_RECIPIENTS = 1_000_000;
const kept: { objects: readonly object[] } = { objects: [] };

/** Runs one task (the module's default export). */
export default async function runTask(task: RunTask): Promise<RunTaskResult> {
  const t0 = performance.now();
  if (task.fault === 'throw') throw new Error('injected fault: the worker threw');
  if (task.fault === 'exit') process.exit(3);
  try {
    const scenario = applyOverrides(
      defineScenario(task.input as ScenarioInput, { baseDir: dirname(task.file), file: task.file }),
      { seed: task.seed },
    );
    // the sweep's parallelism is across runs (one worker per core): one DuckDB thread per run, and
    // the store written on the run's own thread
    const result = await runPlan(planOf(scenario), {
      out: task.out,
      openStore: task.parquet,
      storeThreads: 1,
      storeWorker: false,
      retain: (objects) => {
        kept.objects = scenario.population.size <= RETAIN_MAX_RECIPIENTS ? objects : [];
      },
    });
    if (result.store) {
      try {
        const dir = join(task.out, 'parquet');
        mkdirSync(dir, { recursive: true });
        for (const table of Object.keys(TABLES))
          await result.store.exportParquet(table, join(dir, `${table}.parquet`));
      } finally {
        result.store.close();
      }
    }
    return { ok: true, wallMs: performance.now() - t0 };
  } catch (err) {
    return { ok: false, error: errorText(err), wallMs: performance.now() - t0 };
  }
}

/** The first line of an error's message (no stack: the aggregate must not depend on where it ran). */
export function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.trim() || (err instanceof Error ? err.name : 'error');
}
