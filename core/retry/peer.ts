/**
 * What the peer MTA presets (exponential and interval-list policies; SPEC §4) share: their own maximum
 * message age, a total attempt count, and optionally the delivery's shorter validity.
 */
import type { Millis } from '../types.ts';
import { DelayRetryPolicy } from './policy.ts';

/** The limits of a peer MTA policy. */
export interface PeerRetryLimits {
  /** the MTA's own maximum message age; null: none (attempts end it) */
  maxAgeMs: Millis | null;
  /** total attempts including the first; null: unlimited */
  maxAttempts: number | null;
  /** also stop at the delivery's validity when it is shorter than maxAgeMs */
  honourRequestedValidity: boolean;
}

/** Peer limits when a preset gives none: no age limit, unlimited attempts, the delivery's validity ignored. */
export const DEFAULT_PEER_RETRY_LIMITS: Readonly<PeerRetryLimits> = Object.freeze({
  maxAgeMs: null,
  maxAttempts: null,
  honourRequestedValidity: false,
});

/** Peer MTAs' age limit: their own maximum, or the smaller of it and the delivery's when asked to honour it. */
export function ageLimit(maxAgeMs: Millis | null, honourRequested: boolean, requestedMs?: Millis): Millis {
  const own = maxAgeMs ?? Number.POSITIVE_INFINITY;
  return honourRequested && requestedMs !== undefined ? Math.min(own, requestedMs) : own;
}

/** Base of the peer policies: validity from {@link ageLimit}, retries counted against `maxAttempts`. */
export abstract class PeerRetryPolicy<S extends PeerRetryLimits> extends DelayRetryPolicy {
  abstract readonly settings: Readonly<S>;

  effectiveValidity(requestedMs?: Millis): Millis {
    return ageLimit(this.settings.maxAgeMs, this.settings.honourRequestedValidity, requestedMs);
  }

  /** True when retry `retryNo` (1-based) is still within `maxAttempts` (which counts the first try). */
  allowsRetry(retryNo: number): boolean {
    const max = this.settings.maxAttempts;
    return retryNo >= 1 && (max === null || retryNo < max);
  }
}
