import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { AddressBook } from '../ports.ts';
import { AddressStatus, HOUR, type Impact, Reason } from '../types.ts';
import { AddressIds } from './address-ids.ts';
import { type QuarantineEvent, QuarantineTable } from './quarantine-table.ts';

/** A toy directory: `u<i>@x.test` for i in 0..size-1 (exact case only). */
function toyBook(size: number): AddressBook & { lookups: number } {
  const book = {
    size,
    lookups: 0,
    idOf(address: string): number {
      book.lookups++;
      const m = /^u(\d+)@x\.test$/.exec(address);
      if (!m || (m[1]!.length > 1 && m[1]!.startsWith('0'))) return -1;
      const i = Number(m[1]);
      return i < size ? i : -1;
    },
    addressOf: (id: number) => `u${id}@x.test`,
  };
  return book;
}

/** Book addresses, strangers, a book address in another case and one past the book's end. */
const address = fc.oneof(
  fc.integer({ min: 0, max: 9 }).map((i) => `u${i}@x.test`),
  fc.integer({ min: 0, max: 9 }).map((i) => `U${i}@x.test`),
  fc.integer({ min: 10, max: 12 }).map((i) => `u${i}@x.test`),
  fc.constantFrom('stranger@y.test', 'other@y.test', 'a@b'),
);

describe('AddressIds', () => {
  test.prop([fc.array(address, { maxLength: 60 }), fc.boolean()])(
    'one dense id per distinct address, stable, and giving the address back',
    (addresses, withBook) => {
      const book = withBook ? toyBook(10) : null;
      const ids = new AddressIds(book);
      const inBook = (a: string) => (book === null ? -1 : book.idOf(a));
      const seen = new Map<string, number>();
      for (const a of addresses) {
        const before = ids.size;
        const known = inBook(a);
        expect(ids.find(a)).toBe(seen.get(a) ?? known); // a book address is known before anyone asks
        expect(ids.size).toBe(before); // find never creates
        const id = ids.idOf(a);
        if (seen.has(a)) expect(id).toBe(seen.get(a));
        if (known >= 0) expect(id).toBe(known);
        seen.set(a, id);
        expect(ids.valueOf(id)).toBe(a);
        expect(ids.isIdOf(id, a)).toBe(true);
        expect(id).toBeLessThan(ids.size);
      }
      expect(new Set(seen.values()).size).toBe(seen.size);
      // with a book its ids are 0..9 and the strangers come after them, densely
      const strangers = [...seen.keys()].filter((a) => inBook(a) < 0);
      expect(ids.size).toBe((withBook ? 10 : 0) + strangers.length);
    },
  );

  it('rejects ids it never gave out and a book that answers outside its size', () => {
    const ids = new AddressIds(toyBook(3));
    expect(ids.valueOf(2)).toBe('u2@x.test');
    expect(() => ids.valueOf(3)).toThrow(RangeError);
    expect(ids.isIdOf(1, 'u2@x.test')).toBe(false);
    expect(ids.isIdOf(7, 'u2@x.test')).toBe(false);
    expect(ids.isIdOf(0.5, 'u0@x.test')).toBe(false);
    const liar: AddressBook = { size: 2, idOf: () => 5, addressOf: () => 'x@y' };
    expect(() => new AddressIds(liar).idOf('x@y')).toThrow(/idOf\(x@y\) gave 5, outside 0\.\.1/);
    expect(() => new AddressIds({ size: -1, idOf: () => -1, addressOf: () => '' })).toThrow(/size/);
  });
});

type Op =
  | { kind: 'error'; a: string; dt: number; impact: Impact; reason: number }
  | { kind: 'success'; a: string; dt: number }
  | { kind: 'complaint'; a: string; dt: number }
  | { kind: 'cleanup'; dt: number };

const dt = fc.integer({ min: 0, max: 20 * 24 }).map((h) => h * HOUR);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('error' as const),
      a: address,
      dt,
      impact: fc.constantFrom<Impact>('quarantine', 'count', 'count', 'none', 'denylist'),
      reason: fc.constantFrom(Reason.UserUnknown, Reason.MailboxFull, Reason.Refused, Reason.InvalidDomain),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('success' as const), a: address, dt }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('complaint' as const), a: address, dt }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cleanup' as const), dt }) },
);

/** Runs the ops on a table; returns each address's row and its events, keyed by address. */
function play(table: QuarantineTable, ops: Op[]) {
  const events = new Map<string, Omit<QuarantineEvent, 'id'>[]>();
  table.setListener(({ id: _id, ...e }) => {
    const list = events.get(e.address) ?? [];
    list.push(e);
    events.set(e.address, list);
  });
  let t = 0;
  for (const o of ops) {
    t += o.dt;
    if (o.kind === 'cleanup') table.cleanup(t);
    else if (o.kind === 'success') table.onSuccess(table.idOf(o.a), t);
    else if (o.kind === 'complaint') table.onComplaint(table.idOf(o.a), 'abuse', t);
    else
      table.onError(
        table.idOf(o.a),
        { impact: o.impact, reason: o.reason, rule: `r${o.reason}` },
        `550 ${o.reason}`,
        t,
      );
  }
  const rows = new Map<string, unknown>();
  for (const { id: _id, ...r } of table.rows()) rows.set(r.address, r);
  return { rows, events };
}

describe('QuarantineTable with an address book', () => {
  test.prop([fc.array(op, { maxLength: 80 })])(
    'decides exactly as the interning table, address by address',
    (ops) => {
      const plain = play(new QuarantineTable({}, null, 4), ops);
      const book = toyBook(10);
      const booked = play(new QuarantineTable({}, null, 4, book), ops);
      expect(booked.rows).toEqual(plain.rows);
      expect(booked.events).toEqual(plain.events);
    },
  );

  it('keeps no string for book addresses and still finds strangers', () => {
    const book = toyBook(1000);
    const q = new QuarantineTable({}, null, 16, book);
    expect(q.size).toBe(1000);
    expect(q.findId('u999@x.test')).toBe(999);
    expect(q.status(999)).toBe(AddressStatus.Valid);
    expect(q.findId('stranger@y.test')).toBe(-1);
    const s = q.idOf('stranger@y.test');
    expect(s).toBe(1000);
    expect(q.addressOf(s)).toBe('stranger@y.test');
    expect(q.findId('U1@x.test')).toBe(-1); // case-sensitive: not the book's u1
    q.onError(5, { impact: 'quarantine', reason: Reason.UserUnknown, rule: null }, 'no such user', 10);
    expect([...q.rows()].map((r) => [r.id, r.address, r.status])).toEqual([
      [5, 'u5@x.test', AddressStatus.Quarantine],
    ]);
  });
});
