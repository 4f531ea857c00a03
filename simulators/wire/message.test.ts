import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OutboundMessage } from '../../core/ports.ts';
import { buildMessage, dkimChecker, generateDkimKey } from './message.ts';

const key = generateDkimKey('mxlab.invalid');
const check = dkimChecker([key]);

const message = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  id: 1,
  deliveryId: 7,
  from: 'news@mxlab.invalid',
  to: 'someone@example.com',
  domain: 'example.com',
  size: 1500,
  attempt: 1,
  messageId: '<1.7@mxlab.invalid>',
  ...over,
});

const headerOf = (raw: Buffer, name: string): string | undefined => {
  const head = raw.toString('latin1').split('\r\n\r\n')[0]!;
  return new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1];
};

/** RFC 5322 atext: every character a dot-atom local part may hold, `$`, `&`, `'` and `` ` `` among them. */
const ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~";
const localPart = fc
  .array(fc.constantFrom(...ATEXT), { minLength: 1, maxLength: 24 })
  .map((cs) => cs.join(''));

describe('buildMessage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes t= from the signing time it is given', async () => {
    const raw = await buildMessage(message(), key, new Date(1_700_000_000_900));
    expect(raw.toString('latin1')).toMatch(/\bt=1700000000;/);
    expect(await check(raw)).toBe('pass');
  });

  // Issue #24: about 1 wire message in 670 failed DKIM. mailauth 4.13 writes t= from
  // Math.round(Date.now() / 1000), read once for the header it signs and again for the header it
  // writes; a half-second boundary between the two reads broke the signature. The clock here moves
  // by `step` ms at every read, as a loaded machine's does between them.
  test.prop(
    [fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }), fc.integer({ min: 0, max: 2000 })],
    {
      numRuns: 40,
      examples: [[1_700_000_000_000, 1000]],
    },
  )('verifies however far the clock moves while it signs', async (start, step) => {
    let now = start;
    vi.spyOn(Date, 'now').mockImplementation(() => {
      now += step;
      return now;
    });
    const raw = await buildMessage(message(), key);
    vi.restoreAllMocks();
    expect(await check(raw)).toBe('pass');
  });

  test.prop([localPart, localPart], {
    numRuns: 60,
    examples: [
      ['a$&b', "id$'x"],
      ['$1$$', '`$`'],
    ],
  })(
    'keeps $ patterns of the recipient and Message-ID as they are, and the signature verifies',
    async (local, idPart) => {
      const m = message({ to: `${local}@example.com`, messageId: `<${idPart}@mxlab.invalid>` });
      const raw = await buildMessage(m, key);
      expect(headerOf(raw, 'To')).toBe(m.to);
      expect(headerOf(raw, 'Message-ID')).toBe(m.messageId);
      expect(await check(raw)).toBe('pass');
    },
  );

  it('leaves an unsigned message without a DKIM-Signature', async () => {
    const raw = await buildMessage(message());
    expect(headerOf(raw, 'DKIM-Signature')).toBeUndefined();
    expect(await check(raw)).toBe('none');
  });
});
