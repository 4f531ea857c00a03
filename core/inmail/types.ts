/**
 * Vocabulary of inMail (SPEC §1, §6): what reading one mail of the technical mailbox yields.
 */
import type { ParsedReply, Qualification, SmtpPhase } from '../types.ts';
import type { MailOrigin } from './origin.ts';

/**
 * What a mail was, for one recipient: a delivery status notification (RFC 3464 or an MTA's own
 * human-readable bounce), a complaint (ARF, RFC 5965, or a provider's feedback-loop format), an
 * auto-reply (RFC 3834), a success notice (DSN Action delivered/relayed/expanded), or something inMail
 * could not read (`text` says why).
 */
export const INMAIL_KINDS = ['dsn', 'arf', 'autoreply', 'delivered', 'unknown'] as const;
export type InMailKind = (typeof INMAIL_KINDS)[number];

/** One result per failed (or reported) recipient of one mail. */
export interface InMailResult {
  /** `RawMail.source` of the mail this came from */
  source: string;
  /** the recipient address as found (original case); '' when the mail names none */
  recipient: string;
  kind: InMailKind;
  /** DSN status code (RFC 3463, e.g. `5.1.1`) or null */
  status: string | null;
  /** SMTP reply code (e.g. 550) or null */
  code: number | null;
  /** the diagnostic text (or, for kind `unknown`, what went wrong) */
  text: string;
  qualification: Qualification;
  /** the original message as the mail names it (Message-ID, per-message header, VERP return path); shared by the mail's results */
  origin: MailOrigin;
}

/** Context given to the qualifier for async bounces. */
export interface QualifyContext {
  phase: SmtpPhase;
  domain: string;
}

/**
 * The part of the qualifier (core/qualification `createQualifier`) that inMail uses. Structural, so any
 * object with this method fits (tests may pass a stub).
 */
export interface InMailQualifier {
  qualify(reply: ParsedReply, ctx: QualifyContext): Qualification;
}
