/**
 * Issue #19, defects 1, 2 and 5: held retries and the validity deadline (SPEC §4, §8), on the small
 * harness world (one fixed reply per domain).
 */
import { describe, expect, it } from 'vitest';
import { Phase } from '../../core/delivery-log/index.ts';
import type { DelayRetryPolicy } from '../../core/retry/index.ts';
import { createQualifier } from '../../node/index.ts';
import { DAY, HOUR, REPLIES, runHarness } from './mta-harness.ts';

describe('a hold over the validity deadline (defect 1: the run never ended)', () => {
  it('legacy, one domain answering 451 to everything, validity 2 h: the run ends, each message expires by its deadline', () => {
    const r = runHarness({
      mode: 'legacy',
      domains: [{ name: 'dark.example', reply: 'tempfail' }],
      deliveries: [{ atMs: 6 * HOUR, validityMs: 2 * HOUR, recipients: [400] }],
      horizonMs: 2 * DAY,
    });
    expect(r.end).toBe('idle');
    const deadline = 8 * HOUR;
    let heldToTheEnd = 0;
    for (let id = 0; id < r.log.size; id++) {
      expect(r.log.phase(id)).toBe(Phase.Failed);
      const at = r.log.expiredAt.get(id)!;
      expect(at).toBeLessThanOrEqual(deadline);
      for (const t of r.attemptTimes.get(id) ?? []) expect(t).toBeLessThanOrEqual(deadline);
      if (at === deadline && r.log.lastAttemptMs(id)! < deadline) heldToTheEnd++;
    }
    // the 3-hour error-rate block from 06:00 holds most of them over 08:00: they expire at 08:00 sharp
    expect(heldToTheEnd).toBeGreaterThan(300);
  });

  it('enhanced, a reputation block (suspend 4 h) and validity 2 h: the run ends at the deadline', () => {
    const r = runHarness({
      mode: 'enhanced',
      domains: [{ name: 'dark.example', reply: 'spamhaus' }],
      deliveries: [{ atMs: 6 * HOUR, validityMs: 2 * HOUR, recipients: [200] }],
      horizonMs: 2 * DAY,
    });
    expect(r.end).toBe('idle');
    for (let id = 0; id < r.log.size; id++) {
      expect(r.log.phase(id)).toBe(Phase.Failed);
      expect(r.log.expiredAt.get(id)).toBeLessThanOrEqual(8 * HOUR);
    }
    expect([...r.log.expiredAt.values()].filter((t) => t === 8 * HOUR).length).toBeGreaterThan(150);
  });
});

describe('a message queued behind a hold', () => {
  it('expires at its deadline, not when the hold lifts', () => {
    // the first delivery's message meets a reputation block: the domain is suspended 4 h from 00:00;
    // the second delivery's message (01:00, validity 30 min) waits in the queue and must end at 01:30
    const r = runHarness({
      mode: 'enhanced',
      domains: [{ name: 'dark.example', reply: 'spamhaus' }],
      deliveries: [
        { atMs: 0, validityMs: DAY, recipients: [1] },
        { atMs: HOUR, validityMs: 30 * 60_000, recipients: [1] },
      ],
      horizonMs: 2 * DAY,
    });
    expect(r.attemptTimes.get(1)).toBeUndefined();
    expect(r.log.phase(1)).toBe(Phase.Failed);
    expect(r.log.expiredAt.get(1)).toBe(HOUR + 30 * 60_000);
  });
});

describe('held retries keep their normal backoff (defect 2: starved retries)', () => {
  it('yahoo.com deferring with [TSS04] until 10:00: every message is retried and delivered soon after', () => {
    const r = runHarness({
      mode: 'enhanced',
      domains: [{ name: 'yahoo.com', reply: 'tss04', after: { atMs: 10 * HOUR, reply: 'ok' } }],
      deliveries: [{ atMs: 0, validityMs: 3 * DAY, recipients: [300] }],
      horizonMs: 3 * DAY,
      localIps: 2,
    });
    // the last 2 h suspension ends by 12:00; the longest yahoo-deferral interval is 2 h, so a held
    // retry comes back by 14:00 (before the fix each hold stretched the backoff by the time held)
    let latest = 0;
    for (let id = 0; id < r.log.size; id++) {
      expect(r.log.phase(id)).toBe(Phase.Delivered);
      latest = Math.max(latest, r.log.deliveredMs(id)!);
    }
    expect(latest).toBeLessThanOrEqual(14 * HOUR + 5 * 60_000);
  });
});

describe('the validity runs to its end (defect 5)', () => {
  function lastChance(mode: 'legacy' | 'enhanced', validityMs: number) {
    const r = runHarness({
      mode,
      domains: [{ name: 'slow.example', reply: 'tempfail' }],
      deliveries: [{ atMs: 0, validityMs, recipients: [40] }],
      horizonMs: 6 * DAY,
    });
    const q = createQualifier({ mode }).qualify(
      { phase: 'rcpt', reply: REPLIES.tempfail },
      { phase: 'rcpt', domain: 'slow.example' },
    );
    const policy = r.policies[0] as DelayRetryPolicy;
    return { r, q, policy };
  }

  it('enhanced, validity 5 d (84 h): each message gets a last attempt after its schedule passed the deadline', () => {
    const { r, q, policy } = lastChance('enhanced', 5 * DAY);
    const deadline = 84 * HOUR;
    for (let id = 0; id < r.log.size; id++) {
      const times = r.attemptTimes.get(id)!;
      const n = times.length;
      expect(r.log.phase(id)).toBe(Phase.Failed);
      expect(r.log.expiredAt.get(id)).toBe(times[n - 1]);
      expect(times[n - 1]).toBeLessThanOrEqual(deadline);
      // the attempt before the last one already had its next retry past the deadline: the last one
      // is the extra attempt the validity still allowed (before the fix the message expired there, ~81 h)
      const prev = times[n - 2]!;
      expect(prev + policy.retryDelay(n - 1, q, 'slow.example', { next: () => 0.5 })!).toBeGreaterThan(
        deadline,
      );
      expect(times[n - 1]).toBeGreaterThan(prev);
    }
  });

  it('legacy, validity 5 d: the schedule (5 x 1 h, then 4 x 1 day) ends it at the 10th attempt, unchanged', () => {
    const { r } = lastChance('legacy', 5 * DAY);
    for (let id = 0; id < r.log.size; id++) {
      const times = r.attemptTimes.get(id)!;
      expect(times.map((t) => t - times[0]!)).toEqual([
        0,
        HOUR,
        2 * HOUR,
        3 * HOUR,
        4 * HOUR,
        5 * HOUR,
        DAY + 5 * HOUR,
        2 * DAY + 5 * HOUR,
        3 * DAY + 5 * HOUR,
        4 * DAY + 5 * HOUR,
      ]);
      expect(r.log.expiredAt.get(id)).toBe(times[9]);
    }
  });

  it('legacy, validity 3 d: the daily retry at 3 d 5 h does not fit; one last attempt before 3 d, then it expires', () => {
    const { r } = lastChance('legacy', 3 * DAY);
    for (let id = 0; id < r.log.size; id++) {
      const times = r.attemptTimes.get(id)!;
      expect(times.length).toBe(9);
      expect(times[7]! - times[0]!).toBe(2 * DAY + 5 * HOUR);
      expect(times[8]).toBeGreaterThan(times[7]!);
      expect(times[8]).toBeLessThanOrEqual(3 * DAY);
      expect(r.log.expiredAt.get(id)).toBe(times[8]);
    }
  });
});
