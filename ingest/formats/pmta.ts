/**
 * PowerMTA accounting files in CSV (PowerMTA User's Guide, "Accounting records" and "Encoding": RFC
 * 4180 with a header line naming the columns, the record type first; https://jnotes.github.io/pmta-doc
 * and https://hackmd.io/@z3d3m0n/Pmta_records). Record types read: `d` delivered, `b` bounced, `t`
 * transient (a deferral; logged when configured); `tq`, `r`, `f`, `rb`, `rs` carry no delivery
 * attempt of ours and are skipped. Fields read: type, timeLogged (Unix time or a date-time), timeQueued,
 * orig, rcpt, dsnAction, dsnStatus, dsnDiag (`smtp;550 5.1.1 ...` is the remote reply; anything else
 * PowerMTA's own diagnostic), dlvSourceIp, dlvDestinationIp, jobId, envId.
 */
import type { FormatReader, LineResult, LoggedStatus } from '../record.ts';
import { CsvHeader, csvFields, timeField } from './csv-line.ts';

const STATUS: Record<string, LoggedStatus> = {
  d: 'delivered',
  delivery: 'delivered',
  b: 'bounced',
  bounce: 'bounced',
  t: 'deferred',
  transient: 'deferred',
};
const SKIPPED = new Set([
  'tq',
  'r',
  'f',
  'rb',
  'rs',
  'receipt',
  'feedback-loop',
  'remote-bounce',
  'remote-status',
]);

export function pmtaReader(): FormatReader {
  let header: CsvHeader | null = null;
  let cols: Record<string, number> = {};
  return {
    line(text: string): LineResult {
      const f = csvFields(text);
      if (!f) return { kind: 'malformed', why: 'unclosed quote' };
      if (!header) {
        if (f[0]?.trim().toLowerCase() !== 'type')
          return {
            kind: 'malformed',
            why: "no header line (the first column of an accounting CSV header is 'type')",
          };
        header = new CsvHeader(f);
        cols = {
          t: header.find('timeLogged'),
          queued: header.find('timeQueued'),
          orig: header.find('orig'),
          rcpt: header.find('rcpt'),
          status: header.find('dsnStatus'),
          diag: header.find('dsnDiag'),
          src: header.find('dlvSourceIp'),
          dst: header.find('dlvDestinationIp', 'dlvDesintationIp'),
          job: header.find('jobId'),
          env: header.find('envId'),
        };
        const missing = ['timeLogged', 'rcpt'].filter((_n, i) => [cols.t, cols.rcpt][i]! < 0);
        if (missing.length) return { kind: 'malformed', why: `header without ${missing.join(', ')}` };
        return { kind: 'skip', why: 'header line' };
      }
      const type = (f[0] ?? '').trim().toLowerCase();
      if (type === 'type') return { kind: 'skip', why: 'header line' };
      if (SKIPPED.has(type)) return { kind: 'skip', why: `pmta ${type} record` };
      const status = STATUS[type];
      if (!status) return { kind: 'malformed', why: `unknown record type '${f[0]}'` };
      const at = (i: number) => (i >= 0 ? (f[i] ?? '').trim() : '');
      const recipient = at(cols.rcpt!);
      if (!recipient) return { kind: 'malformed', why: 'empty rcpt' };
      const epochMs = timeField(at(cols.t!));
      if (Number.isNaN(epochMs))
        return { kind: 'malformed', why: `timeLogged '${at(cols.t!)}' is not a time` };
      const diag = at(cols.diag!);
      const smtp = /^smtp;\s*(.*)$/i.exec(diag);
      const remote = smtp !== null && /^[2-5]\d\d\b/.test(smtp[1]!);
      const message = [at(cols.job!), at(cols.env!), at(cols.queued!), at(cols.orig!)].join('|');
      return {
        kind: 'records',
        records: [
          {
            epochMs,
            message,
            recipient,
            status,
            text: smtp ? smtp[1]! : diag.replace(/^[a-z-]+;\s*/i, ''),
            remote,
            phase: status === 'delivered' ? 'data' : null,
            dsn: at(cols.status!) || null,
            mxIp: at(cols.dst!) || null,
            localIp: at(cols.src!) || null,
          },
        ],
      };
    },
  };
}
