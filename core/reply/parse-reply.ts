/**
 * SMTP reply parsing (RFC 5321 §4.2, enhanced status codes RFC 3463 / RFC 2034).
 * Never throws: anything that is not a reply (empty, no code, binary bytes, a huge line) comes back
 * with `parseable: false` and the (truncated, whitespace-folded) input as `text`, so rules can still
 * look at it.
 */
import type { ParsedReply } from '../types.ts';

/** Settings of the parser. */
export interface ParseReplyOptions {
  /** input longer than this (characters) is truncated and reported unparseable; default 4096 */
  maxLength?: number;
}

/** Default cap on the input length (characters). RFC 5321 caps a reply line at 512 octets. */
export const DEFAULT_MAX_REPLY_LENGTH = 4096;

const LINE_RE = /^([2-5]\d\d)(?:([ -])(.*))?$/s;
const ENHANCED_RE = /^([245])\.(\d{1,3})\.(\d{1,3})(?=$|[\s,;:)\]])/;
const BINARY_RE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Turns bytes into text: UTF-8 when valid, Latin-1 otherwise (old European MTAs). */
function decode(bytes: Uint8Array, max: number): string {
  const slice = bytes.length > max ? bytes.subarray(0, max) : bytes;
  try {
    return UTF8.decode(slice);
  } catch {
    return Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString('latin1');
  }
}

/** Folds runs of whitespace into one space and trims. */
export function foldSpace(s: string): string {
  // fast path: most replies have single spaces only, and replacing each of them costs microseconds
  return NEEDS_FOLD.test(s) ? s.replace(/\s+/g, ' ').trim() : s.trim();
}
const NEEDS_FOLD = /[^\S ]| {2}/;

/**
 * Reads an enhanced status code at the start of `s` (`5.1.1`, `4.16.55`, `5.9.123`).
 * Returns the code and the rest of the text, or null.
 */
export function readEnhanced(s: string): { enhanced: string; rest: string } | null {
  const m = ENHANCED_RE.exec(s);
  if (!m) return null;
  let rest = s.slice(m[0].length);
  if (rest.startsWith(',') || rest.startsWith(':') || rest.startsWith(';')) rest = rest.slice(1);
  return { enhanced: `${m[1]}.${Number(m[2])}.${Number(m[3])}`, rest };
}

function unparseable(raw: string): ParsedReply {
  return {
    parseable: false,
    code: null,
    enhanced: null,
    text: foldSpace(raw.replace(BINARY_RE_G, ' ')),
    raw,
  };
}
const BINARY_RE_G = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/g;

/** Enhanced codes as strings, interned by their numeric value (the fast path allocates none). */
const enhancedNames = new Map<number, string>();

function enhancedName(d: number, a: number, b: number): string {
  const key = (d * 1000 + a) * 1000 + b;
  let name = enhancedNames.get(key);
  if (name === undefined) {
    if (enhancedNames.size >= 4096) enhancedNames.clear();
    name = `${d}.${a}.${b}`;
    enhancedNames.set(key, name);
  }
  return name;
}

/**
 * What the fast path leaves to the general parser: control characters (line breaks, tabs, binary),
 * whitespace of `\s` / `trim()` above ASCII, U+FFFD, and runs of spaces (to be folded). One regex
 * test is about twice as fast as the same check char by char here.
 */
const NOT_SIMPLE = /[\x00-\x1f\x7f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\ufffd]| {2}/;

/** Reads 1-3 digits at `i`; returns the value * 4 + count, or -1 (no allocation). */
function digits(s: string, i: number): number {
  let v = 0;
  let k = 0;
  while (k < 4 && i + k < s.length) {
    const d = s.charCodeAt(i + k) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    k++;
  }
  return k >= 1 && k <= 3 ? v * 4 + k : -1;
}

/**
 * The common shape, `DDD[ -][D.D.D[,:;]] text` on one line with single spaces and nothing to clean,
 * parsed with index arithmetic and no intermediate strings; null for anything else (the general
 * parser then decides). Gives exactly what the general parser gives for the texts it accepts.
 */
