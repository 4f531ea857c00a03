/**
 * Turns raw bytes into what the detectors read: the top header fields, the subject, all readable text
 * (text parts, `message/delivery-status` rendered inline) and the attached parts (`message/rfc822`,
 * `text/rfc822-headers`, `message/feedback-report`) as text. mailparser does the MIME work (transfer
 * encodings, charsets); the header block is read from the bytes so no field is lost.
 */
import { simpleParser } from 'mailparser';
import { decodeRawHeader, decodeWords, readFastMail } from './fast-mime.ts';
import { type FieldBlock, field, parseHeaderBlock } from './header-block.ts';
import { toLfBytes } from './line-ends.ts';

/** An attached part, decoded to text (latin1 for bytes that are not UTF-8). */
export interface MailPart {
  /** lower-case MIME type, e.g. `message/rfc822` */
  contentType: string;
  content: string;
}

/** What the detectors read from one mail. */
export interface MailView {
  header: FieldBlock;
  subject: string;
  /** lower-case `report-type` parameter of a top-level multipart/report, or '' */
  reportType: string;
  /** the readable text of the mail (text parts joined, HTML turned into text when there is no text part) */
  text: string;
  parts: MailPart[];
}

function decodeBuffer(buf: Buffer): string {
  const s = buf.toString('utf8');
  return s.includes('\uFFFD') ? buf.toString('latin1') : s;
}

/** The named character references bounce HTML uses (HTML Living Standard §13.5); others stay as written. */
const NAMED: Readonly<Record<string, string>> = {
  nbsp: ' ',
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  ndash: '\u2013',
  mdash: '\u2014',
};

/** One pass over character references, so `&amp;lt;` stays `&lt;`: numeric (`&#39;`, `&#x27;`) and {@link NAMED}. */
function decodeEntities(s: string): string {
  return s.replace(
    /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,8}));/gi,
    (m, dec?: string, hex?: string, name?: string) => {
      if (name !== undefined) {
        const k = name.toLowerCase();
        return Object.hasOwn(NAMED, k) ? NAMED[k]! : m;
      }
      const cp = dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16);
      return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : m;
    },
  );
}

/** Text of an HTML body: line breaks at block ends, tags dropped, character references decoded. */
function tagsToText(html: string): string {
  return decodeEntities(html.replace(/<(?:br|\/p|\/div|\/tr|\/li)[^>]*>/gi, '\n').replace(/<[^>]+>/g, ''));
}

/** {@link tagsToText} without the contents of style and script blocks (the fast reader's rule). */
function htmlToText(html: string): string {
  return tagsToText(html.replace(/<(?:style|script)[^>]*>[\s\S]*?<\/(?:style|script)>/gi, ''));
}

/** Reads a mail with the fast MIME reader (the default). Throws only on a bug in the reader. */
export function viewMailFast(data: Buffer): MailView {
  const m = readFastMail(data.toString('latin1'));
  const text = m.text.trim() ? m.text : htmlToText(m.html);
  const subject = decodeWords(decodeRawHeader(field(m.header, 'subject') ?? ''));
  const reportType =
    m.contentType === 'multipart/report' ? (m.params['report-type'] ?? '').toLowerCase() : '';
  return { header: m.header, subject, reportType, text, parts: m.parts };
}

/** Parses a mail with mailparser (slower; the fallback). Never throws on content; an I/O-level failure of the parser rejects. */
export async function viewMail(bytes: Buffer): Promise<MailView> {
  const data = toLfBytes(bytes);
  const headEnd = data.indexOf('\n\n') >= 0 ? data.indexOf('\n\n') : data.indexOf('\r\n\r\n');
  const headText = data.subarray(0, headEnd < 0 ? Math.min(data.length, 65536) : headEnd).toString('latin1');
  const header = parseHeaderBlock(headText);
  const parsed = await simpleParser(data, {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    maxHtmlLengthToParse: 1_000_000,
  });
  const ct = parsed.headers.get('content-type') as
    | { value?: string; params?: Record<string, string> }
    | undefined;
  const reportType =
    ct && typeof ct === 'object' && ct.value?.toLowerCase() === 'multipart/report'
      ? (ct.params?.['report-type'] ?? '').toLowerCase()
      : '';
  let text = parsed.text ?? '';
  if (!text.trim() && typeof parsed.html === 'string') {
    text = tagsToText(parsed.html);
  }
  if (!text.trim() && parsed.attachments.length === 0 && headEnd >= 0) {
    // a broken MIME structure (e.g. a boundary that never occurs) hides the body: read it as it is
    text = decodeBuffer(data.subarray(headEnd));
  }
  const parts: MailPart[] = [];
  for (const a of parsed.attachments ?? []) {
    const type = (a.contentType ?? '').toLowerCase();
    if (
      type.startsWith('message/') ||
      type.startsWith('text/') ||
      type === 'application/octet-stream' ||
      type === ''
    ) {
      parts.push({ contentType: type, content: decodeBuffer(a.content) });
    }
  }
  if (!parts.some((p) => p.contentType === 'message/rfc822' || p.contentType === 'text/rfc822-headers')) {
    // mailparser folds an inline message/rfc822 part into the text: find its header in the raw bytes
    const raw = data.toString('latin1');
    const re =
      /^Content-Type:[ \t]*(message\/rfc822|text\/rfc822-headers)\b[^\n]*\n(?:[^\n]*\S[^\n]*\n)*?[ \t]*\r?\n/gim;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      const start = m.index + m[0].length;
      const end = raw.indexOf('\n\n', start);
      const endCr = raw.indexOf('\r\n\r\n', start);
      const stop = [end, endCr].filter((x) => x >= 0).reduce((a, b) => Math.min(a, b), raw.length);
      parts.push({ contentType: m[1]!.toLowerCase(), content: raw.slice(start, stop) });
    }
  }
  const subject = parsed.subject ?? '';
  return { header, subject, reportType, text, parts };
}
