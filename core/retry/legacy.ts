/**
 * Legacy MTA retries (SPEC §4): `quickRetries` retries `quickSpacingMs` apart, then `slowRetries`
 * retries `slowSpacingMs` apart, all cut by the delivery's validity. Spacing counts from the failed
 * attempt, so a late attempt (queued by shaping) pushes the next ones rather than bursting.
 */
import { DAY, HOUR, type Millis } from '../types.ts';
import { DelayRetryPolicy } from './policy.ts';

/** Legacy retry settings; settable globally and per delivery. */
export interface LegacyRetrySettings {
  quickRetries: number;
  quickSpacingMs: Millis;
  slowRetries: number;
  slowSpacingMs: Millis;
  /** the delivery's validity period when it does not give one */
  validityMs: Millis;
}

/** SPEC §4: 5 retries one hour apart, then one a day for 4 days; validity 5 days. */
export const DEFAULT_LEGACY_RETRY_SETTINGS: Readonly<LegacyRetrySettings> = Object.freeze({
  quickRetries: 5,
  quickSpacingMs: HOUR,
  slowRetries: 4,
  slowSpacingMs: DAY,
  validityMs: 5 * DAY,
});

/** The legacy MTA policy. */
export class LegacyRetryPolicy extends DelayRetryPolicy {
  readonly settings: Readonly<LegacyRetrySettings>;
  constructor(
    settings: Partial<LegacyRetrySettings> = {},
    readonly name = 'legacy',
  ) {
    super();
    this.settings = Object.freeze({ ...DEFAULT_LEGACY_RETRY_SETTINGS, ...settings });
  }

  effectiveValidity(requestedMs?: Millis): Millis {
    return requestedMs ?? this.settings.validityMs;
  }

  /** The delay before retry number `retryNo` (1-based), or null when the schedule is exhausted. */
  delay(retryNo: number): Millis | null {
    const s = this.settings;
    if (retryNo < 1) return null;
    if (retryNo <= s.quickRetries) return s.quickSpacingMs;
    if (retryNo <= s.quickRetries + s.slowRetries) return s.slowSpacingMs;
    return null;
  }

  retryDelay(attemptNo: number): Millis | null {
    return this.delay(attemptNo);
  }
}
