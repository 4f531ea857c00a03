import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStream, RandomStreams, WeightedTable } from './random.ts';

/** A core `RandomSource`, restated here: the engine must not import core. */
interface RandomSourceShape {
  next(): number;
}

function draws(s: RandomStream, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(s.next());
  return out;
}

const table = new WeightedTable([1, 2, 3]);

/** One draw of each distribution, so per-stream state (the normal's spare) is covered too. */
function mixedDraw(s: RandomStream): number[] {
  return [
    s.next(),
    s.normal(),
    s.poisson(3),
    s.poisson(80),
    s.exponential(2),
    s.weighted(table),
    s.int(0, 9),
  ];
}

function mean(xs: number[]): number {
  return xs.reduce((x, y) => x + y, 0) / xs.length;
}

function variance(xs: number[]): number {
  const m = mean(xs);
  return xs.reduce((acc, x) => acc + (x - m) * (x - m), 0) / (xs.length - 1);
}

function sample(n: number, f: () => number): number[] {
  return Array.from({ length: n }, f);
}

const nameArb = fc.string({ minLength: 1, maxLength: 12 });

describe('RandomStreams', () => {
  test.prop([
    fc.integer(),
    nameArb,
    fc.array(fc.tuple(nameArb, fc.integer({ min: 0, max: 20 })), { maxLength: 8 }),
    fc.integer({ min: 1, max: 50 }),
  ])(
    'a named stream draws the same values whatever other streams were used, in any order',
    (seed, name, others, n) => {
      const alone = draws(new RandomStreams(seed).stream(name), n);
      const busy = new RandomStreams(seed);
      const target = busy.stream(name);
      const mixed: number[] = [];
      // interleave: draw from other streams between each of the target's draws
      for (let i = 0; i < n; i++) {
        for (const [other, k] of others) {
          if (other === name) continue;
          const s = busy.stream(other);
          for (let j = 0; j < k; j++) s.next();
        }
        mixed.push(target.next());
      }
      expect(mixed).toEqual(alone);
      // a stream built directly from (seed, name) is the same stream
      expect(draws(new RandomStream(seed, name), n)).toEqual(alone);
    },
  );

  test.prop([fc.integer(), nameArb, fc.array(nameArb, { maxLength: 5 }), fc.integer({ min: 1, max: 20 })])(
    'distribution draws of a named stream do not depend on other streams either',
    (seed, name, others, n) => {
      const ref = new RandomStreams(seed).stream(name);
      const expected = Array.from({ length: n }, () => mixedDraw(ref));
      const busy = new RandomStreams(seed);
      const got: number[][] = [];
      for (let i = 0; i < n; i++) {
        for (const o of others) if (o !== name) mixedDraw(busy.stream(o));
        got.push(mixedDraw(busy.stream(name)));
      }
      expect(got).toEqual(expected);
    },
  );

  test.prop([fc.integer(), nameArb, nameArb])(
    'different names or seeds give different streams',
    (seed, x, y) => {
      fc.pre(x !== y);
      const s = new RandomStreams(seed);
      expect(draws(s.stream(x), 4)).not.toEqual(draws(s.stream(y), 4));
      expect(draws(new RandomStream(seed, x), 4)).not.toEqual(draws(new RandomStream(seed + 1, x), 4));
    },
  );

  it('returns the same stream instance per name and lists names in order of first use', () => {
    const s = new RandomStreams(7);
    expect(s.stream('isp')).toBe(s.stream('isp'));
    s.stream('arrivals');
    expect(s.names()).toEqual(['isp', 'arrivals']);
    const src: RandomSourceShape = s.stream('isp');
    expect(typeof src.next()).toBe('number');
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new RandomStreams(1.5)).toThrow(/MXLAB_RANDOM: seed must be a safe integer, got 1.5/);
    expect(() => new RandomStreams(2 ** 60)).toThrow(/MXLAB_RANDOM/);
    expect(draws(new RandomStreams(2n ** 64n + 5n).stream('x'), 3)).toEqual(
      draws(new RandomStreams(5).stream('x'), 3),
    );
  });
});

