/**
 * How many attempts a retry policy can make inside a validity period, at most (issue #19, liveness):
 * the sum of its shortest possible delays, walked retry by retry until it passes the validity or the
 * schedule ends. The MTA derives its per-message event bound from it, so a run that loops without
 * progress is stopped with a message instead of spinning. Spacing counts from the failed attempt, so
 * real delays (shaping, holds, greylisting, jitter up) only lengthen the walk: the bound is safe.
 */
import type { Millis } from '../types.ts';
import type { RetryPolicy } from './policy.ts';

/** Upper limit of the walk: a policy of 1 ms delays over days would otherwise walk for ever. */
export const ATTEMPT_BOUND_CAP = 1_000_000;

/**
 * Attempts at most (the first included) that `policy` makes inside `validityMs`, plus the one last
 * attempt before the deadline that the MTA gives a message whose schedule the validity cuts (SPEC §4,
 * docs/decisions.md). A policy that cannot tell its shortest delays gets {@link ATTEMPT_BOUND_CAP}.
 */
export function attemptBound(policy: RetryPolicy, validityMs: Millis): number {
  if (!policy.shortestDelay) return ATTEMPT_BOUND_CAP;
  let elapsed = 0;
  let attempts = 1;
  for (let n = 1; attempts < ATTEMPT_BOUND_CAP; n++) {
    const d = policy.shortestDelay(n);
    if (d === null) break;
    elapsed += Math.max(1, Math.round(d));
    if (elapsed > validityMs) break;
    attempts++;
  }
  return Math.min(ATTEMPT_BOUND_CAP, attempts + 1);
}
