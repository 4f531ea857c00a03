import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseReply } from './parse-reply.ts';

describe('parseReply', () => {
  it('reads a single-line reply with an enhanced code', () => {
    expect(parseReply('550 5.1.1 <a@b.c>: user unknown')).toEqual({
      parseable: true,
      code: 550,
      enhanced: '5.1.1',
      text: '<a@b.c>: user unknown',
      raw: '550 5.1.1 <a@b.c>: user unknown',
    });
  });

  it('joins multi-line replies (CRLF and LF) and strips codes of continuation lines', () => {
    const crlf = parseReply(
      '550-5.1.1 The email account does not exist.\r\n550-5.1.1 Please try\r\n550 5.1.1 NoSuchUser',
    );
    expect(crlf.code).toBe(550);
    expect(crlf.enhanced).toBe('5.1.1');
    expect(crlf.text).toBe('The email account does not exist. Please try NoSuchUser');
    expect(parseReply('421-4.7.0 a\n421 4.7.0 b\n').text).toBe('a b');
  });

  it('accepts enhanced codes with long parts and punctuation after them', () => {
    expect(parseReply('421 4.16.55 [TS01] deferred').enhanced).toBe('4.16.55');
    expect(parseReply('550 5.9.123 x').enhanced).toBe('5.9.123');
    const r = parseReply('550 5.7.0, Mail Sending denied.');
    expect([r.enhanced, r.text]).toEqual(['5.7.0', 'Mail Sending denied.']);
  });

  it('leaves text that only looks like a code alone', () => {
    const r = parseReply('554 30 Sorry (554.30)');
    expect([r.code, r.enhanced, r.text]).toEqual([554, null, '30 Sorry (554.30)']);
    expect(parseReply('250').text).toBe('');
  });

  it('reads a Buffer, UTF-8 or Latin-1', () => {
    expect(parseReply(Buffer.from('550 5.2.0 Mail rejeté')).text).toBe('Mail rejeté');
    expect(parseReply(Buffer.from('550 5.2.0 Mail rejet\xe9', 'latin1')).text).toBe('Mail rejeté');
  });

  it('reports garbage as unparseable', () => {
    for (const bad of [
      '',
      'hello',
      '999 nope',
      '1234',
      '55 short',
      '\u0000\u0001binary',
      'x'.repeat(100_000),
    ]) {
      const r = parseReply(bad);
      expect(r.parseable).toBe(false);
      expect(r.code).toBeNull();
      expect(r.raw.length).toBeLessThanOrEqual(4096);
    }
    expect(parseReply(`550 ${'y'.repeat(100_000)}`).parseable).toBe(false);
    expect(parseReply("DNS query failed for 'ourdan.com'").text).toBe("DNS query failed for 'ourdan.com'");
  });

  test.prop([fc.uint8Array({ maxLength: 600 })])('never throws on arbitrary bytes', (bytes) => {
    const r = parseReply(bytes);
    expect(typeof r.parseable).toBe('boolean');
    if (r.parseable) expect(r.code).toBeGreaterThanOrEqual(200);
  });

  test.prop([fc.string({ maxLength: 300 })])('never throws on arbitrary strings; codes are 200..599', (s) => {
    const r = parseReply(s);
    if (r.code !== null) expect(r.code >= 200 && r.code <= 599).toBe(true);
    expect(r.text).toBe(r.text.trim());
  });

  test.prop([
    fc.constantFrom(421, 450, 550, 552),
    fc.array(fc.stringMatching(/^[a-z][a-z .]{0,20}$/), { minLength: 1, maxLength: 4 }),
  ])('multi-line text equals the lines joined by a space', (code, lines) => {
    const raw = lines.map((l, i) => `${code}${i === lines.length - 1 ? ' ' : '-'}${l}`).join('\r\n');
    const r = parseReply(raw);
    expect(r.code).toBe(code);
    expect(r.text).toBe(
      lines
        .map((l) => l.replace(/\s+/g, ' ').trim())
        .filter(Boolean)
        .join(' '),
    );
  });
});
