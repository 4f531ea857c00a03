/**
 * The one place that decides what happens to a message after a failed attempt (SPEC §4, §6.3):
 * Hard and permanent errors are never retried, whatever the policy says; transient ones get the
 * policy's next time, or expire. Whether an error is permanent is the qualification's `disposition`:
 * from the type in the legacy MTA (a Soft 5xx is transient), from the code in the Enhanced MTA.
 * Returns a number so the MTA's hot loop allocates nothing.
 */
import type { RandomSource } from '../ports.ts';
import { LogStatus, type LogStatusCode, type Millis, type Qualification } from '../types.ts';
import type { RetryPolicy } from './policy.ts';

/** {@link decideRetry}: the error is permanent (or Hard); the message fails now. */
export const GIVE_UP_PERMANENT = -1;
/** {@link decideRetry}: retries or validity ran out; the message fails now. */
export const GIVE_UP_EXPIRED = -2;

/**
 * After attempt `attemptNo` failed at `now` with `q`: the next attempt time (`> now`, within validity),
 * or {@link GIVE_UP_PERMANENT}, or {@link GIVE_UP_EXPIRED}.
 */
export function decideRetry(
  policy: RetryPolicy,
  q: Qualification,
  attemptNo: number,
  firstSentAt: Millis,
  now: Millis,
  domain: string,
  rng: RandomSource,
  requestedValidityMs?: Millis,
): number {
  // SPEC §4: Hard errors are never retried, in either MTA, even on a 4xx
  if (q.disposition === 'permanent' || q.type === 'hard') return GIVE_UP_PERMANENT;
  const at = policy.nextAttemptAt(attemptNo, firstSentAt, now, q, domain, rng, requestedValidityMs);
  if (at === null || !(at > now) || at > firstSentAt + policy.effectiveValidity(requestedValidityMs))
    return GIVE_UP_EXPIRED;
  return at;
}

/** True when a {@link decideRetry} result is a retry time. */
export function isRetry(decision: number): boolean {
  return decision >= 0;
}

/**
 * The delivery-log status of a message given up by {@link decideRetry} (SPEC §8): Failed when the
 * retries ran out (all modes) or on a permanent error; Ignored for a permanent error of type Ignored.
 */
export function giveUpLogStatus(decision: number, q: Qualification): LogStatusCode {
  if (decision === GIVE_UP_PERMANENT && q.type === 'ignored') return LogStatus.Ignored;
  return LogStatus.Failed;
}
