/**
 * The single-line fast path of `parseReply` against the general parser it bypasses: a reference
 * copy of that parser (regex based, as before the fast path) must give the same result on every
 * string, random ones built from reply pieces and every reply of the shared corpus.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { ParsedReply } from '../types.ts';
import { parseReply } from './parse-reply.ts';

/** The labelled corpus in ../shared beside the repository (MXLAB_CORPUS overrides). */
const CORPUS_ROOT =
  process.env.MXLAB_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

const LINE_RE = /^([2-5]\d\d)(?:([ -])(.*))?$/s;
const ENHANCED_RE = /^([245])\.(\d{1,3})\.(\d{1,3})(?=$|[\s,;:)\]])/;
const BINARY_RE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/;
const BINARY_RE_G = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/g;
const fold = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The general parser, regex by regex (reference). */
function reference(raw: string): ParsedReply {
  const unparseable = (): ParsedReply => ({
    parseable: false,
    code: null,
    enhanced: null,
    text: fold(raw.replace(BINARY_RE_G, ' ')),
    raw,
  });
  if (raw.length === 0 || BINARY_RE.test(raw)) return unparseable();
  const lines = raw.split(/\r\n|\n|\r/);
  while (lines.length > 1 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const first = LINE_RE.exec(lines[0]!.trimStart());
  if (!first) return unparseable();
  const code = Number(first[1]);
  let enhanced: string | null = null;
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = i === 0 ? lines[0]!.trimStart() : lines[i]!;
    const m = LINE_RE.exec(line);
    let body = (m && Number(m[1]) === code ? (m[3] ?? '') : line).trimStart();
    const e = ENHANCED_RE.exec(body);
    const name = e ? `${e[1]}.${Number(e[2])}.${Number(e[3])}` : null;
    if (e && (enhanced === null || name === enhanced)) {
      enhanced ??= name;
      body = body.slice(e[0].length);
      if (body.startsWith(',') || body.startsWith(':') || body.startsWith(';')) body = body.slice(1);
    }
    body = fold(body);
    if (body) parts.push(body);
  }
  return { parseable: true, code, enhanced, text: parts.join(' '), raw };
}

const piece = fc.constantFrom(
  '550',
  '421',
  '250',
  '199',
  '600',
  '55',
  ' ',
  ' ',
  ' ',
  '  ',
  '-',
  '5.1.1',
  '4.7.0',
  '5.01.001',
  '2.0.0',
  '5.1234.1',
  '5.1.1234',
  '4.16.55',
  '5.',
  '.',
  ',',
  ':',
  ';',
  ')',
  ']',
  '(',
  'user',
  'unknown',
  'é',
  '\t',
  '\r\n',
  '\n',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '\u0001',
  'x',
  '7',
);
const replyish = fc
  .tuple(fc.constantFrom('550', '421', '250', '5', '', '450-'), fc.array(piece, { maxLength: 12 }))
  .map(([head, rest]) => head + rest.join(''));

const shaped = fc
  .tuple(
    fc.constantFrom('550', '421', '250', '599', '5x0'),
    fc.constantFrom(' ', '-', '', '  ', '\t', 'x'),
    fc.constantFrom('5.1.1', '4.16.55', '5.01.001', '2.0.0', '3.1.1', '5.1', '5.1234.1', '5.1.1234', ''),
    fc.constantFrom('', ' ', ',', ':', ';', ')', ']', '.', 'x', '0', '  ', ', ', '\u00a0'),
    fc.array(fc.constantFrom('user', 'unknown', ' ', 'é', '<a@b.c>', '5.1.1', '\r\n550 x'), { maxLength: 5 }),
  )
  .map(([code, sep, enh, after, words]) => code + sep + enh + after + words.join(''));

describe('parseReply fast path', () => {
  test.prop([shaped], { numRuns: 3000 })('equals the general parser on reply-shaped strings', (s) => {
    expect(parseReply(s)).toEqual(reference(s));
  });

  test.prop([replyish], { numRuns: 3000 })('equals the general parser on reply-like strings', (s) => {
    expect(parseReply(s)).toEqual(reference(s));
  });

  test.prop([fc.string({ maxLength: 80 })])('equals the general parser on arbitrary strings', (s) => {
    expect(parseReply(s)).toEqual(reference(s));
  });

  it('equals the general parser on every corpus reply', () => {
    const file = `${CORPUS_ROOT}/smtp-replies.jsonl`;
    const replies = existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { reply?: unknown }).reply)
          .filter((r): r is string => typeof r === 'string')
      : [];
    replies.push('550 5.1.1 <a@b.c>: user unknown', '550 5.7.0, Mail Sending denied.', '550 5.1.1', '550 ');
    for (const r of replies) {
      expect(parseReply(r)).toEqual(reference(r));
      expect(parseReply(`${r} <u1@example.com> id=42`)).toEqual(reference(`${r} <u1@example.com> id=42`));
    }
  });

  it('normalises leading zeros of the enhanced code and shares its string', () => {
    const a = parseReply('550 5.01.001 x');
    expect(a.enhanced).toBe('5.1.1');
    expect(parseReply('550 5.1.1 y').enhanced).toBe(a.enhanced);
  });
});
