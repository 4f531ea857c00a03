/**
 * Reference retries and validity (SPEC §4, §6.3 turn 2), for one failed attempt of one message.
 * The Enhanced MTA's interval table is the project's data (SPEC §4 gives no numbers); it is read as
 * data from `core/retry/enhanced.ts`, its matching is written again here.
 */
import { DEFAULT_ENHANCED_RETRY_SETTINGS, type EnhancedRetrySettings } from '../retry/enhanced.ts';
import type { Qualification } from '../types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "5 retries one hour apart, then one retry a day for 4 days; validity 5 days". */
export interface RefLegacyRetry {
  quickRetries: number;
  quickSpacingMs: number;
  slowRetries: number;
  slowSpacingMs: number;
}

export const REF_LEGACY_RETRY: RefLegacyRetry = {
  quickRetries: 5,
  quickSpacingMs: HOUR,
  slowRetries: 4,
  slowSpacingMs: DAY,
};

export const REF_ENHANCED_RETRY: EnhancedRetrySettings = DEFAULT_ENHANCED_RETRY_SETTINGS;

/**
 * Whether a failed attempt is retried at all.
 * Legacy (turn 2): "the type decides. A Soft (or temporary Ignored) error is retried inside the
 * validity period even when its code is 5xx; a Hard error never is." An Ignored or Not-defined error
 * is temporary when its code says so (disposition transient).
 * Enhanced: "the code decides" (the qualifier's disposition: 4xx transient, 5xx permanent, with the
 * exceptions of §6.3 and rule overrides).
 */
export function isRetried(mode: 'legacy' | 'enhanced', q: Qualification): boolean {
  // "Hard errors never are" (either MTA)
  if (q.type === 'hard') return false;
  if (mode === 'enhanced') return q.disposition === 'transient';
  if (q.type === 'soft') return true;
  return q.disposition === 'transient';
}

/**
 * The interval before retry number `retryNo` (1 = the retry after the first attempt), or null when
 * the policy has no more retries. Legacy spacing counts from the failed attempt.
 */
export function retryInterval(
  mode: 'legacy' | 'enhanced',
  retryNo: number,
  q: Qualification,
  domain: string,
  legacy: RefLegacyRetry = REF_LEGACY_RETRY,
  enhanced: EnhancedRetrySettings = REF_ENHANCED_RETRY,
): number | null {
  if (mode === 'legacy') {
    if (retryNo <= legacy.quickRetries) return legacy.quickSpacingMs;
    if (retryNo <= legacy.quickRetries + legacy.slowRetries) return legacy.slowSpacingMs;
    return null;
  }
  // "the MTA picks the interval from the type and severity of the reply and the domain": first row
  // of the table whose every given criterion matches; its last interval repeats
  let list = enhanced.defaultIntervalsMs;
  for (const r of enhanced.rules) {
    if (r.dispositions && !r.dispositions.includes(q.disposition)) continue;
    if (r.types && !r.types.includes(q.type)) continue;
    if (r.reasons && !r.reasons.includes(q.reason)) continue;
    if (r.bounceClasses && (q.bounceClass === null || !r.bounceClasses.includes(q.bounceClass))) continue;
    if (r.domains && !r.domains.some((p) => p === '*' || domain === p || domain.endsWith(`.${p}`))) continue;
    list = r.intervalsMs;
    break;
  }
  return list[Math.min(retryNo, list.length) - 1] as number;
}

/**
 * The validity a delivery's messages live by. Legacy: the delivery's. Enhanced: "honoured only if it
 * is 3.5 days or less; otherwise 3.5 days".
 */
export function validityOf(mode: 'legacy' | 'enhanced', requestedMs: number): number {
  return mode === 'enhanced' ? Math.min(requestedMs, REF_ENHANCED_RETRY.validityCapMs) : requestedMs;
}

/**
 * SPEC §4: "A suspension does not retry every held message at the moment it lifts: held messages go
 * back through their normal backoff". The project's reading (docs/decisions.md): the retry goes to a
 * point of one backoff interval after the hold's end chosen from the message's number in the log
 * (a 32-bit murmur3 finaliser), so the held messages spread over the interval.
 */
export function afterHold(holdEnd: number, backoffMs: number, messageNo: number): number {
  return holdEnd + (spread(messageNo) % Math.max(1, Math.floor(backoffMs)));
}

/** A 32-bit murmur3 finaliser of the message's number: where in an interval its try falls. */
export function spread(messageNo: number): number {
  let h = messageNo | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
