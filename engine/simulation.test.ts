import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStream } from './random.ts';
import { type ProgressInfo, Simulation } from './simulation.ts';

const initialArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2 })), {
  minLength: 1,
  maxLength: 30,
});

describe('Simulation (sync)', () => {
  test.prop([fc.integer(), initialArb], { numRuns: 150 })(
    'fires every non-cancelled event once, at its time, in (time, sequence) order, with handlers scheduling and cancelling',
    (seed, initial) => {
      const rng = new RandomStream(seed, 'model');
      const sim = new Simulation({ initialCapacity: 4 });
      const lane = sim.fixedDelay(7);
      const scheduledAt = new Map<number, number>();
      const cancelled = new Set<number>();
      const fired: { time: number; id: number }[] = [];
      const payloadOk: boolean[] = [];
      const add = (at: number, kind: number) => {
        const id = sim.schedule(at, kind, at * 3, kind);
        scheduledAt.set(id, at);
      };
      sim.setTrace((time, _kind, _a, _b, id) => fired.push({ time, id }));
      const react = (a: number, b: number) => {
        payloadOk.push(a === sim.now * 3 && b >= 0 && b <= 2);
        if (scheduledAt.size < 400) {
          const children = rng.int(0, 2);
          for (let c = 0; c < children; c++) {
            const delay = rng.pick([0, 0, 1, 5, 7, rng.int(0, 100)]);
            const kind = rng.int(0, 2);
            if (rng.bernoulli(0.2))
              scheduledAt.set(sim.afterFixed(lane, kind, (sim.now + 7) * 3, kind), sim.now + 7);
            else add(sim.now + delay, kind);
          }
        }
        if (rng.bernoulli(0.3)) {
          const ids = [...scheduledAt.keys()];
          const victim = rng.pick(ids);
          const pendingBefore = sim.isPending(victim);
          const ok = sim.cancel(victim);
          expect(ok).toBe(pendingBefore);
          if (ok) cancelled.add(victim);
        }
      };
      sim.on(0, react).on(1, react).on(2, react);
      for (const [at, kind] of initial) add(at, kind);
      expect(sim.runUntilIdle()).toBe('idle');
      expect(payloadOk.every(Boolean)).toBe(true);
      for (let i = 1; i < fired.length; i++) {
        const p = fired[i - 1];
        const q = fired[i];
        expect(q.time > p.time || (q.time === p.time && q.id > p.id)).toBe(true);
      }
      const firedIds = new Set(fired.map((f) => f.id));
      expect(firedIds.size).toBe(fired.length);
      for (const f of fired) expect(f.time).toBe(scheduledAt.get(f.id));
      for (const id of cancelled) expect(firedIds.has(id)).toBe(false);
      expect(firedIds.size + cancelled.size).toBe(scheduledAt.size);
      expect(sim.eventsProcessed).toBe(fired.length);
      expect(sim.pending).toBe(0);
    },
  );

  it('runUntil stops at the limit, sets the clock to it, and resumes later', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    sim.on(1, (a) => {
      seen.push(a);
    });
    sim.schedule(10, 1, 10);
    sim.schedule(20, 1, 20);
    sim.schedule(30, 1, 30);
    expect(sim.runUntil(20)).toBe('until');
    expect(seen).toEqual([10, 20]);
    expect(sim.now).toBe(20);
    expect(sim.runUntil(25)).toBe('until');
    expect(sim.now).toBe(25);
    sim.after(0, 1, 25);
    expect(sim.runUntil(100)).toBe('idle');
    expect(seen).toEqual([10, 20, 25, 30]);
    expect(sim.now).toBe(100);
    expect(() => sim.runUntil(50)).toThrow(/MXLAB_ENGINE: cannot run until 50: it is before now \(100\)/);
  });

  it('stop() returns after the current event and keeps the rest pending', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    sim.on(0, (a) => {
      seen.push(a);
      if (a === 2) sim.stop();
    });
    for (let i = 0; i < 5; i++) sim.schedule(i, 0, i);
    expect(sim.runUntilIdle()).toBe('stopped');
    expect(seen).toEqual([0, 1, 2]);
    expect(sim.now).toBe(2);
    expect(sim.pending).toBe(2);
    expect(sim.runUntilIdle()).toBe('idle');
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('names misuse: missing handler, promise in a sync run, re-entrant run, bad delay', () => {
    const sim = new Simulation();
    sim.schedule(1, 7);
    expect(() => sim.runUntilIdle()).toThrow(/no handler registered for event kind 7 \(at time 1\)/);
    sim.on(3, async () => {});
    sim.after(0, 3);
    expect(() => sim.runUntilIdle()).toThrow(/kind 3 returned a promise during a synchronous run/);
    sim.on(4, () => {
      sim.runUntilIdle();
    });
    sim.after(0, 4);
    expect(() => sim.runUntilIdle()).toThrow(/re-entrant/);
    expect(() => sim.after(-1, 4)).toThrow(/delay must be a number >= 0, got -1/);
    expect(() => sim.on(1.5, () => {})).toThrow(/kind must be an integer/);
  });

  it('calls the progress hook every N events and once at the end', () => {
    const calls: ProgressInfo[] = [];
    const sim = new Simulation({ progress: { everyEvents: 10, onProgress: (i) => calls.push({ ...i }) } });
    sim.on(0, () => {
      if (sim.eventsProcessed < 35) sim.after(1, 0);
    });
    sim.schedule(0, 0);
    sim.runUntilIdle();
    expect(calls.map((c) => c.events)).toEqual([10, 20, 30, 35]);
    expect(calls.map((c) => c.done)).toEqual([false, false, false, true]);
    expect(calls[1].now).toBe(19);
    expect(calls[3].pending).toBe(0);
  });

  it('calls a wall-clock progress hook at most about once per interval', () => {
    let calls = 0;
    const sim = new Simulation({ progress: { everyWallMs: 60_000, onProgress: () => calls++ } });
    sim.on(0, () => {
      if (sim.eventsProcessed < 50_000) sim.after(1, 0);
    });
    sim.schedule(0, 0);
    sim.runUntilIdle();
    expect(calls).toBe(1); // only the final call: the run is far shorter than a minute
  });

  it('onConcurrent handlers start then commit in a sync run', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.onConcurrent(1, {
      start: (a) => a * 2,
      commit: (r, a) => {
        log.push(`${a}->${r}`);
      },
    });
    sim.schedule(0, 1, 1);
    sim.schedule(0, 1, 2);
    sim.runUntilIdle();
    expect(log).toEqual(['1->2', '2->4']);
    const bad = new Simulation().onConcurrent(1, { start: async () => 1, commit: () => {} });
    bad.schedule(0, 1);
    expect(() => bad.runUntilIdle()).toThrow(/returned a promise during a synchronous run/);
  });

  it('exposes a core-compatible clock', () => {
    const sim = new Simulation();
    sim.on(0, () => {});
    sim.schedule(42, 0);
    sim.runUntilIdle();
    expect(sim.clock.now()).toBe(42);
    expect(sim.nextEventTime()).toBe(Number.POSITIVE_INFINITY);
  });
});
