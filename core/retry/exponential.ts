/**
 * Exponential backoff (KumoMTA, Momentum, SparkPost, Haraka, Postal; SPEC §4): retry number n
 * (1-based) waits `baseMs x factor^(n - 1 + firstExponent)`, capped at `capMs`, then scaled by a
 * uniform jitter in `[1 - jitter, 1 + jitter]` drawn from the rng passed in.
 */
import type { RandomSource } from '../ports.ts';
import type { Millis, Qualification } from '../types.ts';
import { type RetryPolicy, withinValidity } from './policy.ts';

/** Settings of an exponential policy. */
export interface ExponentialRetrySettings {
  baseMs: Millis;
  factor: number;
  /** exponent of the first retry (Haraka's 2^(n+5) with n from 1 is base 32 s, firstExponent 1) */
  firstExponent: number;
  /** upper bound of one delay; null: none */
  capMs: Millis | null;
  /** relative jitter, 0..1 */
  jitter: number;
  /** the MTA's own maximum message age; null: none (attempts end it) */
  maxAgeMs: Millis | null;
  /** total attempts including the first; null: unlimited */
  maxAttempts: number | null;
  /** also stop at the delivery's validity when it is shorter than maxAgeMs */
  honourRequestedValidity: boolean;
}

/** Exponential backoff policy. */
export class ExponentialRetryPolicy implements RetryPolicy {
  readonly settings: Readonly<ExponentialRetrySettings>;
  constructor(
    settings: Partial<ExponentialRetrySettings> & Pick<ExponentialRetrySettings, 'baseMs' | 'factor'>,
    readonly name = 'exponential',
  ) {
    this.settings = Object.freeze({
      firstExponent: 0,
      capMs: null,
      jitter: 0,
      maxAgeMs: null,
      maxAttempts: null,
      honourRequestedValidity: false,
      ...settings,
    });
    if (!(this.settings.jitter >= 0 && this.settings.jitter <= 1))
      throw new RangeError(`retry policy ${name}: jitter: expected 0..1, got ${this.settings.jitter}`);
  }

  effectiveValidity(requestedMs?: Millis): Millis {
    return ageLimit(this.settings.maxAgeMs, this.settings.honourRequestedValidity, requestedMs);
  }

  /** Delay before retry `retryNo` without jitter, or null when the attempts are used up. */
  baseDelay(retryNo: number): Millis | null {
    const s = this.settings;
    if (retryNo < 1) return null;
    if (s.maxAttempts !== null && retryNo >= s.maxAttempts) return null;
    const d = s.baseMs * s.factor ** (retryNo - 1 + s.firstExponent);
    return s.capMs === null ? d : Math.min(d, s.capMs);
  }

  nextAttemptAt(
    attemptNo: number,
    firstSentAt: Millis,
    now: Millis,
    _q: Qualification,
    _domain: string,
    rng: RandomSource,
    requestedValidityMs?: Millis,
  ): Millis | null {
    let d = this.baseDelay(attemptNo);
    if (d !== null && this.settings.jitter > 0) d *= 1 + this.settings.jitter * (2 * rng.next() - 1);
    return withinValidity(now, d, firstSentAt + this.effectiveValidity(requestedValidityMs));
  }
}

/** Peer MTAs' age limit: their own maximum, or the smaller of it and the delivery's when asked to honour it. */
export function ageLimit(maxAgeMs: Millis | null, honourRequested: boolean, requestedMs?: Millis): Millis {
  const own = maxAgeMs ?? Number.POSITIVE_INFINITY;
  return honourRequested && requestedMs !== undefined ? Math.min(own, requestedMs) : own;
}
