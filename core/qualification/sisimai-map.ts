/**
 * SPEC §11: how Sisimai's bounce reasons land in Campaign reasons and address impact. Shared by the
 * sync-reply evaluation (scripts/eval-replies.ts) and the bounce-mail corpus evaluation (inMail).
 * Where SPEC lists two options either is right; the first is preferred. Follows the table as amended
 * in turn 2 (Unreachable counts: SPEC §5).
 */
import type { Impact } from '../types.ts';

/** Acceptable Campaign outcomes for one Sisimai reason. `reasons` null means "ignored type" (vacation). */
export interface SisimaiExpectation {
  reasons: readonly number[] | null;
  impacts: readonly Impact[];
}

const e = (reasons: number[] | null, impacts: Impact[]): SisimaiExpectation => ({ reasons, impacts });

/** The SPEC §11 table, one entry per Sisimai reason. */
export const SISIMAI_MAP: Readonly<Record<string, SisimaiExpectation>> = {
  userunknown: e([1], ['quarantine']),
  hasmoved: e([1], ['quarantine']),
  filtered: e([1, 20], ['quarantine', 'none']),
  hostunknown: e([2], ['count']),
  notaccept: e([2], ['count', 'quarantine']),
  mailboxfull: e([5], ['count']),
  exceedlimit: e([5, 20], ['count', 'none']),
  systemfull: e([3, 5], ['none', 'count']),
  suspend: e([4], ['count', 'quarantine']),
  expired: e([3], ['count', 'none']),
  systemerror: e([3], ['count', 'none']),
  mailererror: e([3], ['count', 'none']),
  networkerror: e([3, 2], ['count', 'none']),
  toomanyconn: e([20, 3], ['none', 'count']),
  speeding: e([20, 3], ['none', 'count']),
  blocked: e([20], ['none']),
  rejected: e([20], ['none']),
  spamdetected: e([20], ['none']),
  policyviolation: e([20], ['none']),
  securityerror: e([20], ['none']),
  virusdetected: e([20], ['none']),
  contenterror: e([20], ['none']),
  authfailure: e([20], ['none']),
  requireptr: e([20], ['none']),
  badreputation: e([20], ['none']),
  norelaying: e([20, 3], ['none', 'count']),
  notcompliantrfc: e([20, 3], ['none', 'count']),
  syntaxerror: e([20, 3], ['none', 'count']),
  failedstarttls: e([20, 3], ['none', 'count']),
  mesgtoobig: e([20, 3, 0], ['none', 'count']),
  onhold: e([0, 3], ['none', 'count']),
  undefined: e([0, 3], ['none', 'count']),
  vacation: e(null, ['none']),
  feedback: e([8], ['denylist']),
  delivered: e([0], ['ok']),
};

/** Scores one qualification against a Sisimai reason; unknown reasons score false on both. */
export function scoreAgainstSisimai(
  sisimaiReason: string,
  q: { type: string; reason: number; impact: Impact },
): { impactOk: boolean; reasonOk: boolean; preferredImpact: boolean } {
  const x = SISIMAI_MAP[sisimaiReason];
  if (!x) return { impactOk: false, reasonOk: false, preferredImpact: false };
  const reasonOk = x.reasons === null ? q.type === 'ignored' : x.reasons.includes(q.reason);
  return { impactOk: x.impacts.includes(q.impact), reasonOk, preferredImpact: x.impacts[0] === q.impact };
}
