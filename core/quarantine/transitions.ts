/**
 * The status transitions the quarantine table may make, and why (SPEC §5, §9). The table is the
 * single reference: the quarantine table asserts every transition against it, and a property test
 * checks random event sequences only produce listed ones.
 */
import { ADDRESS_STATUS_NAMES, AddressStatus, type AddressStatusCode } from '../types.ts';

/** What caused a transition: a sync reply, an async bounce, a complaint, the cleanup job, a remediation query, or initial import. */
export const QUARANTINE_CAUSES = ['sync', 'async', 'complaint', 'cleanup', 'remediation', 'initial'] as const;
export type QuarantineCause = (typeof QUARANTINE_CAUSES)[number];

const { Valid: V, WithErrors: W, Quarantine: Q, Denylisted: D, Allowlisted: A } = AddressStatus;

/**
 * Allowed transitions: `[from, to, causes]`. Same-status updates (a second counted soft error) are not
 * transitions and emit nothing. `initial` (loading the table before the run) may set any status.
 *
 * | from        | to          | causes                                    | when |
 * | ---         | ---         | ---                                       | --- |
 * | Valid       | With errors | sync, async                               | a counted soft error below the threshold |
 * | Valid       | Quarantine  | sync, async                               | hard error, or threshold 1 |
 * | With errors | Quarantine  | sync, async                               | hard error, or the threshold reached |
 * | With errors | Valid       | sync, async, cleanup, remediation         | a success; last soft error > 10 days old; an operator |
 * | Quarantine  | Valid       | cleanup, remediation                      | mailbox full after 30 days; an operator (SPEC §9) |
 * | Valid, With errors, Quarantine | Denylisted | complaint              | feedback-loop complaint (ARF) |
 * | Denylisted  | Valid       | remediation                               | an operator |
 * | Allowlisted | Valid       | remediation                               | an operator removes it from the allow list |
 * | any         | any         | initial                                   | the table as imported before the run |
 */
export const ALLOWED_TRANSITIONS: ReadonlyArray<
  readonly [AddressStatusCode, AddressStatusCode, readonly QuarantineCause[]]
> = [
  [V, W, ['sync', 'async']],
  [V, Q, ['sync', 'async']],
  [W, Q, ['sync', 'async']],
  [W, V, ['sync', 'async', 'cleanup', 'remediation']],
  [Q, V, ['cleanup', 'remediation']],
  [V, D, ['complaint']],
  [W, D, ['complaint']],
  [Q, D, ['complaint']],
  [D, V, ['remediation']],
  [A, V, ['remediation']],
];

const CAUSE_BIT: Readonly<Record<QuarantineCause, number>> = {
  sync: 1,
  async: 2,
  complaint: 4,
  cleanup: 8,
  remediation: 16,
  initial: 32,
};
/** `[from * 8 + to]` = bitmask of allowed causes, built once from the table. */
const ALLOWED_MASK = new Uint8Array(64);
for (const [f, t, causes] of ALLOWED_TRANSITIONS)
  for (const c of causes) ALLOWED_MASK[f * 8 + t]! |= CAUSE_BIT[c];

/** True when `from -> to` for `cause` is in {@link ALLOWED_TRANSITIONS} (or the cause is `initial`). */
export function isAllowedTransition(from: number, to: number, cause: QuarantineCause): boolean {
  if (cause === 'initial') return true;
  if (!(from >= 0 && from < 8 && to >= 0 && to < 8)) return false;
  return (ALLOWED_MASK[from * 8 + to]! & CAUSE_BIT[cause]) !== 0;
}

/** Readable form of a transition, for error messages and reports. */
export function describeTransition(from: number, to: number, cause: QuarantineCause): string {
  return `${ADDRESS_STATUS_NAMES[from] ?? from} -> ${ADDRESS_STATUS_NAMES[to] ?? to} (${cause})`;
}
