/**
 * The replies that synthetic run stores (the tiny report-test store, scripts/bench-report.ts) write
 * again and again, as the `attempts` columns from `phase` to `outcome`: a row is
 * `[t, delivery, recipient, attempt, domain, local_ip, mx_ip, ...REPLY]` for `insert()`, and
 * `{ t, ..., mx_ip, ...replyFields(REPLY) }` for `AttemptsWriter.push(row)`.
 */
import type { Disposition, FailureType, Impact, SmtpPhase } from '../../core/types.ts';
import type { AttemptOutcome, AttemptRow } from '../../store/rows.ts';

/** `attempts` columns phase, code, enhanced, text, type, reason, impact, disposition, rule, bounce_class, outcome. */
export type AttemptReplyColumns = readonly [
  phase: SmtpPhase,
  code: number | null,
  enhanced: string | null,
  text: string,
  type: FailureType | null,
  reason: number | null,
  impact: Impact,
  disposition: Disposition | null,
  rule: string | null,
  bounceClass: number | null,
  outcome: AttemptOutcome,
];

/** `250 2.0.0` after DATA: delivered. */
export const DELIVERED_250: AttemptReplyColumns = Object.freeze([
  'data',
  250,
  '2.0.0',
  '250 ok',
  null,
  null,
  'ok',
  null,
  null,
  null,
  'delivered',
] as const);

/** `452 4.2.2 mailbox full` at RCPT: soft, reason 5 (MailboxFull), retried. */
export const MAILBOX_FULL_452: AttemptReplyColumns = Object.freeze([
  'rcpt',
  452,
  '4.2.2',
  '452 4.2.2 mailbox full',
  'soft',
  5,
  'count',
  'transient',
  'MailboxFull',
  null,
  'retry',
] as const);

/** A failed DNS lookup (no reply code): soft, reason 2 (DnsFailure), with its text and outcome. */
export function dnsFailure(text: string, outcome: AttemptOutcome): AttemptReplyColumns {
  return ['dns', null, null, text, 'soft', 2, 'count', 'transient', 'DnsFailure', null, outcome];
}

/** The reply columns as named fields of an `attempts` row. */
export function replyFields(
  r: AttemptReplyColumns,
): Pick<
  AttemptRow,
  | 'phase'
  | 'code'
  | 'enhanced'
  | 'text'
  | 'type'
  | 'reason'
  | 'impact'
  | 'disposition'
  | 'rule'
  | 'bounce_class'
  | 'outcome'
> {
  const [phase, code, enhanced, text, type, reason, impact, disposition, rule, bounce_class, outcome] = r;
  return { phase, code, enhanced, text, type, reason, impact, disposition, rule, bounce_class, outcome };
}
