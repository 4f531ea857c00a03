/**
 * Exponential backoff (KumoMTA, Momentum, SparkPost, Haraka, Postal; SPEC §4): retry number n
 * (1-based) waits `baseMs x factor^(n - 1 + firstExponent)`, capped at `capMs`, then scaled by a
 * uniform jitter in `[1 - jitter, 1 + jitter]` drawn from the rng passed in.
 */
import type { RandomSource } from '../ports.ts';
import type { Millis, Qualification } from '../types.ts';
import { DEFAULT_PEER_RETRY_LIMITS, type PeerRetryLimits, PeerRetryPolicy } from './peer.ts';

/** Settings of an exponential policy. */
export interface ExponentialRetrySettings extends PeerRetryLimits {
  baseMs: Millis;
  factor: number;
  /** exponent of the first retry (Haraka's 2^(n+5) with n from 1 is base 32 s, firstExponent 1) */
  firstExponent: number;
  /** upper bound of one delay; null: none */
  capMs: Millis | null;
  /** relative jitter, 0..1 */
  jitter: number;
}

/** Exponential backoff policy. */
export class ExponentialRetryPolicy extends PeerRetryPolicy<ExponentialRetrySettings> {
  readonly settings: Readonly<ExponentialRetrySettings>;
  constructor(
    settings: Partial<ExponentialRetrySettings> & Pick<ExponentialRetrySettings, 'baseMs' | 'factor'>,
    readonly name = 'exponential',
  ) {
    super();
    this.settings = Object.freeze({
      ...DEFAULT_PEER_RETRY_LIMITS,
      firstExponent: 0,
      capMs: null,
      jitter: 0,
      ...settings,
    });
    if (!(this.settings.jitter >= 0 && this.settings.jitter <= 1))
      throw new RangeError(`retry policy ${name}: jitter: expected 0..1, got ${this.settings.jitter}`);
  }

  /** Delay before retry `retryNo` without jitter, or null when the attempts are used up. */
  baseDelay(retryNo: number): Millis | null {
    if (!this.allowsRetry(retryNo)) return null;
    const s = this.settings;
    const d = s.baseMs * s.factor ** (retryNo - 1 + s.firstExponent);
    return s.capMs === null ? d : Math.min(d, s.capMs);
  }

  retryDelay(attemptNo: number, _q: Qualification, _domain: string, rng: RandomSource): number | null {
    const d = this.baseDelay(attemptNo);
    return d !== null && this.settings.jitter > 0 ? d * (1 + this.settings.jitter * (2 * rng.next() - 1)) : d;
  }
}
