/**
 * Leaving a suspension without a standing wave (SPEC §4, §7): messages held by a suspension do not all
 * retry at its end; each goes back to its normal backoff, at a deterministic point of one backoff
 * interval after the end chosen from its key (message id), so the load spreads evenly.
 */
import { fmix32 } from '../hash.ts';
import type { Millis } from '../types.ts';

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
  return suspensionEnd + (fmix32(key) % span);
}
