/**
 * The delivery log qualification table (SPEC §6.1): one entry per normalised remote error text, with
 * the first raw text seen, an occurrence count (capped), a type and reason, and a status:
 * `toQualify` (nothing matched: an operator must qualify it), `keep` (qualified, fed to the rules),
 * `ignore` (never touches the address). The MTA calls `record()` after each qualification; it returns
 * the qualification to apply (impact forced to none for an `ignore` entry).
 * Export/import as JSON and CSV (store/schema.sql `qualification` columns) and `entriesToRuleFile`
 * turn reviewed entries into a rule file (node/rule-yaml.ts writes it as YAML).
 */
import { FAILURE_TYPES, type FailureType, type Qualification } from '../types.ts';
import { NormalizeCache } from './normalize-cache.ts';
import { normalizeText, VARIABLE } from './normalize-text.ts';

import { TABLE_STATUSES, type TableStatus } from './table-status.ts';

export { TABLE_STATUSES, type TableStatus };

/** One entry; field names follow the run store's `qualification` table. */
export interface TableEntry {
  normalized: string;
  firstText: string;
  occurrences: number;
  type: FailureType;
  reason: number;
  status: TableStatus;
}

/** Settings of the table. */
export interface QualificationTableOptions {
  /** occurrence counter cap; default 100,000 (SPEC §6.1) */
  occurrenceCap?: number;
  /** normalised texts remembered, shared between replies that differ only in the address; default 20,000 */
  normalizeCacheSize?: number;
}

/** The default occurrence cap. */
export const DEFAULT_OCCURRENCE_CAP = 100_000;
/** The default size of the normalisation memo. */
export const DEFAULT_NORMALIZE_CACHE_SIZE = 20_000;

const STATUSES: readonly TableStatus[] = TABLE_STATUSES;
const TYPES: readonly FailureType[] = FAILURE_TYPES;

/** The qualification table of a run. */
export class QualificationTable {
  readonly occurrenceCap: number;
  private readonly entries = new Map<string, TableEntry>();
  private readonly ignored = new WeakMap<Qualification, Qualification>();
  private readonly normalizer: NormalizeCache;
  private anyIgnore: boolean | null = false;

  constructor(options: QualificationTableOptions = {}) {
    this.occurrenceCap = options.occurrenceCap ?? DEFAULT_OCCURRENCE_CAP;
    this.normalizer = new NormalizeCache(options.normalizeCacheSize ?? DEFAULT_NORMALIZE_CACHE_SIZE);
  }

  /**
   * Records one failure text and its qualification; returns the qualification to apply. Successes
   * (impact `ok`) are not recorded. Not defined texts enter as `toQualify`, others as `keep`; a
   * `toQualify` entry becomes `keep` when a later qualification (e.g. after a rule update) qualifies it.
   */
  record(text: string, q: Qualification): Qualification {
    if (q.impact === 'ok') return q;
    const key = this.normalizer.normalize(text);
    let e = this.entries.get(key);
    if (!e) {
      e = {
        normalized: key,
        firstText: text,
        occurrences: 0,
        type: q.type,
        reason: q.reason,
        status: q.type === 'undefined' ? 'toQualify' : 'keep',
      };
      this.entries.set(key, e);
    } else if (e.status === 'toQualify' && q.type !== 'undefined') {
      e.type = q.type;
      e.reason = q.reason;
      e.status = 'keep';
    }
    if (e.occurrences < this.occurrenceCap) e.occurrences++;
    if (e.status !== 'ignore' || q.impact === 'none') return q;
    let o = this.ignored.get(q);
    if (!o) {
      o = Object.freeze({ ...q, impact: 'none' as const });
      this.ignored.set(q, o);
    }
    return o;
  }

  /** The entry of a text (normalised here), if any. */
  get(text: string): TableEntry | undefined {
    return this.entries.get(normalizeText(text));
  }

  /**
   * Sets the status (and optionally type and reason) of the entry of a text; false if absent.
   * `occurrences` sets the count (capped), e.g. 0 to reset it: seed 000 line 252 "Vous pouvez
   * modifier le champ si vous le souhaitez, par exemple pour le réinitialiser".
   */
  review(
    text: string,
    status: TableStatus,
    qualification?: { type: FailureType; reason: number },
    occurrences?: number,
  ): boolean {
    const e = this.get(text);
    if (!e) return false;
    e.status = status;
    this.anyIgnore = null;
    if (qualification) {
      e.type = qualification.type;
      e.reason = qualification.reason;
    }
    if (occurrences !== undefined) e.occurrences = Math.min(Math.max(0, occurrences), this.occurrenceCap);
    return true;
  }

  /**
   * The qualification to apply to a text that is not counted here (a bounce mail's diagnostic): the
   * same, with impact none when its entry is `ignore` (SPEC §6.1: "le mail rebond est ignoré par le
   * MTA ... ne provoquera jamais la mise en quarantaine", seed 000 line 258).
   */
  apply(text: string, q: Qualification): Qualification {
    if (q.impact === 'ok' || q.impact === 'none' || !this.hasIgnore()) return q;
    const e = this.entries.get(this.normalizer.normalize(text));
    if (e?.status !== 'ignore') return q;
    let o = this.ignored.get(q);
    if (!o) {
      o = Object.freeze({ ...q, impact: 'none' as const });
      this.ignored.set(q, o);
    }
    return o;
  }

