/**
 * What every log format reads into: one delivery attempt of one message to one recipient, as the
 * MTA logged it. The store builder (build-store.ts) qualifies `text` with the chosen rules; the
 * formats only say what the log says.
 */
import type { SmtpPhase } from '../core/types.ts';

/** What the MTA did with the recipient at this attempt. */
export type LoggedStatus = 'delivered' | 'deferred' | 'bounced' | 'expired';

export interface IngestRecord {
  /** epoch milliseconds of the log line */
  epochMs: number;
  /** the message the attempt belongs to (queue id, spool id, ...); retries share it */
  message: string;
  recipient: string;
  status: LoggedStatus;
  /** the remote reply (with its code) when `remote`, else the MTA's own diagnostic ('' when none) */
  text: string;
  remote: boolean;
  /** the phase the reply answered, when the log says */
  phase: SmtpPhase | null;
  /** the DSN status the MTA logged (`5.1.1`), or null */
  dsn: string | null;
  mxIp: string | null;
  localIp: string | null;
}

/** A Campaign-style quarantine export row: the table before the log starts. */
export interface InitialStatus {
  address: string;
  status: 'quarantine' | 'denylisted' | 'allowlisted' | 'withErrors' | 'valid';
  /** the export's error counter (With errors keeps counting from it) */
  errorCount: number;
}

/** What a format made of one input line. */
export type LineResult =
  | { kind: 'records'; records: IngestRecord[] }
  | { kind: 'initial'; initial: InitialStatus }
  /** a line that carries no delivery attempt (a connection, a queue event, a header): counted */
  | { kind: 'skip'; why: string }
  /** a line the format cannot read: counted and shown with its line number */
  | { kind: 'malformed'; why: string };

/** A format's reader: stateful per file (a CSV header, a year), one call per line. */
export interface FormatReader {
  line(text: string, lineNo: number): LineResult;
}

/** The formats `mxlab ingest` reads. */
export const FORMATS = ['postfix', 'exim', 'sendmail', 'kumomta', 'pmta', 'campaign'] as const;
export type FormatName = (typeof FORMATS)[number];

/** `user@Example.COM` -> `example.com`; '' without an @. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}
