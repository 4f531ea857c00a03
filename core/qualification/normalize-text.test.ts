import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize-text.ts';

describe('normalizeText', () => {
  it('replaces addresses, ips, dates, times, numbers and ids, keeps codes', () => {
    expect(normalizeText('550 5.1.1 <john.doe@example.com>: User is unknown {mx003}')).toBe(
      '550 5.1.1 *: User is unknown {mx003}',
    );
    expect(
      normalizeText(
        '421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred - 4.16.55.1; at 2021-04-26 07:00:12',
      ),
    ).toBe('421 4.7.0 [TSS04] Messages from #xxx# temporarily deferred - #xxx#; at #xxx#');
    expect(
      normalizeText('451 4.7.650 rate limited (S3113) [BL2NAM02FT061.eop-nam02]  queue 1A2B3C4D5E'),
    ).toBe('451 4.7.650 rate limited (S3113) [#xxx#.eop-nam02] queue #xxx#');
    expect(normalizeText('call +33 1 23 45 67 89 now, 26 Apr 2021')).toBe('call #xxx# now, #xxx#');
  });

  const word = fc.stringMatching(/^[a-z]{1,8}$/);
  const template = fc.array(fc.oneof(word, fc.constantFrom('ADDR', 'NUM', 'IP', 'DATE')), {
    minLength: 1,
    maxLength: 12,
  });
  const fill = (t: string[], v: { addr: string; num: number; ip: string; date: string }) =>
    `550 5.1.1 ${t.map((x) => (x === 'ADDR' ? `<${v.addr}>` : x === 'NUM' ? String(v.num) : x === 'IP' ? v.ip : x === 'DATE' ? v.date : x)).join(' ')}`;
  const vars = fc.record({
    addr: fc.emailAddress(),
    num: fc.nat(),
    ip: fc.ipV4(),
    date: fc
      .date({ min: new Date(2000, 0, 1), max: new Date(2040, 0, 1), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  });

  test.prop([template, vars, vars])(
    'texts differing only in addresses, numbers, ips or dates share one entry',
    (t, a, b) => {
      expect(normalizeText(fill(t, a))).toBe(normalizeText(fill(t, b)));
    },
  );

  test.prop([fc.string({ maxLength: 200 })])('is idempotent on arbitrary strings', (s) => {
    const once = normalizeText(s);
    expect(normalizeText(once)).toBe(once);
  });

  test.prop([template, vars])('is idempotent on reply-like texts', (t, v) => {
    const once = normalizeText(fill(t, v));
    expect(normalizeText(once)).toBe(once);
  });

  // issue #19 defect 8: the number rule ate the index inside the placeholder that protects an
  // enhanced code, so a multi-line reply kept NUL bytes and lost its 5.1.1 codes
  it("keeps the codes of Gmail's multi-line user-unknown reply and leaves no NUL", () => {
    const gmail = [
      '550-5.1.1 The email account that you tried to reach does not exist. Please try',
      "550-5.1.1 double-checking the recipient's email address for typos or",
      '550-5.1.1 unnecessary spaces. For more information, go to',
      '550 5.1.1  https://support.google.com/mail/?p=NoSuchUser - gsmtp',
    ].join('\r\n');
    expect(normalizeText(gmail)).toBe(
      '550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 ' +
        "double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. " +
        'For more information, go to 550 5.1.1 https://support.google.com/mail/ - gsmtp',
    );
    expect(normalizeText('451 4.7.0 a, 4.7.1 b, 12 c 5.1.1')).toBe('451 4.7.0 a, 4.7.1 b, #xxx# c 5.1.1');
  });

  /** pieces that make codes, numbers, placeholders and line breaks meet in every order */
  const piece = fc.oneof(
    fc.constantFrom(
      '550-5.1.1 ',
      '550 5.1.1',
      '4.7.0',
      '5.2.2',
      '452-4.2.2',
      '0',
      '12',
      '-',
      '.',
      ',',
      ' ',
      '\r\n',
      '\u0000',
      '\u00000\u0000',
      '#xxx#',
      '#',
      'a@b.example',
      '192.0.2.1',
      'try',
    ),
    fc.string({ maxLength: 6 }),
  );
  const replyish = fc.array(piece, { maxLength: 24 }).map((p) => p.join(''));

  test.prop([replyish])('never leaves a NUL or a placeholder, and is idempotent', (s) => {
    const once = normalizeText(s);
    expect(once).not.toMatch(/\u0000/);
    expect(normalizeText(once)).toBe(once);
  });
});
