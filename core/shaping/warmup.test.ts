import { describe, expect, it } from 'vitest';
import { loadWarmup, parseWarmup } from '../../node/index.ts';
import { findWarmupCurve, ipDay, warmupRate } from './warmup.ts';

const w = loadWarmup();
const curve = (domain: string) => w.curves[findWarmupCurve(w, domain)]!;
const H = 3_600_000;
const D = 86_400_000;

describe('warm-up curves (SPEC §7.2)', () => {
  it('Yahoo: 50,000/day on day 1, +50,000 each day for 28 days, then no limit', () => {
    const y = curve('yahoo.com');
    expect(warmupRate(y, 1)).toEqual({ count: 50_000, periodMs: D });
    expect(warmupRate(y, 2)).toEqual({ count: 100_000, periodMs: D });
    expect(warmupRate(y, 28)).toEqual({ count: 1_400_000, periodMs: D });
    expect(warmupRate(y, 29)).toBeNull();
  });
  it('Gmail: 10,000/h for 14 days, then 100,000/h', () => {
    const g = curve('gmail.com');
    expect(warmupRate(g, 1)).toEqual({ count: 10_000, periodMs: H });
    expect(warmupRate(g, 14)).toEqual({ count: 10_000, periodMs: H });
    expect(warmupRate(g, 15)).toEqual({ count: 100_000, periodMs: H });
  });
  it('AOL: 1,000/h for 4 days, 10,000/h to day 10, then 100,000/h', () => {
    const a = curve('aol.com');
    expect(warmupRate(a, 4)!.count).toBe(1_000);
    expect(warmupRate(a, 5)!.count).toBe(10_000);
    expect(warmupRate(a, 10)!.count).toBe(10_000);
    expect(warmupRate(a, 11)!.count).toBe(100_000);
  });
  it('day numbers count from the IP age', () => {
    expect(ipDay(0, 0)).toBe(1);
    expect(ipDay(0, D - 1)).toBe(1);
    expect(ipDay(3, D)).toBe(5);
    expect(findWarmupCurve(w, 'example.org')).toBe(-1);
  });
  it('rejects steps out of order', () => {
    expect(() =>
      parseWarmup(
        "version: 1\ncurves:\n  - name: x\n    domains: ['x.com']\n    steps:\n      - { fromDay: 1, rate: 1/h }\n      - { fromDay: 1, rate: 2/h }\n",
        'w.yaml',
      ),
    ).toThrow(/w\.yaml:7:\d+: curves\[0\]\.steps\[1\]\.fromDay: days must increase/);
  });
});
