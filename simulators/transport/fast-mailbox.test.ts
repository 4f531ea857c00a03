import { describe, expect, it } from 'vitest';
import type { FollowUp, FollowUpKind } from '../isp/follow-up.ts';
import { SimulatedMailbox } from '../mailbox/technical-mailbox.ts';
import { FastMailbox } from './fast-mailbox.ts';

function followUp(i: number, kind: FollowUpKind): FollowUp {
  return {
    kind,
    atMs: 60_000 * (i % 7),
    isp: 'gmail',
    reportingMta: 'mx.gmail.com',
    from: 'news@brand.example',
    to: i % 5 === 0 ? `"odd name"${i}@gmail.com` : `jane.doe.${i.toString(36)}@gmail.com`,
    messageId: i % 3 === 0 ? '' : `<1.${i}@mxlab.invalid>`,
    sentAtMs: 1000 * i,
    status: '5.1.1',
    diagnostic: '550 5.1.1 user unknown',
    remoteMta: 'gmail-smtp-in.l.google.com',
    sourceIp: '10.0.0.1',
    subject: i % 4 === 0 ? 'Abwesenheit für Sie' : 'Out of office',
    text: 'I am out of the office and will read your message when I return.',
  };
}

describe('FastMailbox', () => {
  it('drains the same mails, bytes and order as SimulatedMailbox', async () => {
    const kinds: FollowUpKind[] = ['autoReply', 'dsn', 'autoReply', 'arf'];
    const fast = new FastMailbox({ startEpochMs: Date.UTC(2025, 5, 1) });
    const slow = new SimulatedMailbox({ startEpochMs: Date.UTC(2025, 5, 1) });
    for (let i = 0; i < 40; i++) {
      const f = followUp(i, kinds[i % kinds.length]!);
      fast.schedule(f);
      slow.schedule(f);
    }
    for (const now of [120_000, 360_000, 1_000_000]) {
      const a = await fast.drain(now);
      const b = await slow.drain(now);
      expect(a.map((m) => m.source)).toEqual(b.map((m) => m.source));
      for (let k = 0; k < a.length; k++) expect(a[k]!.data.equals(b[k]!.data as Buffer)).toBe(true);
    }
    expect(fast.pending).toBe(0);
    expect(fast.built.fast).toBeGreaterThan(0);
    expect(fast.built.composer).toBeGreaterThan(0);
    expect(fast.drained).toEqual(slow.drained);
  });
});
