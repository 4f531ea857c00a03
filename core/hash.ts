/**
 * The one 32-bit integer hash of mxlab (issue #23 item 3): murmur3's finaliser. The core spreads held
 * messages with it (retry/suspension.ts, mta/mta.ts); the simulators build their counter-based
 * random streams on it (simulators/population/hash.ts). core/reference/ keeps its own copy on
 * purpose: the oracle stays independent of the code it checks.
 */

/** murmur3 fmix32: a bijective avalanche of a 32-bit integer (any number is taken modulo 2^32). */
export function fmix32(key: number): number {
  let h = key | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
