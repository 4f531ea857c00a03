/**
 * Reads one line of an MTA's mail log for `mxlab qualify`: finds what the remote server said (or, when
 * no server answered, the MTA's own diagnostic) and the recipient, or says the line is not a delivery
 * failure at all (a delivered message, a connection, a queue event), so such lines are skipped and
 * counted instead of qualified as if they were replies. Formats, as their documentation writes them:
 *
 * * Postfix: `postfix/smtp[pid]: QUEUEID: to=<rcpt>, [orig_to=<o>,] relay=..., delay=..., delays=...,
 *   dsn=X.Y.Z, status=bounced|deferred|expired|sent (text)`, written by log_adhoc() (src/global/
 *   log_adhoc.c); a remote reply reads `host NAME[IP] said: REPLY (in reply to COMMAND command)`
 *   (src/smtp/smtp_proto.c), a refused greeting `host NAME[IP] refused to talk to me: REPLY`.
 *   https://www.postfix.org/smtp.8.html, https://www.postfix.org/bounce.8.html
 * * Exim main log: `DATE TIME MSGID FLAG address ... R=router T=transport [H=host [ip]]: message`;
 *   flags `<=` arrival, `=>` `->` `*>` `>>` deliveries, `**` failed, `==` deferred (Exim
 *   specification, chapter "Log files", sections "Log line flags", "Logging message delivery",
 *   "Deferred deliveries", "Delivery failures"); a remote reply reads `SMTP error from remote mail
 *   server after COMMAND: [host NAME [IP]: ]REPLY` (older releases: "remote mailer").
 * * Sendmail: `sendmail[pid]: QUEUEID: to=<a>,<b>, ctladdr=..., delay=..., xdelay=..., mailer=...,
 *   pri=..., relay=..., dsn=X.Y.Z, stat=STATUS` (Sendmail Installation and Operation Guide, "Log
 *   entry format": one line per delivery attempt, `stat` the delivery status).
 *
 * The syslog prefix (`Dec  6 10:00:00 host `, or an RFC 5424 / ISO time stamp) is optional.
 */
import type { SmtpPhase } from '../core/index.ts';

/** The MTAs whose log lines are read. */
export type Mta = 'postfix' | 'exim' | 'sendmail';

/** What a log line says about a delivery failure. */
export interface LogReply {
  kind: 'reply';
  mta: Mta;
  /** the failed recipients (Sendmail may list several on one line) */
  recipients: string[];
  /** what the remote server said, or the MTA's own diagnostic when `remote` is false */
  text: string;
  remote: boolean;
  /** the SMTP command the reply answered, when the log says (`in reply to RCPT TO command`) */
  phase: SmtpPhase | null;
  /** the DSN status the MTA logged (`dsn=5.1.1`), or null */
  dsn: string | null;
}

/** A line of a known MTA that carries no delivery failure; `why` names what it is. */
export interface LogSkip {
  kind: 'skip';
  mta: Mta;
  why: string;
}

/** A log line in no format this reader knows; `why` says what was missing. */
export interface LogUnknown {
  kind: 'unknown';
  why: string;
}

export type LogLine = LogReply | LogSkip | LogUnknown;

/** Syslog time stamp and host: `Dec  6 10:00:00 host ` or `2026-12-06T10:00:00.123+00:00 host `. */
const SYSLOG_PREFIX =
  /^(?:[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) \S+ /;
/** A syslog program tag: `name[pid]: ` or `name: `. */
const PROGRAM_TAG = /^([\w./-]+)(\[\d+\])?: /;

const POSTFIX_PROGRAM = /^postfix(?:-[\w.-]+)?\/([\w.-]+)$/;
const SENDMAIL_PROGRAM = /^(?:sendmail|sm-mta|sm-msp-queue)$/;

/** Exim's own time stamp (`2026-12-06 10:00:00[.123] [+0000] [[pid]] `). */
const EXIM_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})?(?: \[\d+\])? /;
/** Exim message ids: `16ZCW1-0005MB-00` (before 4.97) and `1qT3Y0-000000005b9-0Xyz`. */
const EXIM_ID = /^[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4} /;
const EXIM_FLAG = /^(\*\*|==|=>|->|>>|\*>|<=) /;
/** Exim main-log events that carry no message id and no delivery result. */
const EXIM_EVENTS =
  /^(?:SMTP connection|SMTP call from|Start queue run|End queue run|exim [\w.]+ daemon started|cwd=|H=|\[[\d.:a-fA-F]+\]|no host name found|no IP address found|TLS error|SMTP command timeout|SMTP data timeout|SMTP syntax error|SMTP protocol|unexpected disconnection|rejected (?:EHLO|HELO)|Connection from|ratelimit|spam acl|U=|SMTP connection outbound)/;