  /** whether some entry is `ignore` (recounted after a review or a load; `record` never sets it) */
  private hasIgnore(): boolean {
    if (this.anyIgnore === null) {
      this.anyIgnore = false;
      for (const e of this.entries.values()) if (e.status === 'ignore') this.anyIgnore = true;
    }
    return this.anyIgnore;
  }

  /** number of entries */
  get size(): number {
    return this.entries.size;
  }

  /** All entries, most frequent first (copies). */
  list(): TableEntry[] {
    return [...this.entries.values()].map((e) => ({ ...e })).sort((a, b) => b.occurrences - a.occurrences);
  }

  /** Entries still to qualify, most frequent first. */
  toQualify(): TableEntry[] {
    return this.list().filter((e) => e.status === 'toQualify');
  }

  /** Adds or replaces entries (e.g. a reviewed export); occurrences are capped. */
  load(entries: readonly TableEntry[]): void {
    this.anyIgnore = null;
    for (const e of entries)
      this.entries.set(e.normalized, { ...e, occurrences: Math.min(e.occurrences, this.occurrenceCap) });
  }

  /** JSON export: an array of entries. */
  toJSON(): TableEntry[] {
    return this.list();
  }

  /** CSV export with a header line; fields quoted as needed (RFC 4180). */
  toCsv(): string {
    const head = 'normalized,first_text,occurrences,type,reason,status';
    const rows = this.list().map((e) =>
      [e.normalized, e.firstText, e.occurrences, e.type, e.reason, e.status].map(csvField).join(','),
    );
    return `${[head, ...rows].join('\r\n')}\r\n`;
  }
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Splits CSV text into rows of fields (RFC 4180 quoting). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A bad table import; the message names the source, the row and the field. */
export class TableImportError extends Error {
  readonly code = 'MXLAB_DATA';
  readonly exitCode = 2;
}

function checkEntry(e: Partial<Record<keyof TableEntry, unknown>>, where: string): TableEntry {
  const bad = (field: string, msg: string) => new TableImportError(`${where}: ${field}: ${msg}`);
  if (typeof e.normalized !== 'string' || !e.normalized) throw bad('normalized', 'expected a non-empty text');
  if (typeof e.firstText !== 'string') throw bad('first_text', 'expected a text');
  const occ = Number(e.occurrences);
  if (!Number.isInteger(occ) || occ < 0) throw bad('occurrences', 'expected a whole number >= 0');
  if (!TYPES.includes(e.type as FailureType)) throw bad('type', `expected one of ${TYPES.join(', ')}`);
  const reason = Number(e.reason);
  if (!Number.isInteger(reason) || reason < 0 || reason > 255)
    throw bad('reason', 'expected a reason value 0..255');
  if (!STATUSES.includes(e.status as TableStatus))
    throw bad('status', `expected one of ${STATUSES.join(', ')}`);
  return {
    normalized: e.normalized,
    firstText: e.firstText,
    occurrences: occ,
    type: e.type as FailureType,
    reason,
    status: e.status as TableStatus,
  };
}

/** Reads entries from a CSV export (header required); errors name `source:row: field`. */
export function entriesFromCsv(text: string, source = 'csv'): TableEntry[] {
  const [head, ...rows] = parseCsv(text).filter((r) => r.some((f) => f !== ''));
  const want = ['normalized', 'first_text', 'occurrences', 'type', 'reason', 'status'];
  if (!head || want.some((w, i) => head[i] !== w))
    throw new TableImportError(`${source}:1: header: expected ${want.join(',')}`);
  return rows.map((r, i) =>
    checkEntry(
      { normalized: r[0], firstText: r[1], occurrences: r[2], type: r[3], reason: r[4], status: r[5] },
      `${source}:row ${i + 2}`,
    ),
  );
}

/** Reads entries from a JSON export; errors name `source[i]: field`. */
export function entriesFromJson(text: string, source = 'json'): TableEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new TableImportError(`${source}: not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(data)) throw new TableImportError(`${source}: expected an array of entries`);
  return data.map((e, i) => checkEntry((e ?? {}) as Record<string, unknown>, `${source}[${i}]`));
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An inbound rule file's value as `entriesToRuleFile` builds it (the rule file schema validates it). */
export interface TableRuleFile {
  description: string;
  rules: Record<string, unknown>[];
}

/**
 * Turns reviewed entries (status `keep` with a type other than `undefined`, or `ignore`) into an
 * inbound rule file: the normalised text after its codes, with `#xxx#` and `*` as wildcards.
 * `ignore` entries become Ignored rules with impact none.
 */
export function entriesToRuleFile(entries: readonly TableEntry[], prefix = 'table'): TableRuleFile {
  const rules = entries
    .filter((e) => (e.status === 'keep' && e.type !== 'undefined') || e.status === 'ignore')
    .map((e, i) => {
      const body = e.normalized.replace(/^[2-5]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3}\s*)?/, '').trim();
      const regex = body
        .split(/(#xxx#|\*)/)
        .map((part) => (part === VARIABLE ? '\\S+' : part === '*' ? '\\S+' : escapeRegex(part)))
        .join('');
      const rule: Record<string, unknown> = { name: `${prefix}_${i + 1}`, regex: regex || '.*' };
      const code = /^([2-5]\d\d)/.exec(e.normalized);
      if (code) rule.codes = Number(code[1]);
      if (e.status === 'ignore') Object.assign(rule, { type: 'ignored', reason: e.reason, impact: 'none' });
      else Object.assign(rule, { type: e.type, reason: e.reason });
      return rule;
    });
  return { description: 'Rules made from reviewed qualification table entries', rules };
}
