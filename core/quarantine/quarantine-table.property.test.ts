import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { AddressStatus, type AddressStatusCode, HOUR, type Impact, Reason } from '../types.ts';
import { type QuarantineEvent, type QuarantineRow, QuarantineTable } from './quarantine-table.ts';
import { isAllowedTransition } from './transitions.ts';

type Op =
  | { kind: 'error'; addr: number; dt: number; impact: Impact; reason: number; async: boolean }
  | { kind: 'success'; addr: number; dt: number }
  | { kind: 'complaint'; addr: number; dt: number }
  | { kind: 'cleanup'; dt: number }
  | { kind: 'restore'; addr: number; dt: number }
  | { kind: 'initial'; addr: number; dt: number; status: AddressStatusCode };

const addr = fc.integer({ min: 0, max: 4 });
const dt = fc.integer({ min: 0, max: 40 * 24 }).map((h) => h * HOUR);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('error' as const),
      addr,
      dt,
      impact: fc.constantFrom<Impact>('quarantine', 'count', 'count', 'count', 'none', 'ok', 'denylist'),
      reason: fc.constantFrom(0, 1, 2, 3, 4, 5, 20),
      async: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('success' as const), addr, dt }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('complaint' as const), addr, dt }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cleanup' as const), dt }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), addr, dt }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('initial' as const),
      addr,
      dt,
      status: fc.constantFrom<AddressStatusCode>(0, 1, 2, 3, 4),
    }),
  },
);

describe('QuarantineTable properties', () => {
  test.prop([fc.array(op, { maxLength: 120 }), fc.integer({ min: 1, max: 7 })])(
    'only allowed transitions; counter in [0, threshold) unless quarantined; Valid has counter 0',
    (ops, threshold) => {
      const events: QuarantineEvent[] = [];
      const q = new QuarantineTable({ threshold }, (e) => events.push(e));
      const ids = [0, 1, 2, 3, 4].map((i) => q.idOf(`user${i}@example.com`));
      let t = 0;
      const lastCountedAt = new Map<number, number>();
      for (const o of ops) {
        t += o.dt;
        const before = events.length;
        if (o.kind === 'error') {
          const id = ids[o.addr]!;
          const wasAllow = q.status(id) === AddressStatus.Allowlisted;
          const r = q.onError(
            id,
            { impact: o.impact, reason: o.reason, rule: null },
            `e${o.reason}`,
            t,
            o.async ? 'async' : 'sync',
          );
          if (wasAllow && o.impact !== 'none' && o.impact !== 'ok')
            expect(r.reason).toBe(Reason.ErrorIgnored);
          if (r.counted && o.impact === 'count') {
            const prev = lastCountedAt.get(id);
            // two counted errors are at least the significant period apart, unless the counter had reset
            if (prev !== undefined && r.errorCount > 1) expect(t - prev).toBeGreaterThanOrEqual(24 * HOUR);
            lastCountedAt.set(id, t);
          }
          if (o.impact === 'none' || o.impact === 'ok') expect(events.length).toBe(before);
        } else if (o.kind === 'success') q.onSuccess(ids[o.addr]!, t);
        else if (o.kind === 'complaint') q.onComplaint(ids[o.addr]!, 'abuse', t);
        else if (o.kind === 'cleanup') q.cleanup(t);
        else if (o.kind === 'restore') q.restore(ids[o.addr]!, t);
        else q.setInitial(ids[o.addr]!, o.status, t);
        for (const id of ids) {
          const s = q.status(id);
          const c = q.errorCount(id);
          expect(c).toBeGreaterThanOrEqual(0);
          if (
            s !== AddressStatus.Quarantine &&
            s !== AddressStatus.Denylisted &&
            s !== AddressStatus.Allowlisted
          )
            expect(c).toBeLessThan(threshold);
          if (s === AddressStatus.Valid) expect(c).toBe(0);
        }
      }
      for (const e of events) {
        expect(isAllowedTransition(e.oldStatus, e.newStatus, e.cause)).toBe(true);
        expect(e.oldStatus).not.toBe(e.newStatus);
        // Quarantine and Denylisted are never lifted automatically except mailbox-full quarantine by cleanup
        if (
          e.oldStatus === AddressStatus.Quarantine &&
          e.newStatus === AddressStatus.Valid &&
          e.cause === 'cleanup'
        )
          expect(e.reason).toBe(Reason.MailboxFull);
        if (e.oldStatus === AddressStatus.Denylisted) expect(['remediation', 'initial']).toContain(e.cause);
      }
    },
  );

  test.prop([fc.array(fc.integer({ min: 0, max: 72 }), { minLength: 1, maxLength: 200 })])(
    'counted errors of a soft-erroring address equal the greedy 24 h spacing of its error times',
    (gapsH) => {
      const q = new QuarantineTable({ threshold: 1000, counterResetMs: Number.MAX_SAFE_INTEGER });
      const id = q.idOf('a@x');
      let t = 0;
      let expected = 0;
      let last = Number.NEGATIVE_INFINITY;
      for (const g of gapsH) {
        t += g * HOUR;
        q.onError(id, { impact: 'count', reason: 5, rule: null }, null, t);
        if (t - last >= 24 * HOUR) {
          expected++;
          last = t;
        }
      }
      expect(q.errorCount(id)).toBe(expected);
    },
  );
});

