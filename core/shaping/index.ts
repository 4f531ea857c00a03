/**
 * Delivery shaping (SPEC §7): MX rules, throughput levels, slice rate limits, connection slots,
 * error-rate block, path unavailability, adaptive rules, warm-up and suspensions, wired by the
 * {@link createShaper} facade for the MTA loop.
 */
export {
  type AdaptiveRules,
  adaptiveRulesSchema,
  DEFAULT_ADAPTIVE_RULES_FILE,
  loadAdaptiveRules,
  METRICS,
  type Metric,
  parseAdaptiveRules,
  type RateRule,
  type ResponseRule,
  type ShapingAction,
} from './adaptive-rules.ts';
export { bucketCount, hourlyCapacity, measureHourlyCapacity } from './capacity.ts';
export { ConnectionPool } from './connection-pool.ts';
export { maskToRegExp, matchMask } from './mask.ts';
export {
  DEFAULT_MX_RULES_FILE,
  loadMxRules,
  type MxRule,
  type MxRuleFile,
  type MxRuleSet,
  type MxRuleSettings,
  makeMxRuleSet,
  matchMxRule,
  mxRuleFileSchema,
  parseMxRules,
  resolveMxRules,
  type TlsMode,
} from './mx-rules.ts';
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
  type Suspension,
  type SuspensionKind,
  type SuspensionListener,
  SuspensionLog,
} from './suspensions.ts';
export {
  applyThroughputLevel,
  DEFAULT_LEVELS_FILE,
  type LevelPreset,
  type LevelTable,
  loadThroughputLevels,
  parseThroughputLevels,
  THROUGHPUT_LEVELS,
  type ThroughputLevel,
  throughputLevelsSchema,
} from './throughput-levels.ts';
export { durationSchema, parseDuration, parseRate, perHour, type Rate, rateSchema } from './units.ts';
export {
  DEFAULT_WARMUP_FILE,
  findWarmupCurve,
  ipDay,
  loadWarmup,
  parseWarmup,
  type WarmupCurve,
  type WarmupCurves,
  type WarmupStep,
  warmupRate,
  warmupSchema,
} from './warmup.ts';
