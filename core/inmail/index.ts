/**
 * inMail: reads bounce mails, complaints and auto-replies from the technical mailbox and qualifies
 * each failed recipient (SPEC §1, §5, §6). Entry point: `createInMail` (node/read-mailbox.ts reads mailboxes).
 */

export { createInMail, INMAIL_DEFAULTS, type InMail, type InMailOptions, isNotAMail } from './inmail.ts';
export { isMbox, splitMbox } from './mbox.ts';
export { type MailOrigin, messageIdOf, readOrigin } from './origin.ts';
export {
  AUTOREPLY_QUALIFICATION,
  COMPLAINT_QUALIFICATION,
  DELIVERED_QUALIFICATION,
  POSTMASTER_QUALIFICATION,
  UNKNOWN_QUALIFICATION,
} from './outcomes.ts';
export {
  INMAIL_KINDS,
  type InMailKind,
  type InMailQualifier,
  type InMailResult,
  type QualifyContext,
} from './types.ts';
