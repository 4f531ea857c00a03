import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { SliceLimiter } from './slice-limiter.ts';

const H = 3_600_000;
const SLICE = 300_000;

function fill(l: SliceLimiter, k: number, from: number, to: number): number[] {
  // sends as soon as allowed; returns sends per 5-minute slice
  const per: number[] = [];
  let t = from;
  for (;;) {
    t = l.nextAt(k, t);
    if (t >= to) break;
    const s = Math.floor(t / SLICE);
    per[s] = (per[s] ?? 0) + 1;
    expect(l.consume(k, t)).toBe(true);
  }
  return per;
}

describe('SliceLimiter', () => {
  it('10,000/h: 833 per 5-minute slice, all at the slice start, next slice at exactly +5 min (floor)', () => {
    const l = new SliceLimiter(SLICE, 'floor');
    const k = l.add();
    l.setRate(k, 10_000, H);
    for (let i = 0; i < 833; i++) {
      expect(l.nextAt(k, 1_000)).toBe(1_000);
      l.consume(k, 1_000);
    }
    expect(l.remaining(k, 1_000)).toBe(0);
    expect(l.nextAt(k, 1_000)).toBe(SLICE);
    expect(l.consume(k, 1_000)).toBe(false);
    const per = fill(new SliceLimiterFilled(10_000).l, 0, 0, H);
    expect(per).toEqual(Array(12).fill(833));
  });

  it('spread rounding gives 833/834 and exactly 10,000 in the hour', () => {
    const l = new SliceLimiter(SLICE, 'spread');
    const k = l.add();
    l.setRate(k, 10_000, H);
    const per = fill(l, k, 0, H);
    expect(per.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Math.min(...per)).toBe(833);
    expect(Math.max(...per)).toBe(834);
  });

  it('small rates: 1/min sends one per minute, 6/h one per 10 minutes', () => {
    const l = new SliceLimiter(SLICE, 'floor');
    const a = l.add();
    const b = l.add();
    l.setRate(a, 1, 60_000);
    l.setRate(b, 6, H);
    expect(fill(l, a, 0, H).reduce((x, y) => x + y, 0)).toBe(60);
    l.consume(b, 0);
    expect(l.nextAt(b, 0)).toBe(600_000);
    l.setRate(a, 0, H);
    expect(l.nextAt(a, 5)).toBe(Number.POSITIVE_INFINITY);
    l.setUnlimited(a);
    expect(l.nextAt(a, 5)).toBe(5);
  });

  test.prop([
    fc.integer({ min: 1, max: 5_000 }),
    fc.constantFrom(60_000, H, 86_400_000),
    fc.constantFrom('floor' as const, 'spread' as const),
    fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 300 }),
  ])(
    'never allows more than a slice allowance, however sends are spaced',
    (count, period, rounding, gaps) => {
      const l = new SliceLimiter(SLICE, rounding);
      const k = l.add();
      l.setRate(k, count, period);
      const sl = l.sliceLength(k);
      const n = Math.max(1, Math.round(period / SLICE));
      const cap = rounding === 'spread' ? Math.ceil(count / n) : Math.max(1, Math.floor(count / n));
      const perSlice = new Map<number, number>();
      let t = 0;
      for (const g of gaps) {
        t = l.nextAt(k, t + g);
        expect(t).toBeGreaterThanOrEqual(0);
        expect(l.consume(k, t)).toBe(true);
        const s = Math.floor(t / sl);
        perSlice.set(s, (perSlice.get(s) ?? 0) + 1);
        expect(perSlice.get(s)!).toBeLessThanOrEqual(cap);
        expect(l.remaining(k, t)).toBeGreaterThanOrEqual(0);
      }
    },
  );
});

class SliceLimiterFilled {
  readonly l = new SliceLimiter(SLICE, 'floor');
  constructor(rate: number) {
    this.l.setRate(this.l.add(), rate, H);
  }
}
