import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  messageIdHeader,
  messageToken,
  parseHeaderValue,
  parseMessageId,
  parseVerp,
  type TokenParts,
  verpAddress,
} from './async-match.ts';

const id = fc.nat({ max: 2 ** 31 - 1 });
const scratch = (): TokenParts => ({ deliveryId: -1, recipientId: -1, messageId: -1 });

describe('async match tokens', () => {
  test.prop([id, id, id])(
    'a Message-ID, a header value and a VERP address read back to their ids',
    (d, r, m) => {
      const want = { deliveryId: d, recipientId: r, messageId: m };
      const out = scratch();
      expect(parseMessageId(messageIdHeader(d, r, m, 'mxlab.invalid'), 'mxlab.invalid', out)).toBe(true);
      expect(out).toEqual(want);
      const h = scratch();
      expect(parseHeaderValue(messageToken(d, r, m), 'mxlab.invalid', h)).toBe(true);
      expect(h).toEqual(want);
      const v = scratch();
      expect(parseVerp(verpAddress('news@sender.example', '+', messageToken(d, r, m)), '+', v)).toBe(true);
      expect(v).toEqual(want);
    },
  );

  it('the domain of a Message-ID is compared without case, and must be ours', () => {
    const out = scratch();
    expect(parseMessageId('<1.2.3@MXLAB.invalid>', 'mxlab.invalid', out)).toBe(true);
    expect(parseMessageId('<1.2.3@other.example>', 'mxlab.invalid', out)).toBe(false);
    expect(parseMessageId('<1.2.3@xmxlab.invalid>', 'mxlab.invalid', out)).toBe(false);
  });

  it.each([
    '<1.2@mxlab.invalid>',
    '<1.2.3.4@mxlab.invalid>',
    '<a.2.3@mxlab.invalid>',
    '<1..3@mxlab.invalid>',
    '<.1.2.3@mxlab.invalid>',
    '<1.2.3.@mxlab.invalid>',
    '<unknown-5@mxlab.invalid>',
    '<1.2.9999999999999999@mxlab.invalid>',
    '',
  ])('%j is not one of our Message-IDs', (value) => {
    expect(parseMessageId(value, 'mxlab.invalid', scratch())).toBe(false);
  });

  it('VERP reads the token after the last separator of the local part only', () => {
    const out = scratch();
    expect(parseVerp('bounce+list+4.5.6@host.example', '+', out)).toBe(true);
    expect(out).toEqual({ deliveryId: 4, recipientId: 5, messageId: 6 });
    expect(parseVerp('news@sender.example', '+', scratch())).toBe(false);
    expect(parseVerp('news+1.2.3@sender.example', '', scratch())).toBe(false);
    expect(parseVerp('news@a+1.2.3', '+', scratch())).toBe(false);
  });
});
