/** The headers of the original (simulated) message, quoted in DSNs and ARF reports. */
import type { FollowUp } from '../isp/follow-up.ts';

/** RFC 5322 header block (CRLF line ends, blank line included) of the message a follow-up is about. */
export function originalHeaders(f: FollowUp, date: Date): string {
  return (
    `From: <${f.from}>\r\n` +
    `To: <${f.to}>\r\n` +
    `Subject: Your newsletter\r\n` +
    `Message-ID: ${f.messageId || `<unknown-${f.sentAtMs}@mxlab.invalid>`}\r\n` +
    `Date: ${rfc2822(date)}\r\n` +
    'MIME-Version: 1.0\r\n' +
    'Content-Type: text/plain; charset=utf-8\r\n\r\n'
  );
}

/** RFC 5322 date in UTC. */
export function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}
