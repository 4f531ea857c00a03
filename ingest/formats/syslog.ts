/**
 * Postfix, Exim and Sendmail mail logs (syslog lines; Exim's own main log). The failure lines are
 * read by cli/mta-log-line.ts (the same reader `mxlab qualify` uses: one owner for what a reply is);
 * this module adds what a store needs besides: the time stamp, the message (queue id), the MX IP,
 * and the delivered lines that reader skips. Formats and their documentation: cli/mta-log-line.ts.
 *
 * Time stamps: RFC 3164 syslog (`Dec  6 10:00:00`, no year: the `year` setting, default this year),
 * RFC 5424 / ISO (`2026-12-06T10:00:00.123+01:00`) and Exim's (`2026-12-06 10:00:00 [+0100]`). A
 * stamp without a zone is read as UTC. Postfix run as one instance per sending IP (`syslog_name =
 * postfix-NAME`, tag `postfix-NAME/smtp`) gives NAME as the attempt's local IP: the sending path.
 */
import { readLogLine } from '../../cli/mta-log-line.ts';
import type { FormatReader, IngestRecord, LineResult, LoggedStatus } from '../record.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const BSD_STAMP = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) /;
const ISO_STAMP = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d(?:\.\d+)?)( ?(?:Z|[+-]\d\d:?\d\d))? /;

/** Epoch ms of the line's time stamp, or NaN when it has none. */
export function stampOf(line: string, year: number): number {
  const b = BSD_STAMP.exec(line);
  if (b) {
    const month = MONTHS.indexOf(b[1]!);
    if (month < 0) return Number.NaN;
    return Date.UTC(year, month, Number(b[2]), Number(b[3]), Number(b[4]), Number(b[5]));
  }
  const i = ISO_STAMP.exec(line);
  if (!i) return Number.NaN;
  let zone = (i[3] ?? 'Z').trim();
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return Date.parse(`${i[1]}T${i[2]}${zone}`);
}

/** The IP of `relay=host[ip]:port`, `H=host [ip]` or `relay=host. [ip]`. */
function ipIn(s: string | undefined): string | null {
  if (!s) return null;
  const m = /\[((?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F:]+:[0-9a-fA-F:.]*)\]/.exec(s);
  return m ? m[1]! : null;
}

const POSTFIX_DELIVERY =
  /postfix(?:-([\w.-]+))?\/[\w.-]+\[?\d*\]?: ([0-9A-Za-z]+): to=<([^>]*)>,(.*?)\bstatus=([a-z]+)(?: \((.*)\))?\s*$/;
