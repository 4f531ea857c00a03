/**
 * The headers of the original message, quoted in DSNs and ARF reports: the simulated newsletter's in
 * run mode, the real message's own Subject and Date when the ISP saw them (serve mode, `f.original`).
 */
import type { FollowUp } from '../isp/follow-up.ts';

/** The subject of the simulated newsletter, for follow-ups of a message whose own is unknown. */
const NEWSLETTER_SUBJECT = 'Your newsletter';

/** RFC 5322 header block (CRLF line ends, blank line included) of the message a follow-up is about. */
export function originalHeaders(f: FollowUp, date: Date): string {
  const o = f.original;
  return (
    `From: <${f.from}>\r\n` +
    `To: <${f.to}>\r\n` +
    `Subject: ${o?.subject || NEWSLETTER_SUBJECT}\r\n` +
    `Message-ID: ${f.messageId || `<unknown-${f.sentAtMs}@mxlab.invalid>`}\r\n` +
    `Date: ${o?.date || rfc2822(date)}\r\n` +
    'MIME-Version: 1.0\r\n' +
    'Content-Type: text/plain; charset=utf-8\r\n\r\n'
  );
}

/** An auto-reply's subject: the responder's prefix, then `Re:` and the original subject. */
export function autoReplySubject(f: FollowUp): string {
  return `${f.subject}: Re: ${f.original?.subject || NEWSLETTER_SUBJECT}`;
}

/** RFC 5322 date in UTC. */
export function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}
