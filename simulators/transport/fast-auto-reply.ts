/**
 * The simulated auto-reply (RFC 3834) as the exact bytes `buildAutoReply` (nodemailer's MailComposer)
 * gives, written by string concatenation: MailComposer builds each mail through streams and header
 * parsers, which made auto-replies the costliest part of a million-recipient run. Only inputs whose
 * output is certain take the fast path: plain addresses and message ids, printable ASCII subject and
 * text on lines of at most 76 characters (so nothing is encoded or folded but the Message-ID, folded
 * by nodemailer's own `foldLines` when a long reporting host makes it long); anything else returns
 * null and the caller uses `buildAutoReply`. A property test compares both byte for byte.
 */
import { foldLines } from 'nodemailer/lib/mime-funcs';
import { autoReplySubject, rfc2822 } from '../async-mail/original-headers.ts';
import type { FollowUp } from '../isp/follow-up.ts';

/** plain `local@host`: nothing for an address parser to quote, decode or punycode */
const PLAIN_ADDRESS =
  /^[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
/** the reporting MTA only appears inside the Message-ID's angle brackets, which are kept as they are */
const PLAIN_HOST = /^[!-;=?-~]+$/;
const PLAIN_MESSAGE_ID = /^<[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+>$/;
/** printable ASCII words separated by single spaces, no encoded-word look-alike (body text) */
const PLAIN_TEXT = /^[!-~]+(?: [!-~]+)*$/;
/** subject words: letters, digits and the punctuation MailComposer leaves unencoded */
const PLAIN_SUBJECT = /^[A-Za-z0-9.,:!?'-]+(?: [A-Za-z0-9.,:!?'-]+)*$/;
const MAX_LINE = 76;

const DEFAULT_EPOCH = Date.UTC(2024, 0, 1);

function plainText(s: string, headerRoom: number): boolean {
  return s.length <= headerRoom && PLAIN_TEXT.test(s) && !s.includes('=?');
}

/**
 * The auto-reply of `f` as `buildAutoReply(f, { seq, startEpochMs })` would build it, or null when
 * the input is outside the fast path.
 */
export function fastAutoReply(f: FollowUp, seq: number, startEpochMs = DEFAULT_EPOCH): Buffer | null {
  if (f.kind !== 'autoReply') return null;
  const subject = autoReplySubject(f);
  const id = `<${f.kind}.${f.atMs}.${seq}@${f.reportingMta}>`;
  if (
    !PLAIN_ADDRESS.test(f.to) ||
    !PLAIN_ADDRESS.test(f.from) ||
    !PLAIN_HOST.test(f.reportingMta) ||
    (f.messageId !== '' && !PLAIN_MESSAGE_ID.test(f.messageId)) ||
    !PLAIN_SUBJECT.test(subject) ||
    `Subject: ${subject}`.length > MAX_LINE ||
    !plainText(f.text, MAX_LINE) ||
    `From: ${f.to}`.length > MAX_LINE ||
    `To: ${f.from}`.length > MAX_LINE ||
    `References: ${f.messageId}`.length > MAX_LINE ||
    !Number.isSafeInteger(f.atMs) ||
    !Number.isSafeInteger(seq) ||
    seq < 0
  )
    return null;
  const date = new Date(startEpochMs + f.atMs);
  if (Number.isNaN(date.getTime())) return null;
  const thread = f.messageId === '' ? '' : `In-Reply-To: ${f.messageId}\r\nReferences: ${f.messageId}\r\n`;
  return Buffer.from(
    'Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\nPrecedence: auto_reply\r\n' +
      `From: ${f.to}\r\nTo: ${f.from}\r\n${thread}Subject: ${subject}\r\n${foldLines(`Message-ID: ${id}`, MAX_LINE)}\r\n` +
      `Date: ${rfc2822(date)}\r\nContent-Transfer-Encoding: 7bit\r\nMIME-Version: 1.0\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\n\r\n${f.text}\r\n`,
    'latin1',
  );
}
