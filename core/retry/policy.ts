/**
 * The retry policy contract (SPEC §4). A policy answers one question: after attempt `attemptNo` failed
 * at `now` with this qualification, when is the next attempt, or null to give up (attempts or validity
 * exhausted). It never decides whether an error is retryable: that is {@link decideRetry}'s job, the one
 * place where permanent errors are refused a retry.
 */
import type { RandomSource } from '../ports.ts';
import type { Millis, Qualification } from '../types.ts';

/** A retry policy; implementations are pure given the arguments (jitter only draws from `rng`). */
export interface RetryPolicy {
  /** preset or user name, for logs and reports */
  readonly name: string;
  /**
   * The validity this policy enforces for a delivery asking for `requestedMs` (undefined: the policy's
   * own default). Enhanced caps it at 3.5 days; peer presets use their own maximum age.
   */
  effectiveValidity(requestedMs?: Millis): Millis;
  /**
   * When to try again after attempt `attemptNo` (1 = the first try) failed at `now`; null when the
   * policy gives up. The result is always `> now` and `<= firstSentAt + effectiveValidity(requestedValidityMs)`.
   */
  nextAttemptAt(
    attemptNo: number,
    firstSentAt: Millis,
    now: Millis,
    q: Qualification,
    domain: string,
    rng: RandomSource,
    requestedValidityMs?: Millis,
  ): Millis | null;
  /**
   * The shortest delay the policy can wait before retry `retryNo` (1-based), whatever the reply,
   * domain or jitter; null when that retry never comes. Optional: used for the liveness bound
   * ({@link attemptBound}); a policy without it gets a loose bound.
   */
  shortestDelay?(retryNo: number): Millis | null;
}

/** A random source at its lowest draw: jitter at its shortest, and the real stream left untouched. */
export const LOWEST_DRAW: RandomSource = { next: () => 0 };

/** A qualification policies that ignore the reply accept for {@link RetryPolicy.shortestDelay}. */
const ANY_REPLY: Qualification = {
  type: 'soft',
  reason: 0,
  impact: 'none',
  disposition: 'transient',
  rule: null,
  bounceClass: null,
};

/** Applies the validity deadline to a delay: `now + delay`, or null if that is past the deadline. */
export function withinValidity(now: Millis, delayMs: number | null, deadline: Millis): Millis | null {
  if (delayMs === null) return null;
  const at = now + Math.max(1, Math.round(delayMs));
  return at <= deadline ? at : null;
}

/**
 * The one way every policy here turns a delay into the next attempt: `now + retryDelay(...)`, or null
 * once that passes `firstSentAt + effectiveValidity(requested)` ({@link withinValidity}). A policy says
 * only its delay and its validity.
 */
export abstract class DelayRetryPolicy implements RetryPolicy {
  abstract readonly name: string;
  abstract effectiveValidity(requestedMs?: Millis): Millis;
  /** The delay before the retry that follows failed attempt `attemptNo` (1-based), or null to give up. */
  abstract retryDelay(attemptNo: number, q: Qualification, domain: string, rng: RandomSource): number | null;

  /** For policies whose delay ignores the reply and domain; a policy whose delay depends on them overrides it. */
  shortestDelay(retryNo: number): Millis | null {
    return this.retryDelay(retryNo, ANY_REPLY, '', LOWEST_DRAW);
  }

  nextAttemptAt(
    attemptNo: number,
    firstSentAt: Millis,
    now: Millis,
    q: Qualification,
    domain: string,
    rng: RandomSource,
    requestedValidityMs?: Millis,
  ): Millis | null {
    return withinValidity(
      now,
      this.retryDelay(attemptNo, q, domain, rng),
      firstSentAt + this.effectiveValidity(requestedValidityMs),
    );
  }
}