const EXIM_LINE =
  /(?:^|\s)([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) (\*\*|==|=>|->|\*>) (\S+?):?(?= |$)(.*)$/;
const SENDMAIL_LINE = /(?:sendmail|sm-mta)\[?\d*\]?: ([0-9A-Za-z]+): to=(.*?), .*?\bstat=(.*)$/;

function record(
  epochMs: number,
  message: string,
  recipient: string,
  status: LoggedStatus,
  text: string,
  remote: boolean,
  rest: Partial<IngestRecord> = {},
): IngestRecord {
  return {
    epochMs,
    message,
    recipient,
    status,
    text,
    remote,
    phase: null,
    dsn: null,
    mxIp: null,
    localIp: null,
    ...rest,
  };
}

/** A reader for one MTA's log lines. */
export function syslogReader(mta: 'postfix' | 'exim' | 'sendmail', year: number): FormatReader {
  return {
    line(text: string): LineResult {
      const parsed = readLogLine(text);
      if (parsed === null) return { kind: 'malformed', why: `not a ${mta} log line` };
      if (parsed.kind === 'unknown') return { kind: 'malformed', why: parsed.why };
      const mtaOf = parsed.mta;
      if (mtaOf !== mta) return { kind: 'malformed', why: `a ${mtaOf} line in a ${mta} log` };
      const t = stampOf(text.trim(), year);
      if (mta === 'postfix') return postfix(text, t, parsed);
      if (mta === 'exim') return exim(text, t, parsed);
      return sendmail(text, t, parsed);
    },
  };
}

type Parsed = Exclude<ReturnType<typeof readLogLine>, null>;

function noStamp(): LineResult {
  return { kind: 'malformed', why: 'delivery line without a time stamp' };
}

function postfix(line: string, t: number, parsed: Parsed): LineResult {
  const m = POSTFIX_DELIVERY.exec(line);
  if (!m)
    return parsed.kind === 'skip'
      ? { kind: 'skip', why: parsed.why }
      : { kind: 'malformed', why: 'postfix line without a delivery status' };
  if (Number.isNaN(t)) return noStamp();
  const [, instance, queueId, rcpt, fields, statusWord, paren] = m as unknown as (string | undefined)[];
  const mxIp = ipIn(/\brelay=([^,]*)/.exec(fields!)?.[1]);
  // a Postfix instance per sending IP (syslog_name postfix-NAME) names the sending path
  const localIp = instance ?? null;
  if (statusWord === 'sent' || statusWord === 'delivered' || statusWord === 'deliverable')
    return {
      kind: 'records',
      records: [
        record(t, queueId!, rcpt!, 'delivered', (paren ?? '').trim(), true, { mxIp, localIp, phase: 'data' }),
      ],
    };
  if (parsed.kind !== 'reply') return { kind: 'skip', why: parsed.kind === 'skip' ? parsed.why : 'no reply' };
  const status: LoggedStatus =
    statusWord === 'deferred' ? 'deferred' : statusWord === 'expired' ? 'expired' : 'bounced';
  return {
    kind: 'records',
    records: [
      record(t, queueId!, rcpt!, status, parsed.text, parsed.remote, {
        mxIp,
        localIp,
        phase: parsed.phase,
        dsn: parsed.dsn,
      }),
    ],
  };
}

function exim(line: string, t: number, parsed: Parsed): LineResult {
  const m = EXIM_LINE.exec(line);
  if (!m)
    return parsed.kind === 'skip'
      ? { kind: 'skip', why: parsed.why }
      : { kind: 'malformed', why: 'exim line without a delivery flag' };
  if (Number.isNaN(t)) return noStamp();
  const [, id, flag, rcpt, rest] = m as unknown as string[];
  const mxIp = ipIn(/\bH=\S+ (\[[^\]]+\])/.exec(rest!)?.[1]);
  if (flag === '=>' || flag === '->' || flag === '*>') {
    const conf = /\bC="([^"]*)"/.exec(rest!)?.[1] ?? '250 OK';
    return {
      kind: 'records',
      records: [record(t, id!, rcpt!, 'delivered', conf, true, { mxIp, phase: 'data' })],
    };
  }
  if (parsed.kind !== 'reply') return { kind: 'skip', why: parsed.kind === 'skip' ? parsed.why : 'no reply' };
  return {
    kind: 'records',
    records: [
      record(t, id!, rcpt!, flag === '**' ? 'bounced' : 'deferred', parsed.text, parsed.remote, {
        mxIp,
        phase: parsed.phase,
        dsn: parsed.dsn,
      }),
    ],
  };
}

function sendmail(line: string, t: number, parsed: Parsed): LineResult {
  const m = SENDMAIL_LINE.exec(line);
  if (!m)
    return parsed.kind === 'skip'
      ? { kind: 'skip', why: parsed.why }
      : { kind: 'malformed', why: 'sendmail line without to= and stat=' };
  if (Number.isNaN(t)) return noStamp();
  const [, queueId, to, stat] = m as unknown as string[];
  const mxIp = ipIn(/\brelay=([^,]*)/.exec(line)?.[1]);
  const dsn = /\bdsn=(\d\.\d{1,3}\.\d{1,3})\b/.exec(line)?.[1] ?? null;
  const rcpts = to!
    .split(',')
    .map((a) => a.trim().replace(/^<(.*)>$/, '$1'))
    .filter((a) => a !== '');
  if (/^Sent\b/i.test(stat!)) {
    const text = /^Sent \((.*)\)\s*$/i.exec(stat!)?.[1] ?? '250 Sent';
    return {
      kind: 'records',
      records: rcpts.map((r) =>
        record(t, queueId!, r, 'delivered', text, true, { mxIp, dsn, phase: 'data' }),
      ),
    };
  }
  if (parsed.kind !== 'reply') return { kind: 'skip', why: parsed.kind === 'skip' ? parsed.why : 'no reply' };
  const deferred = /^Deferred\b/i.test(stat!) || dsn?.startsWith('4') === true;
  return {
    kind: 'records',
    records: rcpts.map((r) =>
      record(t, queueId!, r, deferred ? 'deferred' : 'bounced', parsed.text, parsed.remote, { mxIp, dsn }),
    ),
  };
}
