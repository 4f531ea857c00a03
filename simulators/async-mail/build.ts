/**
 * Builds the asynchronous mails of the simulated world as real MIME with nodemailer's MailComposer:
 * DSNs (RFC 3464, multipart/report; report-type=delivery-status), ARF complaints (RFC 5965,
 * multipart/report; report-type=feedback-report), auto-replies (RFC 3834) and postmasters' notices. MailComposer builds a
 * multipart/mixed tree; the root Content-Type is then set to multipart/report, which MimeNode
 * honours at build time. Boundaries, Date and Message-ID are fixed from the inputs so the output
 * is byte-for-byte reproducible.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { FollowUp } from '../isp/follow-up.ts';
import { autoReplySubject, originalHeaders, rfc2822 } from './original-headers.ts';

/** Options shared by the builders. */
export interface BuildOptions {
  /** wall-clock epoch (ms) of run time 0, for Date headers; default 2024-01-01T00:00:00Z */
  startEpochMs?: number;
  /** sequence number of the mail in the mailbox, used in Message-ID and boundaries */
  seq?: number;
}

const DEFAULT_EPOCH = Date.UTC(2024, 0, 1);

function ctx(f: FollowUp, o: BuildOptions) {
  const epoch = o.startEpochMs ?? DEFAULT_EPOCH;
  const seq = o.seq ?? 0;
  return {
    date: new Date(epoch + f.atMs),
    sent: new Date(epoch + f.sentAtMs),
    seq,
    id: `<${f.kind}.${f.atMs}.${seq}@${f.reportingMta}>`,
    boundary: `mxlab${seq.toString(36)}x${f.atMs.toString(36)}`,
  };
}

async function compose(
  mail: ConstructorParameters<typeof MailComposer>[0],
  contentType: string | null,
): Promise<Buffer> {
  const node = new MailComposer(mail).compile();
  if (contentType) node.setHeader('Content-Type', contentType);
  return node.build();
}

/** A delivery-status notification for a failed recipient (RFC 3464). */
export function buildDsn(f: FollowUp, o: BuildOptions = {}): Promise<Buffer> {
  const c = ctx(f, o);
  const diagnostic = f.diagnostic.replace(/\r?\n/g, ' ');
  const status =
    `Reporting-MTA: dns; ${f.reportingMta}\r\n` +
    `Arrival-Date: ${rfc2822(c.sent)}\r\n` +
    '\r\n' +
    `Final-Recipient: rfc822; ${f.to}\r\n` +
    `Original-Recipient: rfc822; ${f.to}\r\n` +
    'Action: failed\r\n' +
    `Status: ${f.status}\r\n` +
    `Remote-MTA: dns; ${f.remoteMta || f.reportingMta}\r\n` +
    `Diagnostic-Code: smtp; ${diagnostic}\r\n` +
    `Last-Attempt-Date: ${rfc2822(c.date)}\r\n`;
  return compose(
    {
      from: `Mail Delivery System <MAILER-DAEMON@${f.reportingMta}>`,
      to: f.from,
      subject: 'Undelivered Mail Returned to Sender',
      date: c.date,
      messageId: c.id,
      baseBoundary: c.boundary,
      headers: { 'Auto-Submitted': 'auto-replied' },
      text:
        `This is the mail system at host ${f.reportingMta}.\r\n\r\n` +
        "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.\r\n\r\n" +
        `<${f.to}>: ${diagnostic}\r\n`,
      attachments: [
        {
          contentType: 'message/delivery-status',
          content: status,
          contentDisposition: 'inline',
          filename: false,
          contentTransferEncoding: '7bit',
        },
        {
          contentType: 'text/rfc822-headers',
          content: originalHeaders(f, c.sent),
          contentDisposition: 'inline',
          filename: false,
          contentTransferEncoding: '7bit',
        },
      ],
    },
    'multipart/report; report-type=delivery-status',
  );
}

/** An abuse feedback report (RFC 5965) for a complaint. */
export function buildArf(f: FollowUp, o: BuildOptions = {}): Promise<Buffer> {
  const c = ctx(f, o);
  const fromDomain = f.from.slice(f.from.lastIndexOf('@') + 1);
  const report =
    'Feedback-Type: abuse\r\n' +
    'User-Agent: mxlab-isp-simulator/1.0\r\n' +
    'Version: 1\r\n' +
    `Original-Mail-From: <${f.from}>\r\n` +
    `Original-Rcpt-To: <${f.to}>\r\n` +
    `Arrival-Date: ${rfc2822(c.sent)}\r\n` +
    `Reporting-MTA: dns; ${f.reportingMta}\r\n` +
    (f.sourceIp ? `Source-IP: ${f.sourceIp}\r\n` : '') +
    `Reported-Domain: ${fromDomain}\r\n`;
  return compose(
    {
      from: `Feedback Loop <fbl@${f.reportingMta}>`,
      to: f.from,
      subject: `Complaint about message from ${fromDomain}`,
      date: c.date,
      messageId: c.id,
      baseBoundary: c.boundary,
      text: `This is an email abuse report for an email message received from IP ${f.sourceIp || 'unknown'}.\r\n`,
      attachments: [
        {
          contentType: 'message/feedback-report',
          content: report,
          contentDisposition: 'inline',
          filename: false,
          contentTransferEncoding: '7bit',
        },
        {
          contentType: 'message/rfc822',
          content: `${originalHeaders(f, c.sent)}Hello, this is the newsletter the recipient reported.\r\n`,
          contentDisposition: 'inline',
          filename: false,
          contentTransferEncoding: '7bit',
        },
      ],
    },
    'multipart/report; report-type=feedback-report',
  );
}

/** An out-of-office auto-reply (RFC 3834: Auto-Submitted: auto-replied), from the recipient to the sender. */
export function buildAutoReply(f: FollowUp, o: BuildOptions = {}): Promise<Buffer> {
  const c = ctx(f, o);
  return compose(
    {
      from: f.to,
      to: f.from,
      subject: autoReplySubject(f),
      date: c.date,
      messageId: c.id,
      baseBoundary: c.boundary,
      inReplyTo: f.messageId || undefined,
      references: f.messageId || undefined,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes', Precedence: 'auto_reply' },
      text: `${f.text}\r\n`,
    },
    null,
  );
}

/**
 * A postmaster's technical notice to the sender (seed 000 line 44): from postmaster@ the reporting
 * MTA, plain text naming no recipient and no original message.
 */
export function buildPostmasterNotice(f: FollowUp, o: BuildOptions = {}): Promise<Buffer> {
  const c = ctx(f, o);
  return compose(
    {
      from: `postmaster@${f.reportingMta}`,
      to: f.from,
      subject: f.subject,
      date: c.date,
      messageId: c.id,
      baseBoundary: c.boundary,
      text: `${f.text}\r\n`,
    },
    null,
  );
}

/** Builds the mail of any follow-up. */
export function buildFollowUpMail(f: FollowUp, o: BuildOptions = {}): Promise<Buffer> {
  if (f.kind === 'postmaster') return buildPostmasterNotice(f, o);
  return f.kind === 'dsn' ? buildDsn(f, o) : f.kind === 'arf' ? buildArf(f, o) : buildAutoReply(f, o);
}
