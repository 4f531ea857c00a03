/**
 * The sweep's pool: one child process per worker (node:child_process `fork`, IPC channel), each
 * running `run-process.ts`, one task at a time. A task that throws in the child comes back as an
 * error; a child that dies mid-task fails that task only and is replaced for the next one.
 *
 * Why processes and not worker threads: measured on this 2-core machine (docs/decisions.md), two
 * runs in two worker threads of one process each took 27% longer than alone (the process's busy
 * threads share one address space and V8 platform: GC helper threads and page unmapping interrupt
 * each other), two runs in two processes 8-11% longer.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { RunTask, RunTaskResult } from './worker.ts';

/** Whether this module runs from the TypeScript sources (through tsx or vitest) or from dist/. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * Node flags of every child: tsx's loader when running from the TypeScript sources (not needed by
 * the compiled package in dist/), and V8's garbage collector on
 * the child's own thread: the pool already keeps every core busy with runs, so GC helper threads only
 * take time from the other children (1M-recipient run, two at once: 18.5 s each with helpers, 16.2 s
 * without; alone: 14.8 s and 14.6 s).
 */
export const CHILD_EXEC_ARGV: readonly string[] = [
  ...(FROM_SOURCE ? ['--import', 'tsx'] : []),
  '--single-threaded-gc',
  // the runner collects garbage between its phases only when gc is exposed (runner/run-scenario.ts)
  '--expose-gc',
];

/** What a child sends back for one task. */
export type ChildReply = { result: RunTaskResult } | { thrown: string };

interface Slot {
  child: ChildProcess | null;
  busy: boolean;
}

interface Pending {
  task: RunTask;
  resolve: (r: RunTaskResult) => void;
  reject: (e: Error) => void;
}

/** A fixed-size pool of child processes, each running one task at a time. */
export class ProcessPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private destroyed = false;

  constructor(
    size: number,
    private readonly entry: URL = new URL(
      FROM_SOURCE ? './run-process.ts' : './run-process.js',
      import.meta.url,
    ),
  ) {
    // started at once, so that every child loads the sources while the first tasks are queued
    this.slots = Array.from({ length: size }, () => ({ child: this.spawn(), busy: false }));
  }

  /** Runs a task in the next free child; rejects when the task threw or its child died. */
  run(task: RunTask): Promise<RunTaskResult> {
    if (this.destroyed) return Promise.reject(new Error('the pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every child (after its current task, if any, is abandoned). */
  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('the pool is closed'));
    await Promise.all(
      this.slots.map((s) => {
        const c = s.child;
        s.child = null;
        if (!c || c.exitCode !== null || c.signalCode !== null) return undefined;
        return new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.disconnect();
        });
      }),
    );
  }

  private spawn(): ChildProcess {
    return fork(this.entry, [], {
      execArgv: [...CHILD_EXEC_ARGV],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy) continue;
      const p = this.queue.shift()!;
      this.start(slot, p);
    }
  }

  private start(slot: Slot, p: Pending): void {
    slot.busy = true;
    if (!slot.child || slot.child.exitCode !== null || slot.child.signalCode !== null)
      slot.child = this.spawn();
    const child = slot.child;
    const settle = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      slot.busy = false;
      this.dispatch();
    };
    const onMessage = (m: ChildReply): void => {
      settle();
      if ('result' in m) p.resolve(m.result);
      else p.reject(new Error(m.thrown));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      slot.child = null;
      settle();
      p.reject(
        new Error(
          signal
            ? `the worker process was killed (${signal})`
            : `the worker process exited with code ${code}`,
        ),
      );
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(p.task);
  }
}
