/**
 * Settings of the quarantine table (SPEC.md §5). Every number of the spec is a field here; a scenario
 * overrides any of them from a data file through {@link quarantineSettingsSchema}.
 */
import { z } from 'zod';
import { DAY, Reason } from '../types.ts';

/** How the quarantine table counts soft errors and what the cleanup workflow lifts. */
export interface QuarantineSettings {
  /** "period between two significant errors": an error counts only this long after the last counted one */
  significantErrorPeriodMs: number;
  /** counted errors that put an address in Quarantine */
  threshold: number;
  /** the counter resets when the last counted error is MORE than this old (checked on the next error and by cleanup) */
  counterResetMs: number;
  /** cleanup: With errors back to Valid when the last soft error is MORE than this old */
  cleanupWithErrorsAfterMs: number;
  /** cleanup: Quarantine for a releasable reason back to Valid this long (or more) after it was quarantined */
  quarantineReleaseAfterMs: number;
  /** reasons whose Quarantine the cleanup lifts (default: Mailbox full) */
  releasableReasons: readonly number[];
  /**
   * Soft reasons that do not count toward the threshold (SPEC §5, turn 2: every Soft error counts
   * except Refused). Read by the qualifier for the outcomes whose rule gives no `impact`: a rule's own
   * impact wins. Ignored errors never count, whatever this says.
   */
  uncountedSoftReasons: readonly number[];
}

/**
 * SPEC §5 defaults: 24 h between significant errors, threshold 5, reset after 10 days, mailbox full
 * freed after 30 days, every Soft reason counted but Refused (20).
 */
export const DEFAULT_QUARANTINE_SETTINGS: Readonly<QuarantineSettings> = Object.freeze({
  significantErrorPeriodMs: DAY,
  threshold: 5,
  counterResetMs: 10 * DAY,
  cleanupWithErrorsAfterMs: 10 * DAY,
  quarantineReleaseAfterMs: 30 * DAY,
  releasableReasons: Object.freeze([Reason.MailboxFull]) as readonly number[],
  uncountedSoftReasons: Object.freeze([Reason.Refused]) as readonly number[],
});

const nonNegMs = z.number().int().nonnegative();

/** Zod schema of a partial override, as a scenario writes it (unknown keys are errors). */
export const quarantineSettingsSchema = z
  .object({
    significantErrorPeriodMs: nonNegMs
      .optional()
      .describe(
        'SPEC §5: an error counts toward the threshold only this long after the last counted one, ms (default 86400000 = 24 h)',
      ),
    threshold: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe('SPEC §5: counted soft errors that put an address in quarantine (default 5)'),
    counterResetMs: nonNegMs
      .optional()
      .describe(
        'SPEC §5: the error count resets after this long without an error, ms (default 864000000 = 10 days)',
      ),
    cleanupWithErrorsAfterMs: nonNegMs
      .optional()
      .describe(
        'the nightly cleanup sets an address "with errors" back to valid after this long without an error, ms (default 10 days)',
      ),
    quarantineReleaseAfterMs: nonNegMs
      .optional()
      .describe(
        'the cleanup lifts a quarantine of a releasable reason after this long, ms (default 2592000000 = 30 days)',
      ),
    releasableReasons: z
      .array(z.number().int().min(0).max(255))
      .optional()
      .describe('SPEC §3 reasons whose quarantine the cleanup lifts (default [5], Mailbox full)'),
    uncountedSoftReasons: z
      .array(z.number().int().min(0).max(255))
      .optional()
      .describe(
        'soft reasons that do not count toward the threshold (default [20], Refused; SPEC §5 turn 2)',
      ),
  })
  .strict();

/** Defaults overlaid with a (validated) partial override. */
export function resolveQuarantineSettings(override: Partial<QuarantineSettings> = {}): QuarantineSettings {
  const s = { ...DEFAULT_QUARANTINE_SETTINGS, ...stripUndefined(override) };
  if (!Number.isInteger(s.threshold) || s.threshold < 1 || s.threshold > 65535)
    throw new RangeError(`quarantine settings: threshold: expected an integer 1..65535, got ${s.threshold}`);
  for (const k of [
    'significantErrorPeriodMs',
    'counterResetMs',
    'cleanupWithErrorsAfterMs',
    'quarantineReleaseAfterMs',
  ] as const) {
    if (!(s[k] >= 0))
      throw new RangeError(`quarantine settings: ${k}: expected a non-negative number, got ${s[k]}`);
  }
  return s;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