const DSN = /\bdsn=(\d\.\d{1,3}\.\d{1,3})\b/;

/** `RCPT TO` → rcpt, `end of DATA` → data, ...: the phase of the command a reply answered. */
export function phaseOfCommand(command: string): SmtpPhase | null {
  const c = command.toUpperCase();
  if (/RCPT/.test(c)) return 'rcpt';
  if (/MAIL FROM/.test(c)) return 'mail';
  if (/DATA|BDAT|END OF/.test(c)) return 'data';
  if (/EHLO|HELO|LHLO|STARTTLS|AUTH|XFORWARD/.test(c)) return 'ehlo';
  if (/INITIAL CONNECTION|GREETING|CONNECT/.test(c)) return 'connect';
  return null;
}

/**
 * Reads one log line. Returns null when the line is no MTA log line at all (a bare reply or bounce
 * text, which the caller qualifies as it is).
 */
export function readLogLine(line: string): LogLine | null {
  let rest = line.trim();
  const syslog = SYSLOG_PREFIX.exec(rest);
  if (syslog) rest = rest.slice(syslog[0].length);
  const tag = PROGRAM_TAG.exec(rest);
  if (tag) {
    const program = tag[1]!;
    const body = rest.slice(tag[0].length);
    const postfix = POSTFIX_PROGRAM.exec(program);
    if (postfix) return readPostfix(postfix[1]!, body);
    // `sendmail: ...` alone could be a bounce text: a Sendmail or Exim tag counts with a pid or a prefix
    const tagged = syslog !== null || tag[2] !== undefined;
    if (tagged && SENDMAIL_PROGRAM.test(program)) return readSendmail(body);
    if (tagged && /^exim\d?$/.test(program)) return readExim(body.replace(EXIM_TIME, ''));
    if (syslog) return { kind: 'unknown', why: `log line of ${program}, not Postfix, Exim or Sendmail` };
  }
  if (syslog) return { kind: 'unknown', why: 'syslog line without a program tag' };
  const eximTime = EXIM_TIME.exec(rest);
  if (eximTime) return readExim(rest.slice(eximTime[0].length));
  if (EXIM_ID.test(rest) || EXIM_FLAG.test(rest)) return readExim(rest);
  return null;
}

function readPostfix(program: string, body: string): LogLine {
  const m = /^[0-9A-Za-z]+: to=<([^>]*)>,.*?\bstatus=([A-Za-z-]+)(?: \((.*)\))?\s*$/.exec(body);
  if (!m) {
    if (/\bto=<[^>]*>.*\brelay=/.test(body))
      return { kind: 'unknown', why: `postfix/${program} delivery line without a status` };
    if (/^NOQUEUE: reject:|: reject: /.test(body))
      return { kind: 'skip', mta: 'postfix', why: "this server's own reply to a client" };
    return { kind: 'skip', mta: 'postfix', why: `postfix/${program} event, not a delivery status` };
  }
  const recipient = m[1]!;
  const status = m[2]!.toLowerCase();
  const text = (m[3] ?? '').trim();
  if (status === 'sent' || status === 'deliverable' || status === 'delivered')
    return { kind: 'skip', mta: 'postfix', why: `delivered (status=${status})` };
  if (status !== 'bounced' && status !== 'deferred' && status !== 'expired' && status !== 'undeliverable')
    return { kind: 'unknown', why: `postfix/${program}: unknown status=${status}` };
  const dsn = DSN.exec(body)?.[1] ?? null;
  const said = /^host \S+ said: (.*?)(?: \(in reply to (.+?)(?: command)?\))?$/.exec(text);
  if (said)
    return reply('postfix', [recipient], said[1]!, true, said[2] ? phaseOfCommand(said[2]) : null, dsn);
  const refused = /^host \S+ refused to talk to me: (.*)$/.exec(text);
  if (refused) return reply('postfix', [recipient], refused[1]!, true, 'connect', dsn);
  return reply('postfix', [recipient], text || `status=${status}`, false, null, dsn);
}

