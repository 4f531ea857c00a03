/**
 * How a type and reason turn into address impact and disposition when a rule does not say
 * (SPEC §6.3, §11). Kept apart so the MTA, inMail and the table agree on one definition.
 */
import { DEFAULT_QUARANTINE_SETTINGS } from '../quarantine/settings.ts';
import type { Disposition, FailureType, Impact, SmtpPhase } from '../types.ts';

/**
 * Soft reasons that do not count toward the error threshold when a rule does not say (SPEC §5, turn 2:
 * every Soft error counts except Refused, 20). The quarantine settings own the value
 * (`uncountedSoftReasons`), so a scenario sets it beside the threshold.
 */
export const DEFAULT_NO_IMPACT_REASONS: readonly number[] = DEFAULT_QUARANTINE_SETTINGS.uncountedSoftReasons;

/**
 * Default impact: hard → quarantine, soft → count (none for reasons in `noImpactReasons`, by default
 * Refused), ignored → none, undefined (Not defined) → count (SPEC §2: a repeated unqualified text
 * increments the counter).
 */
export function defaultImpact(
  type: FailureType,
  reason: number,
  noImpactReasons: readonly number[] = DEFAULT_NO_IMPACT_REASONS,
): Exclude<Impact, 'ok'> {
  switch (type) {
    case 'hard':
      return 'quarantine';
    case 'ignored':
      return 'none';
    case 'undefined':
      return 'count';
    default:
      return noImpactReasons.includes(reason) ? 'none' : 'count';
  }
}

/**
 * The impact of an outcome: the rule's (or class's) own when it gives one, else {@link defaultImpact}.
 * An Ignored error never counts and never quarantines (SPEC §2, §5), whatever a rule says.
 */
export function resolveImpact(
  type: FailureType,
  reason: number,
  explicit: Exclude<Impact, 'ok'> | undefined,
  noImpactReasons: readonly number[] = DEFAULT_NO_IMPACT_REASONS,
): Exclude<Impact, 'ok'> {
  if (type === 'ignored') return 'none';
  return explicit ?? defaultImpact(type, reason, noImpactReasons);
}

/**
 * Legacy MTA, sync replies (SPEC §4, §6.3 turn 2): the type decides whether the message is retried,
 * not the code. Hard: never (permanent, whatever a rule says); Soft: retried inside the validity even
 * on a 5xx (transient) unless its rule fixes a disposition; Ignored and Not defined: the rule's
 * disposition, else undefined (the code decides: a 4xx Ignored is the temporary kind).
 */
export function legacyDisposition(
  type: FailureType,
  ruleDisposition: Disposition | undefined,
): Disposition | undefined {
  if (type === 'hard') return 'permanent';
  if (ruleDisposition !== undefined) return ruleDisposition;
  return type === 'soft' ? 'transient' : undefined;
}

/**
 * Disposition from what the server said (SPEC §6.3): connect/EHLO errors and DNS failures are
 * transient (next MX, then retry); otherwise 4xx transient, 5xx permanent, from the basic code or,
 * without one, the enhanced code's class; a bounce mail with no code is permanent (the remote MTA
 * gave up); anything else transient.
 */
export function codeDisposition(code: number, enhancedClass: number, phase: SmtpPhase): Disposition {
  if (phase === 'connect' || phase === 'ehlo' || phase === 'dns') return 'transient';
  const cls = code >= 200 && code <= 599 ? Math.floor(code / 100) : enhancedClass;
  if (cls === 5) return 'permanent';
  if (cls === 4) return 'transient';
  return phase === 'async' ? 'permanent' : 'transient';
}
