/**
 * How a type and reason turn into address impact and disposition when a rule does not say
 * (SPEC §6.3, §11). Kept apart so the MTA, inMail and the table agree on one definition.
 */
import type { Disposition, FailureType, Impact, SmtpPhase } from '../types.ts';

/** Reasons about the sender, the message or the transport: no address impact by default (SPEC §6.3). */
export const DEFAULT_NO_IMPACT_REASONS: readonly number[] = [3, 20];

/**
 * Default impact: hard → quarantine, soft → count (none for reasons in `noImpactReasons`, i.e.
 * Unreachable and Refused), ignored → none, undefined (Not defined) → count (SPEC §2: a repeated
 * unqualified text increments the counter).
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