function readSendmail(body: string): LogLine {
  const to = /^[0-9A-Za-z]+: to=(.*?), (?:[a-z]+=.*?, )*?stat=(.*)$/.exec(body);
  if (!to) {
    if (/^[0-9A-Za-z]+: to=/.test(body)) return { kind: 'unknown', why: 'sendmail to= line without a stat=' };
    if (/\breject=/.test(body))
      return { kind: 'skip', mta: 'sendmail', why: "this server's own reply to a client" };
    return { kind: 'skip', mta: 'sendmail', why: 'sendmail event, not a delivery status' };
  }
  const recipients = to[1]!
    .split(',')
    .map((a) => a.trim().replace(/^<(.*)>$/, '$1'))
    .filter((a) => a !== '');
  const stat = to[2]!.trim();
  if (/^(?:Sent|queued)\b/i.test(stat))
    return { kind: 'skip', mta: 'sendmail', why: `delivered or queued (stat=${stat.split(/[\s(]/)[0]})` };
  const dsn = DSN.exec(body)?.[1] ?? null;
  const text = stat.replace(/^Deferred(?::\s*|$)/i, '').trim() || stat;
  const remote = /^[45]\d\d[ -]/.test(text);
  return reply('sendmail', recipients, text, remote, null, dsn);
}

function readExim(body: string): LogLine {
  let rest = body;
  const id = EXIM_ID.exec(rest);
  if (id) rest = rest.slice(id[0].length);
  const flag = EXIM_FLAG.exec(rest);
  if (!flag) {
    if (id) return { kind: 'skip', mta: 'exim', why: 'exim message event, not a delivery result' };
    if (EXIM_EVENTS.test(rest))
      return { kind: 'skip', mta: 'exim', why: 'exim event, not a delivery result' };
    return { kind: 'unknown', why: 'time-stamped line without an Exim message id or log flag' };
  }
  const f = flag[1]!;
  if (f === '<=') return { kind: 'skip', mta: 'exim', why: 'message arrival (<=)' };
  if (f !== '**' && f !== '==') return { kind: 'skip', mta: 'exim', why: `delivered (${f})` };
  rest = rest.slice(flag[0].length);
  // the address, without the colon that ends it when no field follows (`** a@b.com: Unrouteable address`)
  const recipient = /^\S+?(?=:?(?:\s|$))/.exec(rest)?.[0] ?? '';
  const message = eximMessage(rest.slice(recipient.length));
  if (message === null) return { kind: 'unknown', why: `exim ${f} line without a message` };
  if (/^retry time not reached|retry time not reached for any host/.test(message))
    return { kind: 'skip', mta: 'exim', why: 'no delivery attempt (retry time not reached)' };
  const smtp =
    /SMTP error from remote mail(?:er| server) after (.+?): (?:host \S+ \[[^\]]*\](?::\d+)?: )?([2-5]\d\d(?:[ -].*)?)$/.exec(
      message,
    );
  if (smtp) {
    // a multi-line reply is logged with its lines joined by a literal backslash-n
    const text = smtp[2]!.replace(/\\n(?=[2-5]\d\d[ -])/g, ' ');
    return reply('exim', [recipient], text, true, phaseOfCommand(smtp[1]!), null);
  }
  // Exim's own diagnostic: the flag is its status (`**` failed for good, `==` deferred), the class of
  // the generic DSN status Exim's own reports give (RFC 3463 §3.1: X.0.0)
  return reply('exim', [recipient], message, false, null, f === '**' ? '5.0.0' : '4.0.0');
}

/**
 * The message of an Exim `**` or `==` line: what follows the first `: ` outside quotes, brackets and
 * angle brackets (the fields `<parent> R=router T=transport H=host [ip] defer (errno)` come before it).
 */
function eximMessage(s: string): string | null {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s[i]!;
    if (c === '"' && s[i - 1] !== '\\') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '[' || c === '<' || c === '(') depth++;
    else if ((c === ']' || c === '>' || c === ')') && depth > 0) depth--;
    else if (c === ':' && depth === 0 && s[i + 1] === ' ') return s.slice(i + 2).trim();
  }
  return null;
}

function reply(
  mta: Mta,
  recipients: string[],
  text: string,
  remote: boolean,
  phase: SmtpPhase | null,
  dsn: string | null,
): LogReply {
  return { kind: 'reply', mta, recipients, text: text.trim(), remote, phase, dsn };
}
