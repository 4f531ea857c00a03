/**
 * Worker-thread side of `openWorkerStage` (worker-stage.ts): owns the DuckDB database through an
 * in-thread stage and applies the posted operations one after another, in order. After an error it
 * keeps draining (so that the posting thread never waits for it) and reports that first error to
 * every later `exec` and to `finish`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { firstLine } from './errors.ts';
import { type InThreadStage, openInThreadStage, type StageSetup } from './stage.ts';
import type { StageReply, StageRequest } from './worker-stage.ts';

const { setup, inflight } = workerData as { setup: StageSetup; inflight: SharedArrayBuffer };
const counter = new Int32Array(inflight);
const port = parentPort!;

let failure: string | null = null;
let queue: Promise<InThreadStage | null> = openInThreadStage(setup).then(
  (stage) => {
    port.postMessage({ id: 0 } satisfies StageReply);
    return stage;
  },
  (err: unknown) => {
    port.postMessage({ id: 0, error: message(err) } satisfies StageReply);
    return null;
  },
);

function message(err: unknown): string {
  return err instanceof Error ? err.message : firstLine(err);
}

async function apply(stage: InThreadStage | null, m: StageRequest): Promise<void> {
  if (m.op === 'rows') {
    try {
      if (stage && failure === null) stage.appendRows(m.table, m.cols, m.length);
    } catch (err) {
      failure = message(err);
    } finally {
      Atomics.sub(counter, 0, 1);
      Atomics.notify(counter, 0);
    }
    return;
  }
  if (m.op === 'build') {
    try {
      if (stage && failure === null) await stage.run(m.steps);
    } catch (err) {
      failure = message(err);
    }
    return;
  }
  if (m.op === 'threads') return; // applied out of turn (see the message handler)
  if (m.op === 'strings') {
    try {
      if (stage && failure === null) stage.appendStrings(m.batches);
    } catch (err) {
      failure = message(err);
    }
    return;
  }
  let error = failure ?? (stage ? undefined : 'the run store is not open');
  if (error === undefined)
    try {
      if (m.op === 'exec') await stage!.exec(m.label, m.sql, m.params);
      else if (m.op === 'finish') await stage!.finish(m.steps);
      else await stage!.abort();
    } catch (err) {
      error = message(err);
    }
  else if (m.op !== 'exec') await stage?.abort();
  port.postMessage({ id: m.id, error } satisfies StageReply);
}

let opened: InThreadStage | null = null;
void queue.then((stage) => {
  opened = stage;
});

port.on('message', (m: StageRequest) => {
  if (m.op === 'threads') {
    // out of turn: it speeds up what is queued before it
    if (opened) opened.setThreads(m.threads);
    else void queue.then((stage) => stage?.setThreads(m.threads));
    return;
  }
  queue = queue.then(async (stage) => {
    await apply(stage, m);
    return stage;
  });
});
