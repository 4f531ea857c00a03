/**
 * Ground truth of a simulated recipient: what the mailbox really is, known only to the simulated
 * world and the reports (the core never sees it). Names match `recipients.truth` in store/schema.sql.
 */
import type { Millis } from '../../core/types.ts';

/** What the mailbox really is. */
export const TRUTH_KINDS = [
  'valid',
  'unknown',
  'mailboxFull',
  'mailboxFullPermanent',
  'disabled',
  'disabledPermanent',
  'invalidDomain',
  'autoResponder',
] as const;
export type TruthKind = (typeof TRUTH_KINDS)[number];

/** Quarantine-table state of the address before the run (SPEC §5). */
export const INITIAL_STATUSES = ['valid', 'quarantine', 'denylisted', 'allowlisted'] as const;
export type InitialStatus = (typeof INITIAL_STATUSES)[number];

/** Everything the world knows about one recipient. */
export interface RecipientTruth {
  kind: TruthKind;
  /**
   * For `mailboxFull` and `disabled` (temporary): run time from which the mailbox accepts mail again
   * (the mailbox is full / the account disabled while `t < recoversAtMs`). 0 otherwise.
   */
  recoversAtMs: Millis;
  /** reports the message as spam (orthogonal to `kind`) */
  complainer: boolean;
  /** chance that one accepted message yields a complaint (only when `complainer`) */
  complaintProbability: number;
  /** delay between acceptance and the ARF report */
  complaintDelayMs: Millis;
  initialStatus: InitialStatus;
  /** the quarantine table's prior error text when `initialStatus` is `quarantine`, else '' */
  priorErrorText: string;
  controlGroup: boolean;
}

/** One targeted recipient: position in the target, address (maybe '' or a duplicate) and truth. */
export interface Recipient {
  index: number;
  /** '' when the address is missing (reason 7 at preparation) */
  address: string;
  /** lower-case domain, '' when the address is missing */
  domain: string;
  /** index of the earlier recipient whose address this one repeats (reason 10), or -1 */
  duplicateOf: number;
  truth: RecipientTruth;
}
