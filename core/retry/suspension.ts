/**
 * Leaving a suspension without a standing wave (SPEC §4, §7): messages held by a suspension do not all
 * retry at its end; each goes back to its normal backoff, at a deterministic point of one backoff
 * interval after the end chosen from its key (message id), so the load spreads evenly.
 */
import type { Millis } from '../types.ts';

/** A 32-bit integer hash (murmur3 finaliser): well spread, deterministic. */
export function mix32(key: number): number {
  let h = key | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Next attempt of a message that was due at `scheduledAt` while its domain was suspended until
 * `suspensionEnd`: unchanged when already at or after the end; otherwise in `[end, end + backoffMs)` at
 * an offset given by `key`, so that N held messages spread over the interval instead of bursting.
 */
export function resumeAfterSuspension(
  suspensionEnd: Millis,
  scheduledAt: Millis,
  backoffMs: Millis,
  key: number,
): Millis {
  if (scheduledAt >= suspensionEnd) return scheduledAt;
  const span = Math.max(1, Math.floor(backoffMs));
  return suspensionEnd + (mix32(key) % span);
}
