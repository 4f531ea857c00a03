/** Retry policies and validity (SPEC §4): presets as data, the one retry decision, suspension exit spreading. */
export { ATTEMPT_BOUND_CAP, attemptBound } from './bound.ts';
export { decideRetry, GIVE_UP_EXPIRED, GIVE_UP_PERMANENT, giveUpLogStatus, isRetry } from './decide.ts';
export {
  DEFAULT_ENHANCED_RETRY_SETTINGS,
  domainMatches,
  type EnhancedIntervalRule,
  EnhancedRetryPolicy,
  type EnhancedRetrySettings,
} from './enhanced.ts';
export { ExponentialRetryPolicy, type ExponentialRetrySettings } from './exponential.ts';
export { IntervalListRetryPolicy, type IntervalListRetrySettings } from './interval-list.ts';
export { DEFAULT_LEGACY_RETRY_SETTINGS, LegacyRetryPolicy, type LegacyRetrySettings } from './legacy.ts';
export {
  ageLimit,
  DEFAULT_PEER_RETRY_LIMITS,
  type PeerRetryLimits,
  PeerRetryPolicy,
} from './peer.ts';
export { DelayRetryPolicy, LOWEST_DRAW, type RetryPolicy, withinValidity } from './policy.ts';
export { namedRetryPolicy } from './presets.ts';
export {
  createRetryPolicy,
  type RetryPolicySpec,
  retryPolicyFileSchema,
  retryPolicySpecSchema,
} from './spec.ts';
export { resumeAfterSuspension } from './suspension.ts';
