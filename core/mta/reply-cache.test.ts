import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseReply } from '../reply/index.ts';
import { ReplyCache } from './reply-cache.ts';

const replyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc
    .tuple(
      fc.constantFrom('250', '421', '450', '452', '550', '554'),
      fc.constantFrom(' ', '-'),
      fc.string({ maxLength: 30 }),
    )
    .map(([c, s, t]) => `${c}${s}${t}`),
);

describe('ReplyCache', () => {
  test.prop([fc.array(replyText, { maxLength: 60 }), fc.integer({ min: 0, max: 8 })])(
    'answers exactly what parseReply answers, whatever the size and order',
    (texts, size) => {
      const cache = new ReplyCache(size);
      for (const t of [...texts, ...texts]) expect(cache.parse(t)).toEqual(parseReply(t));
      expect(cache.hits + cache.misses).toBe(texts.length * 2);
    },
  );

  it('parses a repeated text once', () => {
    const cache = new ReplyCache(16);
    const a = cache.parse('250 2.0.0 ok');
    const b = cache.parse('250 2.0.0 ok');
    expect(b).toBe(a);
    expect(cache.misses).toBe(1);
    expect(cache.hits).toBe(1);
  });

  it('stays bounded: old texts are forgotten', () => {
    const cache = new ReplyCache(4);
    for (let i = 0; i < 100; i++) cache.parse(`550 5.1.1 <u${i}@x> unknown`);
    cache.parse('550 5.1.1 <u0@x> unknown');
    expect(cache.misses).toBe(101);
  });

  it('rejects a bad size', () => {
    expect(() => new ReplyCache(-1)).toThrow(/reply cache: size/);
    expect(() => new ReplyCache(1.5)).toThrow(/reply cache: size/);
  });
});
