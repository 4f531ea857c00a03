/**
 * A run's attempts as Postfix mail log lines (the delivery status line of log_adhoc(), see
 * cli/mta-log-line.ts), so a simulated run can be fed to `mxlab ingest postfix` and to any tool that
 * reads Postfix logs. One line per attempt, in time order:
 *
 *   2021-04-26T11:00:00.000+00:00 mxlab postfix/smtp[1]: 0000100000A: to=<a@b.com>,
 *   relay=mx.b.com[1.2.3.4]:25, delay=0, delays=0/0/0/0, dsn=5.1.1, status=bounced
 *   (host mx.b.com[1.2.3.4] said: 550 5.1.1 ... (in reply to RCPT TO command))
 *
 * RFC 5424 time stamps (UTC, milliseconds) keep the year and the order. A reply with a code is the
 * remote server's (`host ... said:`, its lines joined by spaces as Postfix logs them); a DNS or
 * connection failure is Postfix's own text. Outcomes: delivered -> sent, retry -> deferred,
 * failed -> bounced, expired -> expired. The queue id is the message's (delivery, recipient) in hex;
 * the local IP is the Postfix instance (`postfix-127.0.1.1/smtp`: one instance per sending IP).
 */
import type { RunStore } from '../store/index.ts';

const STATUS = { delivered: 'sent', retry: 'deferred', failed: 'bounced', expired: 'expired' } as const;
const COMMAND = {
  connect: null,
  ehlo: 'EHLO',
  mail: 'MAIL FROM',
  rcpt: 'RCPT TO',
  data: 'end of DATA',
  async: 'end of DATA',
  dns: null,
} as const;

interface Row {
  t: number;
  delivery_id: number;
  recipient_id: number;
  address: string;
  domain: string;
  mx_ip: string | null;
  local_ip: string | null;
  phase: keyof typeof COMMAND;
  code: number | null;
  enhanced: string | null;
  text: string;
  outcome: keyof typeof STATUS;
}

/** Epoch ms of the run's day1 00:00: run_meta `start`, else 2026-01-01 UTC. */
export async function runStartEpoch(store: RunStore): Promise<number> {
  const rows = await store.all<{ value: string }>("SELECT value FROM run_meta WHERE key = 'start'");
  const start = rows[0]?.value ? Date.parse(rows[0].value) : Number.NaN;
  return Number.isNaN(start) ? Date.UTC(2026, 0, 1) : start;
}

function queueId(d: number, r: number): string {
  return `${d.toString(16).toUpperCase().padStart(4, '0')}${r.toString(16).toUpperCase().padStart(7, '0')}`;
}

/** One Postfix line of an attempt. */
export function postfixLine(row: Row, startEpoch: number): string {
  const stamp = new Date(startEpoch + row.t).toISOString().replace('Z', '+00:00');
  const host = `mx.${row.domain}`;
  const relay = row.mx_ip ? `${host}[${row.mx_ip}]:25` : 'none';
  const text = row.text.replace(/\r?\n/g, ' ');
  const status = STATUS[row.outcome];
  const dsn =
    row.enhanced ?? (row.outcome === 'delivered' ? '2.0.0' : row.outcome === 'retry' ? '4.0.0' : '5.0.0');
  let said: string;
  if (row.outcome === 'delivered') said = text;
  else if (row.code !== null) {
    const cmd = COMMAND[row.phase];
    said =
      row.phase === 'connect'
        ? `host ${host}[${row.mx_ip ?? '0.0.0.0'}] refused to talk to me: ${text}`
        : `host ${host}[${row.mx_ip ?? '0.0.0.0'}] said: ${text}${cmd ? ` (in reply to ${cmd} command)` : ''}`;
  } else said = text;
  // one Postfix instance per sending IP (syslog_name postfix-IP), as a multi-IP Postfix is run
  const tag = row.local_ip ? `postfix-${row.local_ip}` : 'postfix';
  return `${stamp} mxlab ${tag}/smtp[${1000 + (row.recipient_id % 30000)}]: ${queueId(row.delivery_id, row.recipient_id)}: to=<${row.address}>, relay=${relay}, delay=0, delays=0/0/0/0, dsn=${dsn}, status=${status} (${said})`;
}

/** Writes every attempt of `store` as a Postfix line through `write`, in pages; returns the count. */
export async function exportPostfixLog(
  store: RunStore,
  write: (chunk: string) => void | Promise<void>,
  page = 100_000,
): Promise<number> {
  const start = await runStartEpoch(store);
  let n = 0;
  for (let offset = 0; ; offset += page) {
    const rows = await store.all<Row>(
      `SELECT a.t, a.delivery_id, a.recipient_id, l.address, a.domain, a.mx_ip, a.local_ip, a.phase::VARCHAR AS phase, a.code,
              a.enhanced, a.text, a.outcome::VARCHAR AS outcome
       FROM attempts a JOIN delivery_log l USING (delivery_id, recipient_id)
       ORDER BY a.t, a.delivery_id, a.recipient_id, a.attempt LIMIT ${page} OFFSET ${offset}`,
    );
    if (rows.length === 0) break;
    await write(`${rows.map((r) => postfixLine(r, start)).join('\n')}\n`);
    n += rows.length;
    if (rows.length < page) break;
  }
  return n;
}
