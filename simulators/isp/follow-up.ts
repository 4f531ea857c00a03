/**
 * Asynchronous mail an ISP sends after a session: a DSN, an ARF complaint, an auto-reply or a
 * postmaster's technical notice (naming no recipient).
 */
import type { Millis } from '../../core/types.ts';

export type FollowUpKind = 'dsn' | 'arf' | 'autoReply' | 'postmaster';

/** Everything needed to build the mail later (MIME is built lazily, at drain time). */
export interface FollowUp {
  kind: FollowUpKind;
  /** run time at which the mail lands in the technical mailbox */
  atMs: Millis;
  /** profile name of the ISP that sends it */
  isp: string;
  /** host name of the reporting MTA */
  reportingMta: string;
  /** the original message's envelope sender (where the mail goes) */
  from: string;
  /** the original recipient */
  to: string;
  messageId: string;
  /** run time the original message was accepted or rejected */
  sentAtMs: Millis;
  /** DSN: enhanced status (e.g. `5.1.1`) */
  status: string;
  /** DSN: the SMTP reply given as Diagnostic-Code; '' for others */
  diagnostic: string;
  /** DSN: remote MTA (MX host); ARF: source IP of the original message */
  remoteMta: string;
  sourceIp: string;
  /** auto-reply (and postmaster notice) subject and text */
  subject: string;
  text: string;
  /** the original message's own Subject and Date headers, when the ISP saw them (serve mode) */
  original?: OriginalHeaders;
  /** a DSN for a recipient rejected at RCPT: the sending MTA writes its own bounce for it */
  atRcpt?: boolean;
}

/** Header values of the original message, as received (unfolded, still encoded). */
export interface OriginalHeaders {
  subject: string;
  /** the Date header ('' when the message had none) */
  date: string;
}

/** Receives follow-ups (the technical mailbox, or a wire-mode mail sender). */
export interface FollowUpSink {
  schedule(f: FollowUp): void;
}
