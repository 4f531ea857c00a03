/**
 * A small MIME reader for bounce mails: walks multipart bodies by boundary, undoes base64 and
 * quoted-printable, decodes charsets with TextDecoder, and keeps report parts (`message/*`,
 * `text/rfc822-headers`) as text. About ten times faster than mailparser's simpleParser on the bounce
 * corpus (measured in scripts/bench-inmail.ts); mailparser remains the fallback when this throws.
 */
import { type FieldBlock, field, parseHeaderBlock } from './header-block.ts';
import { toLf } from './line-ends.ts';

/** A decoded leaf or report part. */
export interface FastPart {
  contentType: string;
  content: string;
}

/** What the fast reader gives: the same shape mail-view needs. */
export interface FastMail {
  header: FieldBlock;
  contentType: string;
  params: Record<string, string>;
  text: string;
  html: string;
  parts: FastPart[];
}

const MAX_DEPTH = 8;

/** `multipart/report; report-type=delivery-status; boundary="x"` → type and lower-case-keyed params. */
export function parseContentType(value: string | undefined): {
  type: string;
  params: Record<string, string>;
} {
  if (!value) return { type: 'text/plain', params: {} };
  const semi = value.indexOf(';');
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params: Record<string, string> = {};
  if (semi >= 0) {
    const re = /;\s*([A-Za-z0-9*_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
    const rest = value.slice(semi);
    for (let m = re.exec(rest); m; m = re.exec(rest)) params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  }
  return { type: type || 'text/plain', params };
}

/**
 * WHATWG index-windows-1252 for bytes 0x80-0x9F (https://encoding.spec.whatwg.org/index-windows-1252.txt):
 * Node 20's TextDecoder for windows-1252 and its labels (latin1, iso-8859-1, us-ascii) decodes
 * these bytes as C1 controls, so Outlook's `wasn=92t` became `wasn\u0092t` and no phrase with an
 * apostrophe matched. Applied only when the runtime's decoder has that bug.
 */
const CP1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const CP1252_BROKEN = new TextDecoder('windows-1252').decode(Buffer.from([0x92])) !== '\u2019';
const fixCp1252 = (s: string): string =>
  s.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]!);

const decoders = new Map<string, InstanceType<typeof TextDecoder> | null>();
function decoderFor(charset: string): InstanceType<typeof TextDecoder> | null {
  const key = charset.toLowerCase();
  let d = decoders.get(key);
  if (d === undefined) {
    try {
      d = new TextDecoder(key === 'unknown-8bit' || key === 'x-unknown' ? 'latin1' : key);
    } catch {
      d = null;
    }
    decoders.set(key, d);
  }
  return d;
}

/** Japanese mail is often labelled with one of these and written in another (raw EUC-JP or Shift_JIS in an ISO-2022-JP part). */
const JAPANESE = ['iso-2022-jp', 'euc-jp', 'shift_jis', 'windows-31j', 'cp932', 'x-sjis', 'sjis'];
/** What to try when the declared charset does not decode the bytes: UTF-8, then the same language's other encodings. */
function fallbacksFor(charset: string): readonly string[] {
  return JAPANESE.includes(charset.toLowerCase()) ? ['utf-8', 'euc-jp', 'shift_jis'] : ['utf-8'];
}

/**
 * Bytes (held as a latin1 string) to text in `charset`; UTF-8 when unnamed, latin1 when unknown or
 * invalid. When the declared charset leaves replacement characters (a mislabelled part), the first
 * fallback that decodes every byte wins; if none does, the declared charset's text is kept.
 */
export function decodeCharset(bytes: string, charset: string | undefined): string {
  // pure ASCII needs no decoding (most bounce text)
  if (!/[^\x00-\x7f]/.test(bytes) && !/\x1b/.test(bytes)) return bytes;
  const buf = Buffer.from(bytes, 'latin1');
  const d = decoderFor(charset || 'utf-8');
  if (!d) return bytes;
  let s = d.decode(buf);
  if (CP1252_BROKEN && d.encoding === 'windows-1252') s = fixCp1252(s);
  if (!s.includes('\uFFFD')) return s;
  if (!charset) return bytes;
  for (const alt of fallbacksFor(charset)) {
    if (alt === charset.toLowerCase()) continue;
    const t = decoderFor(alt)?.decode(buf);
    if (t !== undefined && !t.includes('\uFFFD')) return t;
  }
  return s;
}

/**
 * A header value written with raw 8-bit bytes (held as latin1) instead of encoded words: UTF-8 when
 * the bytes are valid UTF-8, ISO-2022-JP when escape sequences say so, else left as it is.
 */
