import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { FollowUp } from '../isp/follow-up.ts';
import { writeMaildir } from './maildir.ts';
import { SimulatedMailbox } from './technical-mailbox.ts';

const fu = (atMs: number, to: string): FollowUp => ({
  kind: 'autoReply',
  atMs,
  isp: 'x',
  reportingMta: 'mx.example',
  from: 'news@sender.example',
  to,
  messageId: '<m@sender.example>',
  sentAtMs: 0,
  status: '',
  diagnostic: '',
  remoteMta: 'mx.example',
  sourceIp: '192.0.2.1',
  subject: 'Away',
  text: 'Away',
});

describe('technical mailbox', () => {
  test.prop([fc.array(fc.nat(1000), { maxLength: 200 }), fc.nat(1000)])(
    'drains exactly the mails due, in (time, sequence) order, and keeps the rest',
    (times, now) => {
      const mb = new SimulatedMailbox();
      for (const [k, t] of times.entries()) mb.schedule(fu(t, `r${k}@x.example`));
      const due = mb.takeDue(now);
      const expected = times
        .map((t, k) => ({ t, k }))
        .filter((e) => e.t <= now)
        .sort((a, b) => a.t - b.t || a.k - b.k)
        .map((e) => e.k);
      expect(due.map((e) => e.seq)).toEqual(expected);
      expect(mb.pending).toBe(times.length - expected.length);
      expect(mb.takeDue(now)).toEqual([]);
    },
  );

  it('builds MIME at drain time and writes a Maildir', async () => {
    const mb = new SimulatedMailbox();
    mb.schedule(fu(10, 'a@x.example'));
    mb.schedule(fu(5, 'b@x.example'));
    mb.schedule(fu(50, 'c@x.example'));
    const mails = await mb.drain(20);
    expect(mails.map((m) => m.data.toString().match(/^From: (.*)$/m)![1])).toEqual([
      'b@x.example',
      'a@x.example',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'mxlab-maildir-'));
    try {
      const paths = writeMaildir(dir, mails);
      expect(readdirSync(join(dir, 'new'))).toHaveLength(2);
      expect(readdirSync(join(dir, 'tmp'))).toHaveLength(0);
      expect(paths[0]).toMatch(/000001\.mxlab\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
