import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyStore } from '../test-helpers/tiny-store.ts';
import { retryTiming } from './retries.ts';

describe('retryTiming delays', () => {
  it('counts, minima and maxima per attempt equal a reference over every (delivery, recipient)', async () => {
    const row = fc
      .record({
        d: fc.integer({ min: 1, max: 2 }),
        r: fc.nat({ max: 5 }),
        attempt: fc.integer({ min: 1, max: 4 }),
        t: fc.nat({ max: 1000 }),
      })
      // a later attempt is never earlier (the histogram has no bin below 0)
      .map((x) => ({ ...x, t: x.attempt * 10_000 + x.t }));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40 }), async (rows) => {
        const s = await emptyStore();
        try {
          for (const x of rows)
            await s.run(
              `INSERT INTO attempts (t, delivery_id, recipient_id, attempt, domain, phase, text, impact, outcome)
               VALUES (?, ?, ?, ?, 'd.example', 'rcpt', '', 'ok', 'retry')`,
              [x.t, x.d, x.r, x.attempt],
            );
          // reference: each row after the first of its (delivery, recipient) in (attempt, t) order
          const delays = new Map<number, number[]>();
          const groups = new Map<string, typeof rows>();
          for (const x of rows) groups.set(`${x.d}/${x.r}`, [...(groups.get(`${x.d}/${x.r}`) ?? []), x]);
          for (const g of groups.values()) {
            g.sort((a, b) => a.attempt - b.attempt || a.t - b.t);
            for (let i = 1; i < g.length; i++)
              if (g[i]!.attempt > 1)
                delays.set(g[i]!.attempt, [...(delays.get(g[i]!.attempt) ?? []), g[i]!.t - g[i - 1]!.t]);
          }
          const got = await retryTiming(s);
          const all = [...delays.values()].flat();
          expect(got.retries).toBe(all.length);
          expect(got.byAttempt.map((a) => [a.attempt, a.count, a.min, a.max])).toEqual(
            [...delays.keys()]
              .sort((a, b) => a - b)
              .map((k) => [
                k,
                delays.get(k)!.length,
                Math.min(...delays.get(k)!),
                Math.max(...delays.get(k)!),
              ]),
          );
          expect(got.histogram.bins.reduce((a, b) => a + b, 0)).toBe(all.length);
        } finally {
          s.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
