import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStream } from './random.ts';
import { Simulation } from './simulation.ts';

/** Resolves after a random real delay: a timer, an immediate or a microtask. */
function jitter<T>(value: T): Promise<T> {
  const r = Math.random();
  return new Promise((resolve) => {
    if (r < 0.3) setTimeout(() => resolve(value), Math.floor(Math.random() * 3));
    else if (r < 0.6) setImmediate(() => resolve(value));
    else queueMicrotask(() => resolve(value));
  });
}

type Mode = 'sync' | 'async';

/**
 * A little model with three kinds: 1 is a concurrent two-phase step (I/O in start, state change in
 * commit), 2 an awaited async step, 0 a plain step. In sync mode nothing returns a promise. The log
 * records what the model observes; it must not depend on the mode or on real I/O timing.
 */
async function runModel(seed: number, initial: [number, number][], mode: Mode): Promise<string[]> {
  const rng = new RandomStream(seed, 'model');
  const sim = new Simulation({ maxConcurrency: 1 + (seed & 7) });
  const log: string[] = [];
  let budget = 150;
  const spawn = (from: number) => {
    const n = rng.int(0, 2);
    for (let c = 0; c < n && budget > 0; c++, budget--) {
      sim.after(rng.pick([0, 0, 0, 1, 10]), rng.int(0, 2), from * 7 + c);
    }
  };
  sim.on(0, (a) => {
    log.push(`plain ${sim.now} ${a}`);
    spawn(a);
  });
  sim.on(2, (a) => {
    const t = sim.now;
    const done = () => {
      log.push(`awaited ${sim.now} ${a} (started ${t})`);
      spawn(a);
    };
    if (mode === 'sync') return done();
    return jitter(null).then(done);
  });
  sim.onConcurrent<number>(1, {
    start: (a) => (mode === 'sync' ? a * a : jitter(a * a)),
    commit: (r, a) => {
      log.push(`commit ${sim.now} ${a} ${r}`);
      spawn(a);
    },
  });
  for (const [at, kind] of initial) sim.schedule(at, kind, at);
  if (mode === 'sync') sim.runUntilIdle();
  else await sim.runAsyncUntilIdle();
  log.push(`end ${sim.now} ${sim.eventsProcessed}`);
  return log;
}

describe('Simulation (async)', () => {
  it('gives the same observed order across runs with random real I/O delays, and the same as a sync run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 })), {
          minLength: 1,
          maxLength: 12,
        }),
        async (seed, initial) => {
          const reference = await runModel(seed, initial, 'sync');
          const first = await runModel(seed, initial, 'async');
          const second = await runModel(seed, initial, 'async');
          expect(first).toEqual(reference);
          expect(second).toEqual(reference);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('runs same-time concurrent steps in parallel and commits them in sequence order', async () => {
    const sim = new Simulation();
    const started: number[] = [];
    const committed: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    sim.onConcurrent<number>(1, {
      start: async (a) => {
        started.push(a);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        // later steps finish first
        await new Promise((r) => setTimeout(r, (5 - a) * 4));
        inFlight--;
        return a;
      },
      commit: (r) => {
        committed.push(r);
      },
    });
    for (let i = 0; i < 5; i++) sim.schedule(100, 1, i);
    await sim.runAsyncUntilIdle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(committed).toEqual([0, 1, 2, 3, 4]);
    expect(maxInFlight).toBe(5);
    expect(sim.now).toBe(100);
  });

  it('awaits a promise-returning handler without moving virtual time', async () => {
    const sim = new Simulation();
    const seen: string[] = [];
    sim.on(1, async (a) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(`${a}@${sim.now}`);
      sim.after(0, 2, a);
    });
    sim.on(2, (a) => {
      seen.push(`follow ${a}@${sim.now}`);
    });
    sim.schedule(10, 1, 1);
    sim.schedule(10, 1, 2);
    sim.schedule(11, 2, 3);
    expect(await sim.runAsyncUntil(50)).toBe('idle');
    expect(seen).toEqual(['1@10', '2@10', 'follow 1@10', 'follow 2@10', 'follow 3@11']);
    expect(sim.now).toBe(50);
  });

  it('throws the earliest failure of a concurrent batch after the batch settles', async () => {
    const sim = new Simulation();
    const committed: number[] = [];
    let settled = 0;
    sim.onConcurrent<number>(1, {
      start: async (a) => {
        await new Promise((r) => setTimeout(r, a === 2 ? 10 : 1));
        settled++;
        if (a >= 2) throw new Error(`boom ${a}`);
        return a;
      },
      commit: (r) => {
        committed.push(r);
      },
    });
    for (let i = 0; i < 4; i++) sim.schedule(0, 1, i);
    await expect(sim.runAsyncUntilIdle()).rejects.toThrow('boom 2');
    expect(committed).toEqual([0, 1]);
    expect(settled).toBe(4);
  });

  it('reports progress in async runs, ending with done = true', async () => {
    const seen: [number, boolean][] = [];
    const sim = new Simulation({
      progress: { everyEvents: 2, onProgress: (p) => seen.push([p.events, p.done]) },
    });
    sim.on(0, async () => {
      await jitter(null);
    });
    for (let i = 0; i < 5; i++) sim.schedule(i, 0);
    expect(await sim.runAsyncUntilIdle()).toBe('idle');
    expect(seen).toEqual([
      [2, false],
      [4, false],
      [5, true],
    ]);
  });

  it('stop() from a commit ends the run after the batch', async () => {
    const sim = new Simulation();
    const committed: number[] = [];
    sim.onConcurrent<number>(1, {
      start: (a) => jitter(a),
      commit: (r) => {
        committed.push(r);
        if (r === 1) sim.stop();
      },
    });
    for (let i = 0; i < 3; i++) sim.schedule(i, 1, i);
    expect(await sim.runAsyncUntilIdle()).toBe('stopped');
    expect(committed).toEqual([0, 1]);
    expect(sim.pending).toBe(1);
  });
});
