import { describe, expect, it } from 'vitest';
import { loadMxRules } from '../../node/index.ts';
import { hourlyCapacity, measureHourlyCapacity } from './capacity.ts';

const set = loadMxRules();
const general = set.rules.at(-1)!;

describe("the documents' throughput table comes out of the MX-rule code (SPEC §7.1)", () => {
  const spread = { ...set.settings, sliceRounding: 'spread' as const };
  const cases = [
    { local: 2, mx: 7, rate: 10_000, shared: 20_000, perPath: 140_000 },
    { local: 1, mx: 5, rate: 1_000, shared: 1_000, perPath: 5_000 },
  ];
  for (const c of cases) {
    it(`${c.local} local × ${c.mx} MX at ${c.rate}/h: ${c.shared}/h shared, ${c.perPath}/h not shared`, () => {
      const sharedRule = { ...general, shared: true, messagesPerHour: c.rate, maxConnections: 1000 };
      const pathRule = { ...sharedRule, shared: false };
      // an hour of sends through the shaper, slices rounded so that an hour totals the rate
      expect(measureHourlyCapacity(sharedRule, spread, c.local, c.mx)).toBe(c.shared);
      expect(measureHourlyCapacity(pathRule, spread, c.local, c.mx)).toBe(c.perPath);
      expect(hourlyCapacity(sharedRule, c.local, c.mx)).toBe(c.shared);
      expect(hourlyCapacity(pathRule, c.local, c.mx)).toBe(c.perPath);
      // default floor rounding: 12 × floor(rate / 12) per bucket, the remainder is not sent
      const buckets = c.shared / c.rate;
      expect(measureHourlyCapacity(sharedRule, set.settings, c.local, c.mx)).toBe(
        buckets * 12 * Math.floor(c.rate / 12),
      );
      expect(measureHourlyCapacity(pathRule, set.settings, c.local, c.mx)).toBe(
        (c.perPath / c.rate) * 12 * Math.floor(c.rate / 12),
      );
    });
  }
});
