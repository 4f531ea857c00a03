/**
 * A `Stage` on a worker thread: the run's thread posts the same operations (rows as transferred
 * typed arrays, no copy) and goes on simulating while DuckDB appends on another core. Appends are
 * fire-and-forget; an append error comes back from the next `exec`, `finish` or `abort`. At most
 * `maxInFlight` row batches wait in the worker: beyond that `appendRows` blocks (Atomics.wait) until
 * the worker catches up, so a slow disk cannot pile up the run's rows in memory.
 */
import { Worker } from 'node:worker_threads';
import { StoreError } from './errors.ts';
import type { FinishStep, Stage, StageSetup, StringBatch } from './stage.ts';
import type { Column } from './table-buffer.ts';
import type { TableName } from './tables.ts';

/** Operations posted to the worker. */
export type StageRequest =
  | { op: 'rows'; table: TableName; cols: Column[]; length: number }
  | { op: 'strings'; batches: StringBatch[] }
  | { op: 'build'; steps: FinishStep[] }
  | { op: 'threads'; threads: number }
  | { op: 'exec'; id: number; label: string; sql: string; params?: (string | number)[] }
  | { op: 'finish'; id: number; steps: FinishStep[] }
  | { op: 'abort'; id: number };

/** The worker's answer to `exec`, `finish`, `abort` (and, with id 0, to opening the database). */
export interface StageReply {
  id: number;
  error?: string;
}

/** Row batches allowed in flight before `appendRows` waits (each up to flushRows rows of one table). */
const MAX_IN_FLIGHT = 16;
/** How long `appendRows` waits for a worker that makes no progress before giving up. */
const STALL_MS = 120_000;

/**
 * The worker's entry: the compiled stage-worker.js in the built package (dist/); from the TypeScript
 * sources (tests, a checkout run through tsx) stage-worker-entry.mjs, which registers tsx first.
 */
const STAGE_WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./stage-worker-entry.mjs', import.meta.url)
  : new URL('./stage-worker.js', import.meta.url);

/** Opens the database on a new worker thread; resolves once its staging tables exist. */
export async function openWorkerStage(setup: StageSetup): Promise<Stage> {
  const inflight = new SharedArrayBuffer(4);
  const worker = new Worker(STAGE_WORKER_ENTRY, {
    workerData: { setup, inflight },
    // none of the parent's flags (V8 flags such as a sweep child's are refused in a worker)
    execArgv: [],
  });
  const stage = new WorkerStage(setup.file, worker, new Int32Array(inflight));
  await stage.opened;
  return stage;
}

class WorkerStage implements Stage {
  readonly opened: Promise<void>;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private dead: Error | null = null;

  constructor(
    private readonly file: string,
    private readonly worker: Worker,
    private readonly counter: Int32Array,
  ) {
    this.opened = this.request(0);
    worker.on('message', (r: StageReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (this.pending.size === 0) worker.unref();
      if (r.error === undefined) p.resolve();
      else p.reject(new StoreError(r.error));
    });
    const fail = (err: Error) => {
      this.dead ??= new StoreError(`${this.file}: the run store's worker stopped: ${err.message}`, {
        cause: err,
      });
      for (const p of this.pending.values()) p.reject(this.dead);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  /** A promise for the reply `id`; the worker keeps the process alive only while one is awaited. */
  private request(id: number): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    this.worker.ref();
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private call(m: StageRequest & { id: number }): Promise<void> {
    const reply = this.request(m.id);
    if (!this.dead) this.worker.postMessage(m);
    return reply;
  }

  exec(label: string, sql: string, params?: (string | number)[]): Promise<void> {
    return this.call({ op: 'exec', id: this.nextId++, label, sql, params });
  }

  appendStrings(batches: StringBatch[]): void {
    this.check();
    this.worker.postMessage({ op: 'strings', batches } satisfies StageRequest);
  }

  appendRows(table: TableName, cols: Column[], length: number): void {
    this.check();
    const transfer: ArrayBuffer[] = [];
    for (const c of cols) if (!Array.isArray(c)) transfer.push(c.buffer as ArrayBuffer);
    Atomics.add(this.counter, 0, 1);
    this.worker.postMessage({ op: 'rows', table, cols, length } satisfies StageRequest, transfer);
    let waited = 0;
    for (let n = Atomics.load(this.counter, 0); n > MAX_IN_FLIGHT; n = Atomics.load(this.counter, 0)) {
      if (Atomics.wait(this.counter, 0, n, 1000) !== 'timed-out') continue;
      waited += 1000;
      if (waited >= STALL_MS)
        throw new StoreError(
          `${this.file}: the run store's worker made no progress for ${STALL_MS / 1000} s`,
        );
    }
  }

  build(steps: FinishStep[]): void {
    this.check();
    this.worker.postMessage({ op: 'build', steps } satisfies StageRequest);
  }

  setThreads(threads: number): void {
    this.check();
    this.worker.postMessage({ op: 'threads', threads } satisfies StageRequest);
  }

  async finish(steps: FinishStep[]): Promise<void> {
    try {
      await this.call({ op: 'finish', id: this.nextId++, steps });
    } finally {
      await this.worker.terminate();
    }
  }

  async abort(): Promise<void> {
    try {
      await this.call({ op: 'abort', id: this.nextId++ });
    } catch {
      // the run already failed; its own error is the one to report
    } finally {
      await this.worker.terminate();
    }
  }

  private check(): void {
    if (this.dead) throw this.dead;
  }
}
