import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { buildAutoReply } from '../async-mail/build.ts';
import type { FollowUp } from '../isp/follow-up.ts';
import { fastAutoReply } from './fast-auto-reply.ts';

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const host = fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => `${l.join('.')}.example`);
const local = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/);
const address = fc.tuple(local, host).map(([l, h]) => `${l}@${h}`);
const anyText = fc.oneof(
  fc.string({ maxLength: 90 }),
  fc.stringMatching(/^[ -~]{0,90}$/),
  fc.stringMatching(/^[A-Za-z0-9.,:!?' -]{0,60}$/),
  fc.constantFrom(
    'Out of office',
    'I am out of the office and will read your message when I return.',
    'Absent =?x?',
    'été',
  ),
);

const followUp = fc.record({
  kind: fc.constant('autoReply' as const),
  atMs: fc.integer({ min: 0, max: 30 * 86_400_000 }),
  isp: fc.constant('gmail'),
  reportingMta: fc.oneof(
    host,
    fc.constant('mx.gmail.com'),
    fc.constant('mx1.{domain}'),
    fc.stringMatching(/^[!-~]{1,20}$/),
    fc.stringMatching(/^[!-~]{40,90}$/),
    fc.constant('BN8NAM12HT123.mail.protection.outlook.com'),
  ),
  from: fc.oneof(address, fc.constant('news@brand.example'), fc.string({ maxLength: 20 })),
  to: fc.oneof(address, address, fc.string({ maxLength: 30 })),
  messageId: fc.oneof(
    fc.constant(''),
    fc.tuple(fc.nat(), fc.nat()).map(([d, r]) => `<${d}.${r}@mxlab.invalid>`),
    fc.string({ maxLength: 20 }),
  ),
  sentAtMs: fc.nat(),
  status: fc.constant(''),
  diagnostic: fc.constant(''),
  remoteMta: fc.constant(''),
  sourceIp: fc.constant(''),
  subject: anyText,
  text: anyText,
  // serve mode: the real message's Subject and Date, quoted in the reply's subject
  original: fc.option(fc.record({ subject: anyText, date: anyText }), { nil: undefined }),
});

describe('fastAutoReply', () => {
  test.prop([followUp, fc.nat({ max: 1_000_000 })], {
    numRuns: Number(process.env.MXLAB_PROPERTY_RUNS ?? 300),
  })('gives the bytes of buildAutoReply, or null', async (f: FollowUp, seq) => {
    const fast = fastAutoReply(f, seq);
    if (fast === null) return;
    const slow = await buildAutoReply(f, { seq });
    expect(fast.toString('latin1')).toBe(slow.toString('latin1'));
  });

  it('takes the fast path for the shipped default texts', async () => {
    const f: FollowUp = {
      kind: 'autoReply',
      atMs: 123_456_789,
      isp: 'gmail',
      reportingMta: 'mx.gmail.com',
      from: 'news@brand.example',
      to: 'jane.doe.3kf9@gmail.com',
      messageId: '<1.42@mxlab.invalid>',
      sentAtMs: 123_400_000,
      status: '',
      diagnostic: '',
      remoteMta: '',
      sourceIp: '',
      subject: 'Out of office',
      text: 'I am out of the office and will read your message when I return.',
    };
    const fast = fastAutoReply(f, 77);
    expect(fast).not.toBeNull();
    expect(fast!.equals(await buildAutoReply(f, { seq: 77 }))).toBe(true);
    expect(fastAutoReply({ ...f, subject: 'Abwesenheitsnotiz für Sie' }, 1)).toBeNull();
    expect(fastAutoReply({ ...f, kind: 'dsn' }, 1)).toBeNull();
  });
});
