/**
 * Delivery shaping (SPEC §7): MX rules, throughput levels, slice rate limits, connection slots,
 * error-rate block, path unavailability, adaptive rules, warm-up and suspensions, wired by the
 * {@link createShaper} facade for the MTA loop.
 */
export {
  type AdaptiveRules,
  adaptiveRulesSchema,
  METRICS,
  type Metric,
  type RateRule,
  type ResponseRule,
  resolveAdaptiveRules,
  type ShapingAction,
} from './adaptive-rules.ts';
export { bucketCount, hourlyCapacity, measureHourlyCapacity } from './capacity.ts';
export { ConnectionPool } from './connection-pool.ts';
export { maskToRegExp, matchMask } from './mask.ts';
export {
  type MxRule,
  type MxRuleFile,
  type MxRuleSet,
  type MxRuleSettings,
  makeMxRuleSet,
  matchMxRule,
  mxRuleFileSchema,
  resolveMxRules,
  type TlsMode,
} from './mx-rules.ts';
export { parseRate, perHour, type Rate, rateSchema } from './rate.ts';
export { RollingCounter } from './rolling-counter.ts';
export {
  createShaper,
  type ReplyActions,
  type RouteChoice,
  type SessionLimits,
  Shaper,
  type ShaperOptions,
} from './shaper.ts';
export { SliceLimiter, type SliceRounding } from './slice-limiter.ts';
export {
  SUSPENSION_KINDS,
  type Suspension,
  type SuspensionKind,
  type SuspensionListener,
  SuspensionLog,
} from './suspensions.ts';
export {
  applyThroughputLevel,
  type LevelPreset,
  type LevelTable,
  resolveThroughputLevels,
  THROUGHPUT_LEVELS,
  type ThroughputLevel,
  throughputLevelsSchema,
} from './throughput-levels.ts';
export {
  findWarmupCurve,
  ipDay,
  resolveWarmup,
  type WarmupCurve,
  type WarmupCurves,
  type WarmupStep,
  warmupRate,
  warmupSchema,
} from './warmup.ts';