function parseSimple(raw: string): ParsedReply | null {
  const n = raw.length;
  if (n < 3) return null;
  const c0 = raw.charCodeAt(0) - 48;
  const c1 = raw.charCodeAt(1) - 48;
  const c2 = raw.charCodeAt(2) - 48;
  if (c0 < 2 || c0 > 5 || c1 < 0 || c1 > 9 || c2 < 0 || c2 > 9) return null;
  const code = c0 * 100 + c1 * 10 + c2;
  if (n === 3) return { parseable: true, code, enhanced: null, text: '', raw };
  const sep = raw.charCodeAt(3);
  if (sep !== 32 && sep !== 45) return null;
  if (NOT_SIMPLE.test(raw)) return null;
  let i = 4;
  if (i < n && raw.charCodeAt(i) === 32) i++;
  let enhanced: string | null = null;
  const d = raw.charCodeAt(i) - 48;
  if ((d === 2 || d === 4 || d === 5) && raw.charCodeAt(i + 1) === 46) {
    const a = digits(raw, i + 2);
    if (a >= 0) {
      const j = i + 2 + (a & 3);
      if (raw.charCodeAt(j) === 46) {
        const b = digits(raw, j + 1);
        if (b >= 0) {
          const k = j + 1 + (b & 3);
          const f = k < n ? raw.charCodeAt(k) : -1;
          // lookahead of the general parser: end, space or one of , ; : ) ]
          if (f === -1 || f === 32 || f === 44 || f === 59 || f === 58 || f === 41 || f === 93) {
            enhanced = enhancedName(d, a >> 2, b >> 2);
            i = f === 44 || f === 58 || f === 59 ? k + 1 : k;
          }
        }
      }
    }
  }
  if (i < n && raw.charCodeAt(i) === 32) i++;
  let end = n;
  if (end > i && raw.charCodeAt(end - 1) === 32) end--;
  return { parseable: true, code, enhanced, text: i >= end ? '' : raw.slice(i, end), raw };
}

/**
 * Parses one SMTP reply, single or multi-line (`550-5.1.1 a\r\n550 5.1.1 b`, CRLF or LF).
 * `text` joins the lines' texts with one space, with the code and enhanced code of every line removed.
 */
export function parseReply(input: string | Uint8Array, options: ParseReplyOptions = {}): ParsedReply {
  const max = options.maxLength ?? DEFAULT_MAX_REPLY_LENGTH;
  if (typeof input === 'string' && input.length <= max) {
    const simple = parseSimple(input);
    if (simple) return simple;
  }
  let raw: string;
  if (typeof input === 'string') raw = input.length > max ? input.slice(0, max) : input;
  else if (input instanceof Uint8Array) raw = decode(input, max);
  else return unparseable('');
  const tooLong = (typeof input === 'string' ? input.length : input.length) > max;
  if (tooLong || raw.length === 0 || BINARY_RE.test(raw)) return unparseable(raw);

  const lines = raw.split(/\r\n|\n|\r/);
  while (lines.length > 1 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const first = LINE_RE.exec(lines[0]!.trimStart());
  if (!first) return unparseable(raw);
  const code = Number(first[1]);
  let enhanced: string | null = null;
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = i === 0 ? lines[0]!.trimStart() : lines[i]!;
    const m = LINE_RE.exec(line);
    // a continuation line without its code is kept as plain text (lenient, some servers do it)
    let body = m && Number(m[1]) === code ? (m[3] ?? '') : line;
    body = body.trimStart();
    const e = readEnhanced(body);
    if (e && (enhanced === null || e.enhanced === enhanced)) {
      enhanced ??= e.enhanced;
      body = e.rest;
    }
    body = foldSpace(body);
    if (body) parts.push(body);
  }
  return { parseable: true, code, enhanced, text: parts.join(' '), raw };
}
