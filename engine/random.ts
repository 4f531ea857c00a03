/**
 * Seeded random numbers split into named streams.
 *
 * Each stream is a pure-rand xoroshiro128+ generator whose 128-bit state is derived from the run
 * seed and a 64-bit hash of the stream's name only (SplitMix64 mixing). Two streams never share
 * draws, and adding a component (a new name) or drawing more from one stream never shifts another.
 *
 * A {@link RandomStream} is structurally a core `RandomSource` (`next(): number` in [0, 1)).
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { EngineError } from './errors.ts';

const MASK64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;

function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** FNV-1a over the UTF-8 bytes of `name`, 64 bits, then mixed. */
export function hashName(name: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(name)) {
    h = ((h ^ BigInt(byte)) * 0x100000001b3n) & MASK64;
  }
  return mix64(h);
}

function normaliseSeed(seed: number | bigint): bigint {
  if (typeof seed === 'bigint') return BigInt.asUintN(64, seed);
  if (!Number.isSafeInteger(seed)) {
    throw new EngineError('MXLAB_RANDOM', `seed must be a safe integer, got ${seed}`);
  }
  return BigInt.asUintN(64, BigInt(seed));
}

/** The xoroshiro128+ state (four signed 32-bit words, pure-rand's order) for (seed, name). */
export function streamState(seed: number | bigint, name: string): number[] {
  let x = mix64(normaliseSeed(seed) ^ hashName(name));
  const words: number[] = [];
  for (let k = 0; k < 2; k++) {
    x = (x + GOLDEN) & MASK64;
    const out = mix64(x);
    words.push(Number(BigInt.asIntN(32, out >> 32n)), Number(BigInt.asIntN(32, out)));
  }
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0) words[0] = 1; // the all-zero state is a fixed point
  return words;
}

const TWO_POW_27 = 134217728;
const TWO_POW_53 = 9007199254740992;

/** Stirling series for ln Γ(x), accurate for x >= 10. */
function lnGammaLarge(x: number): number {
  const x2 = x * x;
  return (
    (x - 0.5) * Math.log(x) -
    x +
    0.9189385332046728 +
    1 / (12 * x) -
    1 / (360 * x * x2) +
    1 / (1260 * x2 * x2 * x)
  );
}

const LOG_FACT_TABLE = (() => {
  const t = new Float64Array(256);
  for (let k = 2; k < 256; k++) t[k] = t[k - 1] + Math.log(k);
  return t;
})();

/** ln(k!) for an integer k >= 0. */
export function logFactorial(k: number): number {
  return k < 256 ? LOG_FACT_TABLE[k] : lnGammaLarge(k + 1);
}

/** One named stream of random numbers with the usual distributions. */
export class RandomStream {
  /** the stream's name (as given to {@link RandomStreams.stream}) */
  readonly name: string;
  private readonly g: JumpableRandomGenerator;
  private spare = Number.NaN;

  /** Usually obtained from {@link RandomStreams.stream}; a stream built directly is the same stream. */
  constructor(seed: number | bigint, name: string) {
    this.name = name;
    this.g = xoroshiro128plusFromState(streamState(seed, name));
  }

  /** Uniform float in [0, 1) with 53 random bits (two 32-bit draws). */
  next(): number {
    const hi = this.g.next() & 0x3ffffff;
    const lo = this.g.next() & 0x7ffffff;
    return (hi * TWO_POW_27 + lo) / TWO_POW_53;
  }

  /** Uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max] (both inclusive); the range must be at most 2^32 values. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min || max - min >= 2 ** 32) {
      throw new EngineError(
        'MXLAB_RANDOM',
        `int(${min}, ${max}): need integers with min <= max and a range <= 2^32`,
      );
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Exponential variate with the given mean (mean = 1 / rate). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Normal variate (Marsaglia polar method; the second value of each pair is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return mean + sd * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return mean + sd * u * f;
  }

  /** Log-normal variate: `exp(N(mu, sigma))` (mu and sigma of the underlying normal). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Poisson variate with mean `lambda` (multiplication method below 30, PTRS rejection above). */
  poisson(lambda: number): number {
    if (!(lambda >= 0) || !Number.isFinite(lambda)) {
      throw new EngineError('MXLAB_RANDOM', `poisson(${lambda}): the mean must be a finite number >= 0`);
    }
    if (lambda === 0) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    // Hörmann (1993), "The transformed rejection method for generating Poisson random variables"
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (
        Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
        -lambda + k * loglam - logFactorial(k)
      ) {
        return k;
      }
    }
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new EngineError('MXLAB_RANDOM', 'pick() from an empty array');
    return items[Math.floor(this.next() * items.length)];
  }

  /** An index drawn with the table's weights (one draw, O(1)). */
  weighted(table: WeightedTable): number {
    return table.sample(this);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

/**
 * A weighted choice over indices 0..n-1, precomputed as a Vose alias table: drawing costs one
 * uniform draw and two array reads whatever n.
 */
export class WeightedTable {
  /** number of choices */
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  /** @param weights - non-negative finite weights, at least one of them > 0 */
  constructor(weights: readonly number[]) {
    const n = weights.length;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new EngineError('MXLAB_RANDOM', `weights[${i}] must be a finite number >= 0, got ${w}`);
      }
      sum += w;
    }
    if (!(sum > 0)) throw new EngineError('MXLAB_RANDOM', 'weights must contain at least one value > 0');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / sum;
      (scaled[i] < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) {
      this.prob[i] = 1;
      this.alias[i] = i;
    }
    for (const i of small) {
      // only reached through rounding: such columns are (numerically) full
      this.prob[i] = 1;
      this.alias[i] = i;
    }
  }

  /** Draws an index using one value of `rng` (any `{ next(): number }` in [0, 1)). */
  sample(rng: { next(): number }): number {
    const u = rng.next() * this.size;
    const i = Math.floor(u);
    return u - i < this.prob[i] ? i : this.alias[i];
  }

  /** The probability of index `i` implied by the table (for tests and reports). */
  probability(i: number): number {
    let p = this.prob[i];
    for (let j = 0; j < this.size; j++) if (j !== i && this.alias[j] === i) p += 1 - this.prob[j];
    return p / this.size;
  }
}

/**
 * The run's random numbers: one seed, any number of named streams. `stream(name)` returns the same
 * instance for the same name, so a component keeps drawing where it left off.
 */
export class RandomStreams {
  /** the run seed */
  readonly seed: number | bigint;
  private readonly streams = new Map<string, RandomStream>();

  /** @param seed - a safe integer or a bigint (taken modulo 2^64) */
  constructor(seed: number | bigint) {
    normaliseSeed(seed);
    this.seed = seed;
  }

  /** The stream for `name` (created on first use from the seed and the name only). */
  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = new RandomStream(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }

  /** Names of the streams used so far, in order of first use. */
  names(): string[] {
    return [...this.streams.keys()];
  }
}