/** Plays `ops` on a table over five addresses (no assertions). */
function play(q: QuarantineTable, ops: readonly Op[]): number {
  const ids = [0, 1, 2, 3, 4].map((i) => q.idOf(`user${i}@example.com`));
  let t = 0;
  for (const o of ops) {
    t += o.dt;
    if (o.kind === 'error')
      q.onError(
        ids[o.addr]!,
        { impact: o.impact, reason: o.reason, rule: `r${o.reason}` },
        `e${o.reason}`,
        t,
      );
    else if (o.kind === 'success') q.onSuccess(ids[o.addr]!, t);
    else if (o.kind === 'complaint') q.onComplaint(ids[o.addr]!, 'abuse', t);
    else if (o.kind === 'cleanup') q.cleanup(t);
    else if (o.kind === 'restore') q.restore(ids[o.addr]!, t);
    else q.setInitial(ids[o.addr]!, o.status, t);
  }
  return t;
}

const withoutId = ({ id: _id, ...rest }: QuarantineRow | QuarantineEvent) => rest;

describe('QuarantineTable.load', () => {
  test.prop([fc.array(op, { maxLength: 80 }), fc.integer({ min: 1, max: 7 }), fc.boolean()])(
    'loading the exported rows gives the same rows, and restore then acts as on the original table',
    (ops, threshold, storeColumnsOnly) => {
      const a = new QuarantineTable({ threshold });
      const end = play(a, ops);
      const exported = [...a.rows()];
      const b = new QuarantineTable({ threshold });
      for (const r of exported) {
        // the run store keeps neither the rule nor the last counted error
        const { id: _id, ...row } = r;
        b.load(storeColumnsOnly ? { ...row, rule: undefined, lastCountedErrorMs: undefined } : row);
      }
      const strip = (r: QuarantineRow) =>
        storeColumnsOnly ? { ...withoutId(r), rule: null, lastCountedErrorMs: null } : withoutId(r);
      expect([...b.rows()].map(withoutId)).toEqual(exported.map(strip));
      const events: [QuarantineEvent[], QuarantineEvent[]] = [[], []];
      a.setListener((e) => events[0].push(e));
      b.setListener((e) => events[1].push(e));
      for (const r of exported) {
        const restored = a.restore(r.id, end + HOUR);
        expect(b.restore(b.findId(r.address), end + HOUR)).toBe(restored);
      }
      expect([...b.rows()].map(withoutId)).toEqual([...a.rows()].map(strip));
      const stripEvent = (e: QuarantineEvent) =>
        storeColumnsOnly ? { ...withoutId(e), rule: null } : withoutId(e);
      expect(events[1].map(withoutId)).toEqual(events[0].map(stripEvent));
    },
  );
});
