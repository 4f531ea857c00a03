/**
 * Counter-based hashing: every random decision about recipient `i` is a pure function of
 * (seed, i, purpose), so a recipient's truth never depends on the population size or on the order
 * in which anything else was drawn. Mixing is murmur3's 32-bit finaliser over a few rounds.
 */
import { fmix32 } from '../../core/hash.ts';
import type { RandomSource } from '../../core/ports.ts';

export { fmix32 };

/** Hashes a string (e.g. a purpose or stream name) to a 32-bit integer (FNV-1a then fmix32). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) {
    h ^= s.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** 32-bit hash of (seed, index): compute once, then derive each purpose with `hashOf`. */
export function baseHash(seed: number, index: number): number {
  const lo = index >>> 0;
  const hi = Math.floor(index / 4294967296) >>> 0;
  let h = fmix32((seed ^ 0x9e3779b9) >>> 0);
  h = fmix32((h ^ lo) + 0x632be5ab);
  return fmix32((h ^ hi) + 0x85157af5);
}

/** 32-bit hash of a base hash and a purpose. */
export function hashOf(base: number, purpose: number): number {
  return fmix32((base ^ Math.imul(purpose, 0x9e3779b1)) + 0x2545f491);
}

/** Uniform float in [0, 1) from a base hash and a purpose. */
export function unitOf(base: number, purpose: number): number {
  return hashOf(base, purpose) / 4294967296;
}

/** 32-bit hash of (seed, index, purpose). `index` may go up to 2^53; `purpose` is a small integer or a hashString. */
export function hash3(seed: number, index: number, purpose: number): number {
  return hashOf(baseHash(seed, index), purpose);
}

/** Uniform float in [0, 1) from (seed, index, purpose), with 32 bits of resolution. */
export function unit3(seed: number, index: number, purpose: number): number {
  return hash3(seed, index, purpose) / 4294967296;
}

/**
 * A `RandomSource` that draws `unit3(seed, counter++, hashString(name))`: a named stream that is
 * reproducible from the seed alone and independent of every other name.
 */
export function hashStream(seed: number, name: string): RandomSource {
  const purpose = hashString(name);
  let counter = 0;
  return { next: () => unit3(seed, counter++, purpose) };
}

/**
 * A fast sequential `RandomSource` (sfc32) seeded from (seed, name): for hot loops whose draw order
 * is itself deterministic (an ISP brain answering the core's requests in order).
 */
export function fastStream(seed: number, name: string): RandomSource {
  let a = hash3(seed, 0, hashString(name));
  let b = hash3(seed, 1, hashString(name));
  let c = hash3(seed, 2, hashString(name));
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let k = 0; k < 12; k++) next();
  return { next };
}
