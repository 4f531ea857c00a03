/**
 * Explicit interval lists (Mailgun 10m, 15m, 30m, 1h, 2h, 4h then dropped at 8 h; PowerMTA retry every
 * 10 min, bounce after 4d12h; SPEC §4): retry n waits `intervalsMs[n - 1]`; past the end of the list the
 * policy gives up, or repeats the last interval when `repeatLast` is on.
 */
import type { RandomSource } from '../ports.ts';
import type { Millis, Qualification } from '../types.ts';
import { ageLimit } from './exponential.ts';
import { type RetryPolicy, withinValidity } from './policy.ts';

/** Settings of an interval-list policy. */
export interface IntervalListRetrySettings {
  intervalsMs: readonly Millis[];
  repeatLast: boolean;
  maxAgeMs: Millis | null;
  maxAttempts: number | null;
  honourRequestedValidity: boolean;
}

/** Interval-list policy. */
export class IntervalListRetryPolicy implements RetryPolicy {
  readonly settings: Readonly<IntervalListRetrySettings>;
  constructor(
    settings: Partial<IntervalListRetrySettings> & Pick<IntervalListRetrySettings, 'intervalsMs'>,
    readonly name = 'intervals',
  ) {
    if (settings.intervalsMs.length === 0)
      throw new RangeError(`retry policy ${name}: intervalsMs: must not be empty`);
    this.settings = Object.freeze({
      repeatLast: false,
      maxAgeMs: null,
      maxAttempts: null,
      honourRequestedValidity: false,
      ...settings,
    });
  }

  effectiveValidity(requestedMs?: Millis): Millis {
    return ageLimit(this.settings.maxAgeMs, this.settings.honourRequestedValidity, requestedMs);
  }

  /** Delay before retry `retryNo`, or null when the list (or the attempts) are used up. */
  delay(retryNo: number): Millis | null {
    const s = this.settings;
    if (retryNo < 1) return null;
    if (s.maxAttempts !== null && retryNo >= s.maxAttempts) return null;
    const list = s.intervalsMs;
    if (retryNo <= list.length) return list[retryNo - 1]!;
    return s.repeatLast ? list[list.length - 1]! : null;
  }

  nextAttemptAt(
    attemptNo: number,
    firstSentAt: Millis,
    now: Millis,
    _q: Qualification,
    _domain: string,
    _rng: RandomSource,
    requestedValidityMs?: Millis,
  ): Millis | null {
    return withinValidity(
      now,
      this.delay(attemptNo),
      firstSentAt + this.effectiveValidity(requestedValidityMs),
    );
  }
}
