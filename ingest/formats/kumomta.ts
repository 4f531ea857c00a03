/**
 * KumoMTA log records: one JSON object per line, as its local logger writes them
 * (https://docs.kumomta.com/reference/log_record/). Fields read: `type` (Delivery, TransientFailure,
 * Bounce, Expiration, AdminBounce; Reception, OOB and Feedback carry no delivery attempt and are
 * skipped), `id` (the spool id: the message), `recipient`, `timestamp` (Unix seconds, or an ISO
 * string), `response` {`code`, `enhanced_code` {class, subject, detail}, `content`, `command`},
 * `peer_address.addr` (the MX IP) and `source_address.address` (the local IP, `ip:port`).
 */
import { phaseOfCommand } from '../../cli/mta-log-line.ts';
import type { FormatReader, LineResult, LoggedStatus } from '../record.ts';

const STATUS: Record<string, LoggedStatus> = {
  Delivery: 'delivered',
  TransientFailure: 'deferred',
  Bounce: 'bounced',
  Expiration: 'expired',
  AdminBounce: 'bounced',
};
const NO_ATTEMPT = new Set([
  'Reception',
  'OOB',
  'Feedback',
  'Rejection',
  'DeferredInjection',
  'Delayed',
  'Any',
]);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function epochOf(v: unknown): number {
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'string') return Date.parse(v);
  return Number.NaN;
}

/** `1.2.3.4:25` or `[::1]:25` -> the address */
function hostOf(v: unknown): string | null {
  const s = str(v);
  if (!s) return null;
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (v6) return v6[1]!;
  return s.replace(/:\d+$/, '');
}

export function kumomtaReader(): FormatReader {
  return {
    line(text: string): LineResult {
      let rec: Json | null;
      try {
        rec = obj(JSON.parse(text));
      } catch (e) {
        return { kind: 'malformed', why: `not JSON (${(e as Error).message})` };
      }
      if (!rec) return { kind: 'malformed', why: 'not a JSON object' };
      const type = str(rec.type);
      if (type === null) return { kind: 'malformed', why: "no string 'type' field" };
      if (NO_ATTEMPT.has(type)) return { kind: 'skip', why: `kumomta ${type} record` };
      const status = STATUS[type];
      if (!status) return { kind: 'malformed', why: `unknown record type '${type}'` };
      const recipient = str(rec.recipient);
      if (!recipient) return { kind: 'malformed', why: "no string 'recipient' field" };
      const epochMs = epochOf(rec.timestamp);
      if (Number.isNaN(epochMs))
        return { kind: 'malformed', why: "no 'timestamp' (Unix seconds or ISO time)" };
      const response = obj(rec.response) ?? {};
      const code = typeof response.code === 'number' ? response.code : null;
      const e = obj(response.enhanced_code);
      const enhanced =
        e && typeof e.class === 'number' ? `${e.class}.${e.subject ?? 0}.${e.detail ?? 0}` : null;
      const content = (str(response.content) ?? '').replace(/\r?\n/g, ' ');
      // KumoMTA reports its own failures (connect, DNS, TLS) with a 4xx/5xx code and "KumoMTA internal: ..."
      const internal = /^KumoMTA internal\b/i.test(content);
      const remote = code !== null && code >= 200 && !internal && type !== 'AdminBounce';
      const textOut = remote
        ? [code, enhanced, content].filter((x) => x !== null && x !== '').join(' ')
        : content;
      const command = str(response.command);
      return {
        kind: 'records',
        records: [
          {
            epochMs,
            message: str(rec.id) ?? `${recipient}@${epochMs}`,
            recipient,
            status,
            text: textOut,
            remote,
            // the reply to the message body is logged against the command "." that ends it
            phase:
              status === 'delivered' || command?.trim() === '.'
                ? 'data'
                : command
                  ? phaseOfCommand(command)
                  : null,
            dsn: enhanced,
            mxIp: hostOf(obj(rec.peer_address)?.addr),
            localIp: hostOf(obj(rec.source_address)?.address),
          },
        ],
      };
    },
  };
}