export function decodeRawHeader(value: string): string {
  if (value.includes('\x1b')) return decodeCharset(value, 'iso-2022-jp');
  if (!/[\x80-\xff]/.test(value)) return value;
  return decodeCharset(value, undefined);
}

/** Undoes a Content-Transfer-Encoding; the result is bytes as a latin1 string. */
export function decodeTransfer(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
  if (enc === 'quoted-printable')
    return body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return body;
}

/** Decodes RFC 2047 encoded words (`=?utf-8?B?...?=`) in a header value. */
export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, cs: string, enc: string, data: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64').toString('latin1')
          : data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
      return decodeCharset(bytes, cs.split('*')[0]);
    });
}

const LOOSE_BOUNDARY = /^[ \t]*boundary[ \t]*=[ \t]*(?:"([^"\r\n]+)"|([^;\s]+))/im;

/**
 * The content type of a header block; a multipart type whose boundary parameter was written on a line
 * of its own without the folding white space (a common MTA bug) still gets its boundary.
 */
function contentTypeOf(header: FieldBlock, head: string): ReturnType<typeof parseContentType> {
  const ct = parseContentType(field(header, 'content-type'));
  if (ct.type.startsWith('multipart/') && !ct.params.boundary) {
    const m = LOOSE_BOUNDARY.exec(head);
    if (m) ct.params.boundary = m[1] ?? m[2] ?? '';
  }
  return ct;
}

function splitHeadBody(raw: string): [string, string] {
  const lf = raw.indexOf('\n\n');
  const crlf = raw.indexOf('\r\n\r\n');
  if (lf < 0 && crlf < 0) return [raw, ''];
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return [raw.slice(0, crlf), raw.slice(crlf + 4)];
  return [raw.slice(0, lf), raw.slice(lf + 2)];
}

/** Reads a mail held as a latin1 string (one char per byte), with LF, CRLF or CR-only line endings. */
export function readFastMail(raw: string): FastMail {
  const [head, body] = splitHeadBody(toLf(raw));
  const header = parseHeaderBlock(head);
  const { type, params } = contentTypeOf(header, head);
  const out: FastMail = { header, contentType: type, params, text: '', html: '', parts: [] };
  walk(header, type, params, body, out, 0);
  return out;
}

function walk(
  header: FieldBlock,
  type: string,
  params: Record<string, string>,
  body: string,
  out: FastMail,
  depth: number,
): void {
  const cte = field(header, 'content-transfer-encoding');
  if (type.startsWith('multipart/') && params.boundary && depth < MAX_DEPTH) {
    const parts = splitMultipart(body, params.boundary);
    if (parts) {
      for (const p of parts) {
        const [h, b] = splitHeadBody(p);
        const ph = /^\s*$/.test(h) && !/:/.test(h) ? new Map() : parseHeaderBlock(h);
        const ct = contentTypeOf(ph, h);
        walk(ph, ct.type, ct.params, /^\s*$/.test(h) && !/:/.test(h) ? b : b, out, depth + 1);
      }
      return;
    }
    // a boundary that never occurs: read the body as text
    out.text += `${decodeCharset(body, params.charset)}\n`;
    return;
  }
  const decoded = decodeTransfer(body, cte);
  if (type === 'text/plain' || type === 'text' || type === 'message/delivery-status') {
    const t = decodeCharset(decoded, params.charset);
    out.text += `${t}\n`;
    if (type === 'message/delivery-status') out.parts.push({ contentType: type, content: t });
    return;
  }
  if (type === 'text/html') {
    out.html += decodeCharset(decoded, params.charset);
    return;
  }
  if (type.startsWith('message/') || type === 'text/rfc822-headers') {
    out.parts.push({ contentType: type, content: decodeCharset(decoded, params.charset) });
    return;
  }
  if (type.startsWith('text/'))
    out.parts.push({ contentType: type, content: decodeCharset(decoded, params.charset) });
}

/** The parts of a multipart body, or null when the boundary never occurs. */
function splitMultipart(body: string, boundary: string): string[] | null {
  const delim = `--${boundary}`;
  let at = body.startsWith(delim) ? 0 : body.indexOf(`\n${delim}`);
  if (at < 0) return null;
  if (at > 0) at += 1;
  const parts: string[] = [];
  for (;;) {
    const lineEnd = body.indexOf('\n', at);
    if (body.startsWith(`${delim}--`, at) || lineEnd < 0) break;
    const next = body.indexOf(`\n${delim}`, lineEnd);
    const end = next < 0 ? body.length : next;
    parts.push(body.slice(lineEnd + 1, end > 0 && body[end - 1] === '\r' ? end - 1 : end));
    if (next < 0) break;
    at = next + 1;
  }
  return parts;
}
