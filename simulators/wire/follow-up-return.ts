/**
 * Sends serve's follow-ups back to the sender's MTA over SMTP (`mxlab serve --return host:port`), as
 * an ISP's bounce, feedback-loop and auto-reply mail reaches a sender in production: to the original
 * envelope sender, from the null sender `<>` for DSNs and auto-replies (RFC 3464 §2, RFC 3834 §3.2)
 * from the feedback loop's address for ARF reports and from postmaster for technical notices. One connection per mail (they are few), with
 * nodemailer's SMTP client; STARTTLS when offered, without checking the certificate (a test MTA's).
 * A refusal or a failure is a value: serve then keeps the mail in its Maildir.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { FollowUp } from '../isp/follow-up.ts';

/** Where follow-ups go back to. */
export interface ReturnTarget {
  host: string;
  port: number;
}

/** The outcome of one return: the server's final reply, or why none came. */
export type ReturnResult = { ok: true; reply: string } | { ok: false; error: string };

/** The envelope of a follow-up's mail: to the original sender, from `<>` or the feedback loop. */
export function returnEnvelope(f: FollowUp): { from: string | false; to: string } {
  const from =
    f.kind === 'arf'
      ? `fbl@${f.reportingMta}`
      : f.kind === 'postmaster'
        ? `postmaster@${f.reportingMta}`
        : false;
  return { from, to: f.from };
}

/** Sends `data` (the follow-up's MIME) to `target` (see the file comment). */
export function sendFollowUp(
  target: ReturnTarget,
  f: FollowUp,
  data: Buffer,
  timeoutMs = 30_000,
): Promise<ReturnResult> {
  return new Promise((resolve) => {
    let settled = false;
    const conn = new SMTPConnection({
      host: target.host,
      port: target.port,
      secure: false,
      name: f.reportingMta,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    const done = (r: ReturnResult) => {
      if (settled) return;
      settled = true;
      if (r.ok) conn.quit();
      else conn.close();
      resolve(r);
    };
    conn.on('error', (e: Error) => done({ ok: false, error: e.message }));
    if (f.from === '') {
      done({ ok: false, error: 'the original message had the null sender: nowhere to return to' });
      return;
    }
    conn.connect(() => {
      conn.send(returnEnvelope(f), data, (err, info) => {
        if (err) done({ ok: false, error: err.message });
        else done({ ok: true, reply: info.response ?? '' });
      });
    });
  });
}

/** `--return host:port`: a loopback-or-any host and a port, or null when malformed. */
export function parseReturnTarget(value: string): ReturnTarget | null {
  const i = value.lastIndexOf(':');
  if (i <= 0) return null;
  const host = value.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = Number(value.slice(i + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535 || host === '') return null;
  return { host, port };
}
