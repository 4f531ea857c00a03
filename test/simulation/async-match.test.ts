/**
 * Issue #19 item 3: a late DSN fails the message it is about, not the address's latest message. Two
 * deliveries a day apart to the same addresses, every unknown recipient accepted at RCPT and bounced
 * 72 h later: each DSN fails its own delivery's message, found by the original Message-ID the ISP
 * returns; when a relay rewrote that Message-ID, by the VERP return path; with neither, it is counted
 * unmatched (or, with `asyncMatchLatest`, applied to the latest message, the old behaviour).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { headline } from '../../cli/commands/run.ts';
import { defineScenario, planOf } from '../../runner/index.ts';
import type { RunStore } from '../../store/index.ts';
import { cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

const HOUR = 3_600_000;

function scenario(o: { returnsMessageId: boolean; verp: boolean; asyncMatchLatest: boolean }) {
  return defineScenario({
    name: 'async-match',
    seed: 7,
    horizon: '6d',
    mode: 'legacy',
    population: { size: 400, mix: 'b2b', settings: { truth: { unknown: 0.2 } } },
    isps: {
      overrides: [
        {
          profile: 'generic',
          acceptThenBounce: {
            probability: 1,
            truths: ['unknown'],
            delay: { minMs: 72 * HOUR, maxMs: 72 * HOUR },
            returnsMessageId: o.returnsMessageId,
          },
        },
      ],
    },
    mta: { inmailEvery: '15m', verp: o.verp, asyncMatchLatest: o.asyncMatchLatest },
    deliveries: [
      { name: 'first', at: 'day1 06:00', validity: '5d' },
      { name: 'second', at: 'day2 06:00', validity: '5d' },
    ],
  });
}

/** Per delivery: unknown recipients the remote side accepted, and how many of them are not Failed. */
async function acceptedUnknown(store: RunStore): Promise<{ accepted: number; notFailed: number }[]> {
  const out = [];
  for (const d of [1, 2]) {
    const where = `FROM delivery_log l JOIN recipients r ON r.id = l.recipient_id
      WHERE l.delivery_id = ${d} AND r.truth = 'unknown' AND l.delivered_ms IS NOT NULL`;
    out.push({
      accepted: await count(store, `SELECT count(*) AS n ${where}`),
      notFailed: await count(store, `SELECT count(*) AS n ${where} AND l.status <> 'failed'`),
    });
  }
  return out;
}

describe('late async bounces match their own message', () => {
  it('by the original Message-ID: each DSN fails the delivery it bounced, not the latest one', async () => {
    const r = await run(planOf(scenario({ returnsMessageId: true, verp: false, asyncMatchLatest: false })));
    try {
      const [d1, d2] = await acceptedUnknown(r.store);
      expect(d1!.accepted).toBeGreaterThan(10);
      expect(d2!.accepted).toBeGreaterThan(10);
      expect(d1!.notFailed, 'delivery 1: accepted unknown recipients not failed by their DSN').toBe(0);
      expect(d2!.notFailed, 'delivery 2: accepted unknown recipients not failed by their DSN').toBe(0);
      const dsns = await count(r.store, `SELECT count(*) AS n FROM inmail WHERE kind = 'dsn'`);
      expect(dsns).toBe(d1!.accepted + d2!.accepted);
      expect(r.summary.inmail.unmatched).toBe(0);
      expect(r.summary.inmail.matchedBy.messageId).toBe(r.summary.inmail.results);
      // the run store says which message each DSN matched
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n FROM inmail i JOIN delivery_log l USING (delivery_id, recipient_id)
           WHERE i.kind = 'dsn' AND l.status = 'failed' AND l.delivered_ms IS NOT NULL`,
        ),
      ).toBe(dsns);
    } finally {
      await r.store.close();
    }
  });

  it('by VERP when the returned Message-ID is not ours', async () => {
    const r = await run(planOf(scenario({ returnsMessageId: false, verp: true, asyncMatchLatest: false })));
    try {
      const [d1, d2] = await acceptedUnknown(r.store);
      expect(d1!.accepted).toBeGreaterThan(10);
      expect([d1!.notFailed, d2!.notFailed]).toEqual([0, 0]);
      // the generic ISP's DSNs (the other ISPs still return our Message-ID)
      expect(r.summary.inmail.matchedBy.verp).toBeGreaterThan(20);
      expect(r.summary.inmail.unmatched).toBe(0);
    } finally {
      await r.store.close();
    }
  });

  it('unmatched when nothing names the message: counted, and nothing changes', async () => {
    const r = await run(planOf(scenario({ returnsMessageId: false, verp: false, asyncMatchLatest: false })));
    try {
      const [d1, d2] = await acceptedUnknown(r.store);
      expect(d1!.accepted).toBeGreaterThan(10);
      // each unmatched DSN (the generic ISP's) left its message Sent, and is in the run store
      expect(r.summary.inmail.unmatched).toBeGreaterThan(20);
      expect(d1!.notFailed + d2!.notFailed).toBe(r.summary.inmail.unmatched);
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n FROM inmail WHERE matched_by = 'none' AND kind = 'dsn' AND delivery_id IS NULL`,
        ),
      ).toBe(r.summary.inmail.unmatched);
      expect(headline(r.summary, r.out, 0)).toContain(
        `inmail: ${r.summary.inmail.unmatched} of ${r.summary.inmail.results} results matched no message`,
      );
    } finally {
      await r.store.close();
    }
  });

  it("asyncMatchLatest applies them to the address's latest message instead (why it is off)", async () => {
    const r = await run(planOf(scenario({ returnsMessageId: false, verp: false, asyncMatchLatest: true })));
    try {
      const [d1, d2] = await acceptedUnknown(r.store);
      expect(r.summary.inmail.matchedBy.latest).toBeGreaterThan(20);
      expect(r.summary.inmail.unmatched).toBe(0);
      // both DSNs of an address land on delivery 2's message: delivery 1's stay Sent
      expect(d2!.notFailed).toBe(0);
      expect(d1!.notFailed).toBe(r.summary.inmail.matchedBy.latest / 2);
    } finally {
      await r.store.close();
    }
  });
});
