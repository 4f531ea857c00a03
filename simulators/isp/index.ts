/** ISP profiles, reply scripts and the ISP brain. */
export {
  type BrainOptions,
  BrainReply,
  type Envelope,
  enhancedOf,
  fill,
  globToRegExp,
  IspBrain,
  SessionState,
} from './brain.ts';
export type { FollowUp, FollowUpKind, FollowUpSink } from './follow-up.ts';
export { type MagicAction, magicAction } from './magic.ts';
export {
  type Delay,
  delaySchema,
  type IspProfile,
  type IspProfileInput,
  ispProfileSchema,
  type ScriptPhase,
  type ScriptTruth,
} from './profile-schema.ts';
export { loadIspProfile, loadIspProfiles, mxIps, PROFILES_DIR, parseIspProfile } from './profiles-load.ts';
export { parseDayTime, runTimeSchema } from './run-time.ts';
export { sampleDelay } from './sample-delay.ts';
