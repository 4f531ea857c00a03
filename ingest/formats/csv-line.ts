/** One CSV record per line (RFC 4180 quoting; a field may not span lines), read by a header. */
import { parseCsv } from '../../core/qualification/qualification-table.ts';

/** The fields of one line, or null when its quotes do not close. */
export function csvFields(line: string): string[] | null {
  let quotes = 0;
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === 34) quotes++;
  if (quotes % 2 === 1) return null;
  return parseCsv(line)[0] ?? [''];
}

/** A header: column index by any of its accepted names (case and `_`/space-insensitive). */
export class CsvHeader {
  private readonly index = new Map<string, number>();
  constructor(readonly names: string[]) {
    names.forEach((n, i) => {
      this.index.set(norm(n), i);
    });
  }
  /** index of the first of `aliases` present, or -1 */
  find(...aliases: string[]): number {
    for (const a of aliases) {
      const i = this.index.get(norm(a));
      if (i !== undefined) return i;
    }
    return -1;
  }
}

function norm(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s_@-]/g, '');
}

/** A time field: Unix seconds, or an ISO-like date-time (no zone: UTC). */
export function timeField(s: string | undefined): number {
  const v = (s ?? '').trim();
  if (v === '') return Number.NaN;
  if (/^\d+(?:\.\d+)?$/.test(v)) return Number(v) * 1000;
  const iso = v.replace(' ', 'T').replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  return Date.parse(/(?:Z|[+-]\d\d:\d\d)$/.test(iso) ? iso : `${iso}Z`);
}
