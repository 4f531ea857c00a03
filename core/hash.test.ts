import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fmix32 } from './hash.ts';
import { spread } from './reference/retry.ts';

describe('fmix32 (the one murmur3 finaliser of core and the simulators)', () => {
  it('keeps the values the catalog was generated with', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0xffffffff)).toBe(0x81f16f39);
  });

  test.prop([fc.integer({ min: -(2 ** 40), max: 2 ** 40 })])(
    'agrees with the reference oracle’s own copy and reads any number modulo 2^32',
    (x) => {
      expect(fmix32(x)).toBe(spread(x));
      expect(fmix32(x)).toBe(fmix32(x + 2 ** 32));
      expect(Number.isInteger(fmix32(x)) && fmix32(x) >= 0 && fmix32(x) < 2 ** 32).toBe(true);
    },
  );
});
