/**
 * Reads the input files of `mxlab ingest` line by line through a format's reader, keeping every
 * record, and counting (never dropping silently) what is skipped and what is malformed, with the
 * line numbers of the first malformed lines.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { campaignReader } from './formats/campaign.ts';
import { kumomtaReader } from './formats/kumomta.ts';
import { pmtaReader } from './formats/pmta.ts';
import { syslogReader } from './formats/syslog.ts';
import type { FormatName, FormatReader, IngestRecord, InitialStatus } from './record.ts';

/** A malformed line: where, why, and its start. */
export interface BadLine {
  file: string;
  line: number;
  why: string;
  text: string;
}

export interface ReadResult {
  records: IngestRecord[];
  initial: InitialStatus[];
  /** lines read (blank lines and `#` comments not counted) */
  lines: number;
  /** lines that gave records */
  used: number;
  skipped: Map<string, number>;
  malformed: number;
  /** the first `keepBad` malformed lines */
  bad: BadLine[];
}

export interface ReadOptions {
  /** year of syslog time stamps without one (default: this year, UTC) */
  year?: number;
  /** malformed lines kept for the message (default 20) */
  keepBad?: number;
}

/** A fresh reader of `format` (one per file: CSV headers are per file). */
export function readerOf(format: FormatName, year: number): FormatReader {
  switch (format) {
    case 'postfix':
    case 'exim':
    case 'sendmail':
      return syslogReader(format, year);
    case 'kumomta':
      return kumomtaReader();
    case 'pmta':
      return pmtaReader();
    case 'campaign':
      return campaignReader();
  }
}

/** Reads `files` (each opened before reading, so a missing one fails at once). */
export async function readFiles(
  format: FormatName,
  files: string[],
  opts: ReadOptions = {},
): Promise<ReadResult> {
  const year = opts.year ?? new Date().getUTCFullYear();
  const keepBad = opts.keepBad ?? 20;
  const res: ReadResult = {
    records: [],
    initial: [],
    lines: 0,
    used: 0,
    skipped: new Map(),
    malformed: 0,
    bad: [],
  };
  for (const file of files) {
    const input = createReadStream(file);
    await new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', (e: NodeJS.ErrnoException) =>
        reject(Object.assign(new Error(`${file}: cannot read (${e.code ?? e.message})`), { exitCode: 2 })),
      );
    });
    const reader = readerOf(format, year);
    const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let n = 0;
    for await (const line of rl) {
      n++;
      if (line.trim() === '' || line.startsWith('#')) continue;
      res.lines++;
      const r = reader.line(line, n);
      if (r.kind === 'records') {
        res.used++;
        for (const x of r.records) res.records.push(x);
      } else if (r.kind === 'initial') {
        res.used++;
        res.initial.push(r.initial);
      } else if (r.kind === 'skip') res.skipped.set(r.why, (res.skipped.get(r.why) ?? 0) + 1);
      else {
        res.malformed++;
        if (res.bad.length < keepBad) res.bad.push({ file, line: n, why: r.why, text: line.slice(0, 160) });
      }
    }
  }
  return res;
}
