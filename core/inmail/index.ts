/**
 * inMail: reads bounce mails, complaints and auto-replies from the technical mailbox and qualifies
 * each failed recipient (SPEC §1, §5, §6). Entry points: `createInMail`, `readMailbox`.
 */

export { createInMail, INMAIL_DEFAULTS, type InMail, type InMailOptions, isNotAMail } from './inmail.ts';
export { type MailOrigin, messageIdOf, readOrigin } from './origin.ts';
export {
  AUTOREPLY_QUALIFICATION,
  COMPLAINT_QUALIFICATION,
  DELIVERED_QUALIFICATION,
  UNKNOWN_QUALIFICATION,
} from './outcomes.ts';
export { isMbox, MailboxReadError, readMailbox, splitMbox } from './read-mailbox.ts';
export {
  INMAIL_KINDS,
  type InMailKind,
  type InMailQualifier,
  type InMailResult,
  type QualifyContext,
} from './types.ts';
