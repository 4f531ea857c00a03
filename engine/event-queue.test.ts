import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.ts';

type Op =
  | { op: 'push'; dt: number; kind: number; a: number }
  | { op: 'lane'; lane: number; kind: number; a: number }
  | { op: 'cancel'; pick: number }
  | { op: 'pop'; dLimit: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant('push' as const),
      dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1000 })),
      kind: fc.integer({ min: 0, max: 65535 }),
      a: fc.double({ noNaN: true, noDefaultInfinity: true }),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('lane' as const),
      lane: fc.integer({ min: 0, max: 1 }),
      kind: fc.integer({ min: 0, max: 65535 }),
      a: fc.integer(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({ op: fc.constant('pop' as const), dLimit: fc.integer({ min: 0, max: 20 }) }),
    weight: 4,
  },
);

interface RefEvent {
  time: number;
  id: number;
  kind: number;
  a: number;
  live: boolean;
}

describe('EventQueue', () => {
  it('pops in (time, sequence) order under random push/lane/cancel/pop interleavings, like a reference model', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (ops, cap) => {
        const q = new EventQueue(cap);
        const laneDelays = [3, 17];
        for (const d of laneDelays) q.addLane(d);
        const ref: RefEvent[] = [];
        let lastTime = 0;
        let lastId = -1;
        for (const o of ops) {
          if (o.op === 'push') {
            const at = q.now + o.dt;
            const id = q.push(at, o.kind, o.a, -o.a);
            expect(id).toBe(ref.length);
            ref.push({ time: at, id, kind: o.kind, a: o.a, live: true });
          } else if (o.op === 'lane') {
            const at = q.now + laneDelays[o.lane];
            const id = q.pushLane(o.lane, o.kind, o.a, -o.a);
            expect(id).toBe(ref.length);
            ref.push({ time: at, id, kind: o.kind, a: o.a, live: true });
          } else if (o.op === 'cancel') {
            if (ref.length === 0) continue;
            const e = ref[o.pick % ref.length];
            expect(q.cancel(e.id)).toBe(e.live);
            e.live = false;
          } else {
            const limit = q.now + o.dLimit;
            let best: RefEvent | undefined;
            for (const e of ref) {
              if (!e.live || e.time > limit) continue;
              if (!best || e.time < best.time || (e.time === best.time && e.id < best.id)) best = e;
            }
            const got = q.pop(limit);
            expect(got).toBe(best !== undefined);
            if (best) {
              expect([q.time, q.id, q.kind, q.a, q.b]).toEqual([
                best.time,
                best.id,
                best.kind,
                best.a,
                -best.a,
              ]);
              expect(q.now).toBe(best.time);
              // global order: never goes back in (time, id)
              expect(q.time > lastTime || (q.time === lastTime && q.id > lastId)).toBe(true);
              lastTime = q.time;
              lastId = q.id;
              best.live = false;
            }
          }
          expect(q.size).toBe(ref.filter((e) => e.live).length);
          const next = ref
            .filter((e) => e.live)
            .reduce((m, e) => Math.min(m, e.time), Number.POSITIVE_INFINITY);
          expect(q.peekTime()).toBe(next);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds and orders a large pending set, growing its arrays', () => {
    const q = new EventQueue(16);
    const n = 200_000;
    let x = 12345;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      q.push(x % 10_000, i % 7, i, 0);
    }
    expect(q.size).toBe(n);
    let prevT = -1;
    let prevId = -1;
    let count = 0;
    let violations = 0;
    while (q.pop(Number.POSITIVE_INFINITY)) {
      if (!(q.time > prevT || (q.time === prevT && q.id > prevId)) || q.a !== q.id) violations++;
      prevT = q.time;
      prevId = q.id;
      count++;
    }
    expect(violations).toBe(0);
    expect(count).toBe(n);
    expect(q.size).toBe(0);
  });

  it('runs same-time events scheduled at now after earlier-scheduled heap events at now', () => {
    const q = new EventQueue();
    q.push(5, 1, 0, 0); // id 0, heap
    q.push(5, 2, 0, 0); // id 1, heap
    expect(q.pop(10)).toBe(true);
    expect(q.id).toBe(0);
    q.push(5, 3, 0, 0); // id 2, FIFO lane at now = 5
    expect(q.pop(10) && q.id).toBe(1);
    expect(q.pop(10) && q.id).toBe(2);
    expect(q.pop(10)).toBe(false);
  });

  it('never fires cancelled events and reports cancel of unknown or fired ids as false', () => {
    const q = new EventQueue();
    const a = q.push(0, 1, 0, 0);
    const b = q.push(3, 1, 0, 0);
    const c = q.push(3, 1, 0, 0);
    expect(q.cancel(b)).toBe(true);
    expect(q.cancel(b)).toBe(false);
    expect(q.cancel(99)).toBe(false);
    expect(q.cancel(-1)).toBe(false);
    expect(q.cancel(0.5)).toBe(false);
    expect(q.peekKind()).toBe(1);
    expect(q.pop(10) && q.id).toBe(a);
    expect(q.cancel(a)).toBe(false);
    expect(q.pop(10) && q.id).toBe(c);
    expect(q.pop(10)).toBe(false);
    expect(q.peekKind()).toBe(-1);
  });

  it('rejects scheduling in the past, non-finite times and bad kinds with MXLAB_ENGINE', () => {
    const q = new EventQueue();
    q.push(10, 0, 0, 0);
    q.pop(10);
    expect(() => q.push(9, 0, 0, 0)).toThrow(
      /MXLAB_ENGINE: event time must be .* not before now \(10\), got 9/,
    );
    expect(() => q.push(Number.NaN, 0, 0, 0)).toThrow(/got NaN/);
    expect(() => q.push(Number.POSITIVE_INFINITY, 0, 0, 0)).toThrow(/got Infinity/);
    expect(() => q.push(11, 70000, 0, 0)).toThrow(/kind must be an integer in 0..65535, got 70000/);
    expect(() => q.push(11, 1.5, 0, 0)).toThrow(/got 1.5/);
    try {
      q.push(1, 0, 0, 0);
    } catch (e) {
      expect((e as { code: string }).code).toBe('MXLAB_ENGINE');
    }
  });

  it('validates lanes', () => {
    const q = new EventQueue();
    expect(() => q.addLane(0)).toThrow(/fixed-delay lane needs a finite delay > 0, got 0/);
    expect(() => q.pushLane(3, 0, 0, 0)).toThrow(/unknown fixed-delay lane 3/);
    const lane = q.addLane(10);
    for (let i = 0; i < 1000; i++) q.pushLane(lane, 1, i, 0); // grows the ring
    q.push(10, 2, -1, 0); // pushed after the lane events: same time, later sequence
    let i = 0;
    while (q.pop(10) && q.kind === 1) expect(q.a).toBe(i++);
    expect(i).toBe(1000);
    expect(q.kind).toBe(2);
  });

  it('advanceTo refuses to skip pending events', () => {
    const q = new EventQueue();
    q.push(5, 0, 0, 0);
    expect(() => q.advanceTo(6)).toThrow(/events are pending before it/);
    q.advanceTo(5);
    expect(q.now).toBe(5);
  });
});
