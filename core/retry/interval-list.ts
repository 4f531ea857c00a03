/**
 * Explicit interval lists (Mailgun 10m, 15m, 30m, 1h, 2h, 4h then dropped at 8 h; PowerMTA retry every
 * 10 min, bounce after 4d12h; SPEC §4): retry n waits `intervalsMs[n - 1]`; past the end of the list the
 * policy gives up, or repeats the last interval when `repeatLast` is on.
 */
import type { Millis } from '../types.ts';
import { DEFAULT_PEER_RETRY_LIMITS, type PeerRetryLimits, PeerRetryPolicy } from './peer.ts';

/** Settings of an interval-list policy. */
export interface IntervalListRetrySettings extends PeerRetryLimits {
  intervalsMs: readonly Millis[];
  repeatLast: boolean;
}

/** Interval-list policy. */
export class IntervalListRetryPolicy extends PeerRetryPolicy<IntervalListRetrySettings> {
  readonly settings: Readonly<IntervalListRetrySettings>;
  constructor(
    settings: Partial<IntervalListRetrySettings> & Pick<IntervalListRetrySettings, 'intervalsMs'>,
    readonly name = 'intervals',
  ) {
    super();
    if (settings.intervalsMs.length === 0)
      throw new RangeError(`retry policy ${name}: intervalsMs: must not be empty`);
    this.settings = Object.freeze({
      ...DEFAULT_PEER_RETRY_LIMITS,
      repeatLast: false,
      ...settings,
    });
  }

  /** Delay before retry `retryNo`, or null when the list (or the attempts) are used up. */
  delay(retryNo: number): Millis | null {
    if (!this.allowsRetry(retryNo)) return null;
    const s = this.settings;
    const list = s.intervalsMs;
    if (retryNo <= list.length) return list[retryNo - 1]!;
    return s.repeatLast ? list[list.length - 1]! : null;
  }

  retryDelay(attemptNo: number): Millis | null {
    return this.delay(attemptNo);
  }
}
