/** Quarantine table (SPEC §5): statuses, significant-error counter, cleanup, remediation, transition events. */
export { StringInterner } from './interner.ts';
export {
  type ErrorOutcome,
  type LoadedQuarantineRow,
  type QuarantineEvent,
  type QuarantineInput,
  type QuarantineListener,
  type QuarantineRow,
  QuarantineTable,
} from './quarantine-table.ts';
export {
  DEFAULT_QUARANTINE_SETTINGS,
  type QuarantineSettings,
  quarantineSettingsSchema,
  resolveQuarantineSettings,
} from './settings.ts';
export {
  ALLOWED_TRANSITIONS,
  describeTransition,
  isAllowedTransition,
  QUARANTINE_CAUSES,
  type QuarantineCause,
} from './transitions.ts';
