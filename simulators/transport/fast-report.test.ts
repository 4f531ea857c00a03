import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { buildArf, buildDsn } from '../async-mail/build.ts';
import type { FollowUp } from '../isp/follow-up.ts';
import { fastArf, fastDsn } from './fast-report.ts';

const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?$/);
const host = fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => `${l.join('.')}.example`);
const local = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9._+-]{0,20}$/);
const address = fc.tuple(local, host).map(([l, h]) => `${l}@${h}`);
const GMAIL_550 =
  "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550 5.1.1 double-checking the recipient's email address for typos or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser";
const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.stringMatching(/^[ -~]{0,250}$/),
  fc.constantFrom(
    GMAIL_550,
    '452 4.2.2 Mailbox full',
    'été',
    'x '.repeat(60),
    'a=b '.repeat(30),
    '',
    ' trailing ',
  ),
);

const followUp = (kind: 'dsn' | 'arf') =>
  fc.record({
    kind: fc.constant(kind),
    atMs: fc.oneof(fc.integer({ min: 0, max: 30 * 86_400_000 }), fc.integer()),
    isp: fc.constant('gmail'),
    reportingMta: fc.oneof(
      host,
      fc.constant('mx.gmail.com'),
      fc.constant('mx1.{domain}'),
      fc.stringMatching(/^[!-~]{1,20}$/),
      fc.stringMatching(/^[a-z.]{40,90}$/),
      fc.constant('BN8NAM12HT123.mail.protection.outlook.com'),
    ),
    from: fc.oneof(address, fc.constant('news@brand.example'), fc.string({ maxLength: 20 })),
    to: fc.oneof(address, address, fc.string({ maxLength: 30 })),
    messageId: fc.oneof(
      fc.constant(''),
      fc.tuple(fc.nat(), fc.nat()).map(([d, r]) => `<${d}.${r}@mxlab.invalid>`),
      fc.string({ maxLength: 20 }),
    ),
    sentAtMs: fc.oneof(fc.nat({ max: 30 * 86_400_000 }), fc.integer()),
    status: fc.oneof(fc.constantFrom('5.1.1', '4.2.2', ''), fc.string({ maxLength: 8 })),
    diagnostic: anyText,
    remoteMta: fc.oneof(fc.constant(''), host, fc.string({ maxLength: 10 })),
    sourceIp: fc.oneof(fc.constant(''), fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 10 })),
    subject: fc.constant(''),
    text: fc.constant(''),
    // serve mode: the real message's Subject and Date, quoted in the returned headers
    original: fc.option(fc.record({ subject: anyText, date: anyText }), { nil: undefined }),
  });

const runs = Number(process.env.MXLAB_PROPERTY_RUNS ?? 300);

describe('fastDsn / fastArf', () => {
  test.prop([followUp('dsn'), fc.nat({ max: 10_000_000 })], { numRuns: runs })(
    'fastDsn gives the bytes of buildDsn, or null',
    async (f: FollowUp, seq) => {
      const fast = fastDsn(f, seq);
      if (fast === null) return;
      expect(fast.toString('latin1')).toBe((await buildDsn(f, { seq })).toString('latin1'));
    },
  );

  test.prop([followUp('arf'), fc.nat({ max: 10_000_000 })], { numRuns: runs })(
    'fastArf gives the bytes of buildArf, or null',
    async (f: FollowUp, seq) => {
      const fast = fastArf(f, seq);
      if (fast === null) return;
      expect(fast.toString('latin1')).toBe((await buildArf(f, { seq })).toString('latin1'));
    },
  );

  const base: FollowUp = {
    kind: 'dsn',
    atMs: 123_456_789,
    isp: 'gmail',
    reportingMta: 'mx.gmail.com',
    from: 'news@brand.example',
    to: 'jane.doe.3kf9@gmail.com',
    messageId: '<1.42@mxlab.invalid>',
    sentAtMs: 123_400_000,
    status: '5.1.1',
    diagnostic: GMAIL_550,
    remoteMta: 'gmail-smtp-in.l.google.com',
    sourceIp: '203.0.113.7',
    subject: '',
    text: '',
  };

  it('takes the fast path for typical DSNs and complaints, with and without a long line', async () => {
    for (const f of [base, { ...base, diagnostic: '452 4.2.2 Mailbox full' }, { ...base, messageId: '' }]) {
      const fast = fastDsn(f, 77);
      expect(fast).not.toBeNull();
      expect(fast!.equals(await buildDsn(f, { seq: 77 }))).toBe(true);
    }
    for (const f of [
      { ...base, kind: 'arf' as const },
      { ...base, kind: 'arf' as const, sourceIp: '' },
    ]) {
      const fast = fastArf(f, 9);
      expect(fast).not.toBeNull();
      expect(fast!.equals(await buildArf(f, { seq: 9 }))).toBe(true);
    }
  });

  it('leaves other kinds and non-ASCII texts to MailComposer', () => {
    expect(fastDsn({ ...base, kind: 'arf' }, 1)).toBeNull();
    expect(fastArf(base, 1)).toBeNull();
    expect(fastDsn({ ...base, diagnostic: '550 Adresse inconnue: été' }, 1)).toBeNull();
    expect(fastDsn({ ...base, to: 'jörg@example.de' }, 1)).toBeNull();
  });
});
