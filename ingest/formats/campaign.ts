/**
 * Campaign-style CSV exports, one header line then one record per line, columns found by name (case,
 * spaces and `_` ignored; the first alias present wins):
 *
 * * delivery log (broadLog): `eventDate|date|tsEvent`, `address|email|sAddress`,
 *   `status|iStatus` (Sent, Failed, Pending; numbers as SPEC §8 orders them: 0 pending, 1 sent,
 *   2 failed), `text|message|failureText|error` (the remote reply or bounce text), optional
 *   `messageId|broadLogId|iMsgId|id` and `delivery|deliveryLabel|deliveryId` (what makes one message);
 *   the export's own type and reason columns are not read: the chosen rules qualify the text.
 * * quarantine (nmsAddress): a header with `errorCount|iErrorCount|error count` and
 *   `status|iStatus` (Valid, With errors, Quarantine, Denylisted/On denylist, Allowlisted; or the
 *   SPEC §5 order 0..4): the quarantine table before the log starts.
 */
import type { FormatReader, InitialStatus, LineResult, LoggedStatus } from '../record.ts';
import { CsvHeader, csvFields, timeField } from './csv-line.ts';

const LOG_STATUS: Record<string, LoggedStatus | null> = {
  sent: 'delivered',
  '1': 'delivered',
  failed: 'bounced',
  '2': 'bounced',
  pending: 'deferred',
  '0': 'deferred',
};
const ADDRESS_STATUS: Record<string, InitialStatus['status']> = {
  valid: 'valid',
  '0': 'valid',
  witherrors: 'withErrors',
  '1': 'withErrors',
  quarantine: 'quarantine',
  '2': 'quarantine',
  denylisted: 'denylisted',
  ondenylist: 'denylisted',
  denylist: 'denylisted',
  '3': 'denylisted',
  allowlisted: 'allowlisted',
  onallowlist: 'allowlisted',
  allowlist: 'allowlisted',
  '4': 'allowlisted',
};

export function campaignReader(): FormatReader {
  let kind: 'log' | 'quarantine' | null = null;
  let c: Record<string, number> = {};
  return {
    line(text: string): LineResult {
      const f = csvFields(text);
      if (!f) return { kind: 'malformed', why: 'unclosed quote' };
      if (kind === null) {
        const h = new CsvHeader(f);
        c = {
          date: h.find('eventDate', 'date', 'tsEvent', 'lastErrorDate', 'tsLastError'),
          address: h.find('address', 'email', 'sAddress'),
          status: h.find('status', 'iStatus'),
          text: h.find('text', 'message', 'failureText', 'error', 'sText'),
          message: h.find('messageId', 'broadLogId', 'iMsgId', 'id'),
          delivery: h.find('delivery', 'deliveryLabel', 'deliveryId', 'iDeliveryId'),
          errors: h.find('errorCount', 'iErrorCount'),
        };
        if (c.address! < 0 || c.status! < 0)
          return { kind: 'malformed', why: 'header line without an address and a status column' };
        if (c.errors! >= 0) kind = 'quarantine';
        else if (c.date! < 0)
          return { kind: 'malformed', why: 'delivery-log header without an eventDate column' };
        else kind = 'log';
        return { kind: 'skip', why: `${kind} export header` };
      }
      const at = (i: number) => (i >= 0 ? (f[i] ?? '').trim() : '');
      const address = at(c.address!);
      if (!address) return { kind: 'malformed', why: 'empty address' };
      const statusText = at(c.status!).toLowerCase().replace(/\s/g, '');
      if (kind === 'quarantine') {
        const status = ADDRESS_STATUS[statusText];
        if (!status) return { kind: 'malformed', why: `unknown quarantine status '${at(c.status!)}'` };
        const n = Number(at(c.errors!) || '0');
        if (!Number.isInteger(n) || n < 0)
          return { kind: 'malformed', why: `errorCount '${at(c.errors!)}' is not a count` };
        return { kind: 'initial', initial: { address, status, errorCount: n } };
      }
      if (!(statusText in LOG_STATUS))
        return { kind: 'malformed', why: `unknown delivery status '${at(c.status!)}'` };
      const status = LOG_STATUS[statusText];
      if (!status) return { kind: 'skip', why: `status ${at(c.status!)}` };
      const epochMs = timeField(at(c.date!));
      if (Number.isNaN(epochMs))
        return { kind: 'malformed', why: `eventDate '${at(c.date!)}' is not a time` };
      const reply = at(c.text!).replace(/\r?\n/g, ' ');
      return {
        kind: 'records',
        records: [
          {
            epochMs,
            message: `${at(c.delivery!)}|${at(c.message!)}`,
            recipient: address,
            status,
            text: reply || (status === 'delivered' ? '250 Sent' : ''),
            remote: /^[2-5]\d\d\b/.test(reply),
            phase: status === 'delivered' ? 'data' : null,
            dsn: null,
            mxIp: null,
            localIp: null,
          },
        ],
      };
    },
  };
}
