import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { addressTemplate, NormalizeCache } from './normalize-cache.ts';
import { normalizeText } from './normalize-text.ts';

/** characters that stress the normaliser's address, number and code rules */
const tricky = fc.constantFrom(
  ...'aZ09._+-%!#$&*/=?^`|~@<>()[]{},;:"\' \t\r\n\u0000\u00e9\u00a0#xt'.split(''),
);
/** tricky characters and the codes heading the lines of a multi-line reply */
const trickyPiece = fc.oneof(
  tricky,
  fc.constantFrom('\r\n550-5.1.1 ', '550 5.1.1', '\u00000\u0000', '4.7.0'),
);
const noise = fc.string({ unit: trickyPiece, maxLength: 24 });
const local = fc.string({
  unit: fc.constantFrom(...'abcxyz0189._+-%!'.split('')),
  minLength: 1,
  maxLength: 14,
});
const host = fc.string({ unit: fc.constantFrom(...'abcz09.-'.split('')), minLength: 1, maxLength: 14 });
const address = fc.tuple(local, host).map(([l, h]) => `${l}@${h}`);
const head = fc.constantFrom(
  '',
  '550 5.1.1 ',
  '550-5.1.1 ',
  '452 4.2.2 ',
  '554 ',
  '421-4.7.0 ',
  '5.1.1 ',
  '550 5.',
  '550 5.1.',
  '55',
  '550-',
);

describe('NormalizeCache', () => {
  test.prop([
    head,
    noise,
    noise,
    fc.array(address, { minLength: 2, maxLength: 6 }),
    fc.integer({ min: 0, max: 6 }),
  ])(
    'gives what normalizeText gives, for texts that differ only in the address they quote',
    (h, before, after, addresses, size) => {
      const cache = new NormalizeCache(size);
      for (const a of addresses) {
        const text = `${h}${before}${a}${after}`;
        expect(cache.normalize(text)).toBe(normalizeText(text));
      }
    },
  );

  test.prop([
    fc.array(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: trickyPiece, maxLength: 60 })), {
      maxLength: 30,
    }),
  ])('gives what normalizeText gives on any texts, in any order', (texts) => {
    const cache = new NormalizeCache(8);
    for (const t of [...texts, ...texts]) expect(cache.normalize(t)).toBe(normalizeText(t));
  });

  it('shares one entry between recipients of the same reply', () => {
    const a = addressTemplate('550 5.1.1 <jane.doe.3kf9@example.com>: Recipient address rejected');
    const b = addressTemplate('550 5.1.1 <j.smith.12@example.com>: Recipient address rejected');
    expect(a).toBe(b);
    expect(a).toBe('550 5.1.1 <\u0001>: Recipient address rejected');
  });

  it('keeps a text whose address cannot be proven harmless', () => {
    for (const t of [
      '550 5.1.1@b.c', // too near the start: the reply code is read there
      '550 a@b.c', // likewise
      '550 5.1.1 user unknown: a@b@c.example', // two @ in one run
      '550 5.1.1 user unknown: \u00e9a@b.example', // bounded by a non-ASCII letter
      '550 5.1.1 user unknown \u0001 a@b.example', // holds the placeholder
    ])
      expect(addressTemplate(t)).toBe(t);
  });

  it('rejects a bad size', () => {
    expect(() => new NormalizeCache(-1)).toThrow(/normalize cache: size/);
  });
});
