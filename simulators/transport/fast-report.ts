/**
 * The simulated DSN (RFC 3464) and ARF complaint (RFC 5965) as the exact bytes `buildDsn` and
 * `buildArf` (nodemailer's MailComposer) give, written by string concatenation: after the auto-replies
 * ({@link fastAutoReply}) these were the mails that still went through MailComposer's streams, one per
 * failed recipient and complaint. Only inputs whose output is certain take the fast path: plain
 * addresses, hosts and message ids, printable ASCII texts, header lines folded by nodemailer's own
 * `foldLines`, and a text part that is either
 * 7bit or quoted-printable through nodemailer's own encoder functions. Anything else returns null and
 * the caller uses `buildFollowUpMail`. A property test compares both byte for byte.
 */
import { foldLines, hasLongerLines, isPlainText } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { originalHeaders, rfc2822 } from '../async-mail/original-headers.ts';
import type { FollowUp } from '../isp/follow-up.ts';

/** plain `local@host`: nothing for an address parser to quote, decode or punycode */
const PLAIN_ADDRESS =
  /^[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
/** a host that is plain as the domain of an address (it appears in From: as `...@host`) */
const PLAIN_HOST =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const PLAIN_MESSAGE_ID = /^<[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+>$/;
/** printable ASCII and spaces (attachment contents are 7bit and copied as they are) */
const PRINTABLE = /^[ -~]*$/;
/** an IPv4 or IPv6 literal */
const PLAIN_IP = /^[0-9A-Fa-f.:]+$/;
const MAX_LINE = 76;
const DEFAULT_EPOCH = Date.UTC(2024, 0, 1);

/** The text part: its Content-Transfer-Encoding and body as MimeNode writes them, or null. */
function textPart(text: string): string | null {
  if (!isPlainText(text)) return null;
  if (!hasLongerLines(text, MAX_LINE))
    return `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${text}`;
  return `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${qpWrap(qpEncode(text), MAX_LINE)}`;
}

function attachment(contentType: string, content: string): string {
  return `Content-Type: ${contentType}\r\nContent-Transfer-Encoding: 7bit\r\nContent-Disposition: inline\r\n\r\n${content}`;
}

/** An address as nodemailer's address parser writes it in a header: the domain in lower case. */
function headerAddress(a: string): string {
  const at = a.lastIndexOf('@');
  return a.slice(0, at + 1) + a.slice(at + 1).toLowerCase();
}

function common(f: FollowUp, seq: number): boolean {
  return (
    // a real message's headers (serve mode) are quoted as received: MailComposer decides their encoding
    f.original === undefined &&
    PLAIN_ADDRESS.test(f.from) &&
    PLAIN_ADDRESS.test(f.to) &&
    PLAIN_HOST.test(f.reportingMta) &&
    (f.messageId === '' || PLAIN_MESSAGE_ID.test(f.messageId)) &&
    Number.isSafeInteger(f.atMs) &&
    f.atMs >= 0 &&
    Number.isSafeInteger(f.sentAtMs) &&
    f.sentAtMs >= 0 &&
    Number.isSafeInteger(seq) &&
    seq >= 0
  );
}

function assemble(
  f: FollowUp,
  seq: number,
  epoch: number,
  first: string,
  subject: string,
  reportType: string,
  text: string,
  parts: readonly string[],
): Buffer | null {
  const date = new Date(epoch + f.atMs);
  const sent = new Date(epoch + f.sentAtMs);
  if (Number.isNaN(date.getTime()) || Number.isNaN(sent.getTime())) return null;
  const body = textPart(text);
  if (body === null) return null;
  const boundary = `--_NmP-mxlab${seq.toString(36)}x${f.atMs.toString(36)}-Part_1`;
  let out =
    `${first}${foldLines(`To: ${headerAddress(f.from)}`, MAX_LINE)}\r\n${foldLines(`Subject: ${subject}`, MAX_LINE)}\r\n` +
    `${foldLines(`Message-ID: <${f.kind}.${f.atMs}.${seq}@${f.reportingMta}>`, MAX_LINE)}\r\n` +
    `Date: ${rfc2822(date)}\r\nMIME-Version: 1.0\r\n` +
    `${foldLines(`Content-Type: multipart/report; report-type=${reportType}; boundary="${boundary}"`, MAX_LINE)}\r\n` +
    `\r\n--${boundary}\r\n${body}\r\n`;
  for (const p of parts) out += `--${boundary}\r\n${p}\r\n`;
  out += `--${boundary}--\r\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * The DSN of `f` as `buildDsn(f, { seq, startEpochMs })` would build it, or null when the input is
 * outside the fast path.
 */
export function fastDsn(f: FollowUp, seq: number, startEpochMs = DEFAULT_EPOCH): Buffer | null {
  if (f.kind !== 'dsn' || !common(f, seq)) return null;
  const remote = f.remoteMta || f.reportingMta;
  const diagnostic = f.diagnostic.replace(/\r?\n/g, ' ');
  const from = `From: Mail Delivery System <MAILER-DAEMON@${f.reportingMta.toLowerCase()}>`;
  if (!PRINTABLE.test(diagnostic) || !PRINTABLE.test(f.status) || !PRINTABLE.test(remote)) return null;
  const date = new Date(startEpochMs + f.atMs);
  const sent = new Date(startEpochMs + f.sentAtMs);
  if (Number.isNaN(date.getTime()) || Number.isNaN(sent.getTime())) return null;
  const status =
    `Reporting-MTA: dns; ${f.reportingMta}\r\n` +
    `Arrival-Date: ${rfc2822(sent)}\r\n` +
    '\r\n' +
    `Final-Recipient: rfc822; ${f.to}\r\n` +
    `Original-Recipient: rfc822; ${f.to}\r\n` +
    'Action: failed\r\n' +
    `Status: ${f.status}\r\n` +
    `Remote-MTA: dns; ${remote}\r\n` +
    `Diagnostic-Code: smtp; ${diagnostic}\r\n` +
    `Last-Attempt-Date: ${rfc2822(date)}\r\n`;
  const text =
    `This is the mail system at host ${f.reportingMta}.\r\n\r\n` +
    "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.\r\n\r\n" +
    `<${f.to}>: ${diagnostic}\r\n`;
  return assemble(
    f,
    seq,
    startEpochMs,
    `Auto-Submitted: auto-replied\r\n${foldLines(from, MAX_LINE)}\r\n`,
    'Undelivered Mail Returned to Sender',
    'delivery-status',
    text,
    [
      attachment('message/delivery-status', status),
      attachment('text/rfc822-headers', originalHeaders(f, sent)),
    ],
  );
}

/**
 * The ARF report of `f` as `buildArf(f, { seq, startEpochMs })` would build it, or null when the input
 * is outside the fast path.
 */
export function fastArf(f: FollowUp, seq: number, startEpochMs = DEFAULT_EPOCH): Buffer | null {
  if (f.kind !== 'arf' || !common(f, seq)) return null;
  const fromDomain = f.from.slice(f.from.lastIndexOf('@') + 1);
  const from = `From: Feedback Loop <fbl@${f.reportingMta.toLowerCase()}>`;
  const subject = `Complaint about message from ${fromDomain}`;
  if (f.sourceIp !== '' && !PLAIN_IP.test(f.sourceIp)) return null;
  const sent = new Date(startEpochMs + f.sentAtMs);
  if (Number.isNaN(sent.getTime())) return null;
  const report =
    'Feedback-Type: abuse\r\n' +
    'User-Agent: mxlab-isp-simulator/1.0\r\n' +
    'Version: 1\r\n' +
    `Original-Mail-From: <${f.from}>\r\n` +
    `Original-Rcpt-To: <${f.to}>\r\n` +
    `Arrival-Date: ${rfc2822(sent)}\r\n` +
    `Reporting-MTA: dns; ${f.reportingMta}\r\n` +
    (f.sourceIp ? `Source-IP: ${f.sourceIp}\r\n` : '') +
    `Reported-Domain: ${fromDomain}\r\n`;
  return assemble(
    f,
    seq,
    startEpochMs,
    `${foldLines(from, MAX_LINE)}\r\n`,
    subject,
    'feedback-report',
    `This is an email abuse report for an email message received from IP ${f.sourceIp || 'unknown'}.\r\n`,
    [
      attachment('message/feedback-report', report),
      attachment(
        'message/rfc822',
        `${originalHeaders(f, sent)}Hello, this is the newsletter the recipient reported.\r\n`,
      ),
    ],
  );
}
