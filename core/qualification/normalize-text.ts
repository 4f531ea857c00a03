/**
 * The normaliser of the delivery log qualification table (SPEC §6.1): variable parts of a remote
 * error text are replaced so that one entry gathers all failures of one kind. Email addresses (and
 * `<...@...>`) become `*`; IP addresses, dates, times, hex ids, long identifiers mixing letters and
 * digits, phone numbers and standalone numbers become `#xxx#`; whitespace is folded. The leading
 * reply code, RFC 3463 enhanced codes and the reply code before one (`550-5.1.1`, the head of each
 * line of a multi-line reply, RFC 5321 §4.2.1) are kept: they are the meaning, not a variable.
 * Idempotent: normalising a normalised text changes nothing. The result never holds a NUL.
 */

/** Marker of a variable part. */
export const VARIABLE = '#xxx#';
/** Input beyond this many characters is cut before normalising. */
export const MAX_NORMALIZE_LENGTH = 4096;

const REPLACEMENTS: readonly [RegExp, string][] = [
  // <anything@anything> and bare addresses
  [/<[^<>\s]*@[^<>\s]*>/g, '*'],
  [/[^\s<>()[\]{},;:"'@]+@[^\s<>()[\]{},;:"'@]+/g, '*'],
  // URLs keep their host, lose their query (ids, ips, tokens)
  [/(https?:\/\/[^\s?#]+)[?#]\S*/gi, '$1'],
  // IPv6 (at least three groups with ::) and IPv4 (optionally with a port)
  [/\b(?:[0-9a-f]{1,4}:){2,7}(?::|[0-9a-f]{1,4})(?::[0-9a-f]{1,4})*\b/gi, VARIABLE],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, VARIABLE],
  // dates: 2021-04-26, 26/04/2021, 4/26/2021; Mon, 26 Apr 2021; times 07:00[:12][.123]
  [/\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, VARIABLE],
  [/\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g, VARIABLE],
  [/\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+/gi, ''],
  [/\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{2,4}\b/gi, VARIABLE],
  [
    /\b\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\s*(?:am|pm))?(?:\s*(?:[+-]\d{4}|utc|gmt|[a-z]{3}t))?\b/gi,
    VARIABLE,
  ],
  // phone numbers: +33 1 23 45 67 89, (555) 123-4567
  [/\+?\(?\d{2,4}\)?(?:[ .-]\d{2,4}){2,5}\b/g, VARIABLE],
  // hex ids of 8+ characters with a digit, long mixed identifiers (queue ids, server names)
  [/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, VARIABLE],
  [/\b(?=\w*\d)(?=\w*[a-z])[\w-]{10,}\b/gi, VARIABLE],
];

const CODE_HEAD = /^([2-5]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3}\b)?)/;
/** an enhanced code, with the reply code that heads it on a continuation line (`550-5.1.1`) */
const ENHANCED = /\b(?:[2-5]\d\d[ -])?[245]\.\d{1,3}\.\d{1,3}\b/g;
/** a number; never one right after a NUL, which is the index inside a kept code's placeholder */
const NUMBER = /(?<![\w#.\u0000])[-+]?\d+(?:[.,]\d+)*(?![\w#])/g;

function step(s: string): string {
  let head = '';
  const m = CODE_HEAD.exec(s);
  if (m) {
    head = m[1]!;
    s = s.slice(head.length);
  }
  for (const [re, to] of REPLACEMENTS) s = s.replace(re, to);
  // keep enhanced codes: protect them from the number rule (as `NUL index NUL`: the input holds no NUL)
  const kept: string[] = [];
  s = s.replace(ENHANCED, (e) => {
    kept.push(e);
    return `\u0000${kept.length - 1}\u0000`;
  });
  s = s.replace(NUMBER, VARIABLE);
  s = s.replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)]!);
  // runs of markers collapse into one
  s = s.replace(/#xxx#(?:[\s.:,/-]*#xxx#)+/g, VARIABLE);
  return (head + s).replace(/\s+/g, ' ').trim();
}

/** Normalises a remote error text for the qualification table. */
export function normalizeText(text: string): string {
  let s = text.length > MAX_NORMALIZE_LENGTH ? text.slice(0, MAX_NORMALIZE_LENGTH) : text;
  s = s.replace(/\u0000/g, ' ');
  // iterate to a fixpoint so that the result is stable under normalisation (idempotence)
  for (let i = 0; i < 6; i++) {
    const next = step(s);
    if (next === s) return next;
    s = next;
  }
  return s;
}
