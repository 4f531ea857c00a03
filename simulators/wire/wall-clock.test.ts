import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { scaledWallClock } from './wall-clock.ts';

describe('scaledWallClock', () => {
  it('starts at startAtMs and runs speed times faster than the wall', () => {
    let wall = 1_000_000;
    const c = scaledWallClock({ speed: 60, startAtMs: 7 * 3_600_000, wallNow: () => wall });
    expect(c.now()).toBe(7 * 3_600_000);
    wall += 1000;
    expect(c.now()).toBe(7 * 3_600_000 + 60_000);
  });

  it('rejects a speed that is not positive and a negative start', () => {
    expect(() => scaledWallClock({ speed: 0 })).toThrow(/speed must be > 0/);
    expect(() => scaledWallClock({ speed: Number.NaN })).toThrow(/speed/);
    expect(() => scaledWallClock({ startAtMs: -1 })).toThrow(/start must be >= 0/);
  });

  test.prop([
    fc.double({ min: 0.001, max: 1e6, noNaN: true }),
    fc.nat({ max: 1e9 }),
    fc.array(fc.integer({ min: -5000, max: 100_000 }), { maxLength: 30 }),
  ])(
    'never goes back, even when the wall clock does, and never runs ahead of the scaled wall',
    (speed, startAtMs, steps) => {
      let wall = 5_000_000;
      const t0 = wall;
      let maxWall = wall;
      const c = scaledWallClock({ speed, startAtMs, wallNow: () => wall });
      let prev = c.now();
      expect(prev).toBe(startAtMs);
      for (const d of steps) {
        wall += d;
        if (wall > maxWall) maxWall = wall;
        const t = c.now();
        expect(t).toBeGreaterThanOrEqual(prev);
        expect(t).toBeLessThanOrEqual(startAtMs + Math.floor((maxWall - t0) * speed));
        prev = t;
      }
    },
  );
});