describe('RandomStream distributions', () => {
  test.prop([fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 2 ** 31 })])(
    'next() is in [0,1) and int() stays in range',
    (seed, min, span) => {
      const s = new RandomStream(seed, 'x');
      for (let i = 0; i < 50; i++) {
        const u = s.next();
        expect(u >= 0 && u < 1).toBe(true);
        const k = s.int(min, min + span);
        expect(Number.isInteger(k) && k >= min && k <= min + span).toBe(true);
      }
    },
  );

  it('uniform, int and bernoulli have the right moments', () => {
    const s = new RandomStream(1, 'moments');
    const u = sample(50_000, () => s.next());
    expect(mean(u)).toBeCloseTo(0.5, 2);
    expect(variance(u)).toBeCloseTo(1 / 12, 2);
    const dice = sample(60_000, () => s.int(1, 6));
    for (let face = 1; face <= 6; face++) {
      expect(dice.filter((d) => d === face).length / 60_000).toBeCloseTo(1 / 6, 2);
    }
    const b = sample(50_000, () => (s.bernoulli(0.9) ? 1 : 0));
    expect(mean(b)).toBeCloseTo(0.9, 2);
    expect(s.float(5, 6)).toBeGreaterThanOrEqual(5);
  });

  it('exponential, normal and lognormal have the right moments', () => {
    const s = new RandomStream(2, 'moments');
    const e = sample(100_000, () => s.exponential(3));
    expect(mean(e)).toBeGreaterThan(2.95);
    expect(mean(e)).toBeLessThan(3.05);
    const n = sample(100_000, () => s.normal(10, 2));
    expect(mean(n)).toBeCloseTo(10, 1);
    expect(Math.sqrt(variance(n))).toBeCloseTo(2, 1);
    const ln = sample(100_001, () => s.lognormal(1, 0.5)).sort((x, y) => x - y);
    expect(ln[50_000]).toBeCloseTo(Math.E, 1); // median = e^mu
  });

  it.each([0.5, 4, 29.5, 30, 120, 5000])('poisson(%d) has mean and variance lambda', (lambda) => {
    const s = new RandomStream(3, `poisson-${lambda}`);
    const xs = sample(40_000, () => s.poisson(lambda));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    expect(Math.abs(mean(xs) - lambda)).toBeLessThan(0.05 * lambda + 0.02);
    expect(Math.abs(variance(xs) - lambda)).toBeLessThan(0.08 * lambda + 0.05);
  });

  it('poisson rejects bad means and returns 0 for 0', () => {
    const s = new RandomStream(3, 'p');
    expect(s.poisson(0)).toBe(0);
    expect(() => s.poisson(-1)).toThrow(/MXLAB_RANDOM: poisson\(-1\)/);
    expect(() => s.poisson(Number.NaN)).toThrow(/MXLAB_RANDOM/);
  });

  test.prop([fc.integer(), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 20 })])(
    'shuffle is a permutation and pick returns an element',
    (seed, items) => {
      const s = new RandomStream(seed, 'shuffle');
      const copy = [...items];
      expect(s.shuffle(copy).sort()).toEqual([...items].sort());
      expect(items).toContain(s.pick(items));
    },
  );
});

describe('WeightedTable', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 })])(
    'its implied probabilities equal the normalised weights and draws stay in range',
    (weights) => {
      fc.pre(weights.some((w) => w > 0));
      const t = new WeightedTable(weights);
      const sum = weights.reduce((x, y) => x + y, 0);
      weights.forEach((w, i) => {
        expect(t.probability(i)).toBeCloseTo(w / sum, 9);
      });
      const s = new RandomStream(9, 'w');
      for (let k = 0; k < 50; k++) {
        const i = s.weighted(t);
        expect(weights[i]).toBeGreaterThan(0);
      }
    },
  );

  it('draws with the given frequencies', () => {
    const t = new WeightedTable([1, 0, 3, 6]);
    const s = new RandomStream(11, 'w');
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 100_000; k++) counts[t.sample(s)]++;
    expect(counts[1]).toBe(0);
    expect(counts[0] / 1e5).toBeCloseTo(0.1, 2);
    expect(counts[2] / 1e5).toBeCloseTo(0.3, 2);
    expect(counts[3] / 1e5).toBeCloseTo(0.6, 2);
  });

  it('rejects negative, non-finite or all-zero weights naming the index', () => {
    expect(() => new WeightedTable([1, -2])).toThrow(/weights\[1\] must be a finite number >= 0, got -2/);
    expect(() => new WeightedTable([1, Number.NaN])).toThrow(/weights\[1\]/);
    expect(() => new WeightedTable([0, 0])).toThrow(/at least one value > 0/);
    expect(() => new WeightedTable([])).toThrow(/at least one value > 0/);
  });
});
