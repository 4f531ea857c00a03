import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { QuarantineTable } from '../quarantine/quarantine-table.ts';
import { AddressStatus, Reason } from '../types.ts';
import { GrowableBitset } from './bitset.ts';
import { DeliveryPreparation, type PreparationTarget, prepareDelivery, SEND } from './preparation.ts';

function setup() {
  const q = new QuarantineTable();
  q.setInitial(q.idOf('deny@x'), AddressStatus.Denylisted);
  q.setInitial(q.idOf('quar@x'), AddressStatus.Quarantine);
  q.setInitial(q.idOf('vip@x'), AddressStatus.Allowlisted);
  return q;
}

describe('DeliveryPreparation', () => {
  it('applies every exclusion of SPEC §3 with its reason', () => {
    const q = setup();
    const targets: PreparationTarget[] = [
      { recipientId: 1, address: 'a@x' },
      { recipientId: 2, address: '' },
      { recipientId: 3, address: null },
      { recipientId: 4, address: '   ' },
      { recipientId: 5, address: 'a@x' },
      { recipientId: 6, address: 'A@x' },
      { recipientId: 7, address: 'deny@x' },
      { recipientId: 8, address: 'quar@x' },
      { recipientId: 9, address: 'b@x', typologyExcluded: 11 },
      { recipientId: 10, address: 'c@x', typologyExcluded: 12 },
      { recipientId: 11, address: 'd@x', inControlGroup: true },
      { recipientId: 12, address: 'vip@x' },
      { recipientId: 13, address: 'e@x' },
    ];
    const prep = new DeliveryPreparation(q, { maxMessages: 3 });
    const out = [...prepareDelivery(targets, prep)];
    expect(out.map((o) => o.reason)).toEqual([null, 7, 7, 7, 10, null, 8, 9, 11, 12, 127, 25, 17]);
    expect(out.filter((o) => o.send).map((o) => o.recipientId)).toEqual([1, 6, 12]);
    expect(out[0]!.addressId).toBe(q.findId('a@x'));
    expect(out[1]!.addressId).toBe(-1);
    expect(prep.summary()).toEqual({
      targeted: 13,
      messages: 3,
      allowlisted: 1,
      excluded: 10,
      excludedByReason: { 7: 3, 8: 1, 9: 1, 10: 1, 11: 1, 12: 1, 17: 1, 127: 1 },
    });
    expect(prep.excludedCount(Reason.AddressNotSpecified)).toBe(3);
  });

  it('uses a pre-interned address id when given', () => {
    const q = setup();
    const id = q.idOf('quar@x');
    const prep = new DeliveryPreparation(q);
    expect(prep.decide({ recipientId: 1, address: 'quar@x', addressId: id })).toBe(Reason.Quarantined);
    expect(prep.lastAddressId).toBe(id);
    expect(prep.decide({ recipientId: 2, address: 'quar@x', addressId: id })).toBe(Reason.Double);
    expect(() => prep.decide({ recipientId: 3, address: 'other@x', addressId: id })).toThrow(
      `target #2 (recipient 3): addressId: ${id} is not the id of "other@x" in the quarantine table`,
    );
    expect(prep.summary().targeted).toBe(2);
  });

  it('returns the summary as the generator result', () => {
    const gen = prepareDelivery(
      [{ recipientId: 1, address: 'a@x' }],
      new DeliveryPreparation(new QuarantineTable()),
    );
    expect(gen.next().value).toMatchObject({ send: true, reason: null });
    const end = gen.next();
    expect(end.done).toBe(true);
    expect(end.value).toMatchObject({ targeted: 1, messages: 1 });
  });

  it('names the target and field of a malformed target, without counting it', () => {
    const prep = new DeliveryPreparation(new QuarantineTable());
    expect(prep.decide({ recipientId: 1, address: 'a@x' })).toBe(SEND);
    expect(() => prep.decide({ recipientId: 2, address: 'b@x', typologyExcluded: 13 as 11 })).toThrow(
      'target #1 (recipient 2): typologyExcluded: expected 11, 12, 14, 15 or 16, got 13',
    );
    expect(() => prep.decide({ recipientId: 2.5, address: 'b@x' })).toThrow(/target #1: recipientId/);
    expect(() => prep.decide({ recipientId: 3, address: 42 as unknown as string })).toThrow(
      /address: expected a string/,
    );
    expect(prep.summary().targeted).toBe(1);
    expect(() => new DeliveryPreparation(new QuarantineTable(), { maxMessages: -1 })).toThrow(/maxMessages/);
  });

  test.prop([
    fc.array(
      fc.record({
        addr: fc.option(fc.constantFrom('a@x', 'A@x', 'b@x', 'deny@x', 'quar@x', 'vip@x', '', ' '), {
          nil: null,
        }),
        control: fc.boolean(),
        typo: fc.constantFrom(undefined, 11 as const, 12 as const),
      }),
      { maxLength: 80 },
    ),
    fc.option(fc.nat({ max: 10 }), { nil: null }),
  ])(
    'every target gets exactly one outcome; counts add up; each address is sent at most once',
    (rows, max) => {
      const q = setup();
      const prep = new DeliveryPreparation(q, { maxMessages: max });
      const out = [
        ...prepareDelivery(
          rows.map((r, i) => ({
            recipientId: i,
            address: r.addr,
            inControlGroup: r.control,
            typologyExcluded: r.typo,
          })),
          prep,
        ),
      ];
      expect(out.length).toBe(rows.length);
      const s = prep.summary();
      expect(s.targeted).toBe(rows.length);
      expect(s.messages + s.excluded).toBe(s.targeted);
      const sent = out.filter((o) => o.send);
      expect(sent.length).toBe(s.messages);
      expect(new Set(sent.map((o) => o.address)).size).toBe(sent.length);
      if (max !== null) expect(sent.length).toBeLessThanOrEqual(max);
      for (const o of sent) expect(['deny@x', 'quar@x']).not.toContain(o.address);
    },
  );
});

describe('GrowableBitset', () => {
  test.prop([fc.array(fc.nat({ max: 100_000 }), { maxLength: 200 })])(
    'behaves as a set of integers',
    (xs) => {
      const b = new GrowableBitset(8);
      const s = new Set<number>();
      for (const x of xs) {
        expect(b.testAndSet(x)).toBe(s.has(x));
        s.add(x);
      }
      for (const x of xs) expect(b.has(x)).toBe(true);
      expect(b.has(100_001)).toBe(false);
    },
  );
  it('clears', () => {
    const b = new GrowableBitset();
    b.testAndSet(5);
    b.clear();
    expect(b.has(5)).toBe(false);
  });
});
