/**
 * Liveness of the error-rate block's room (SPEC §7.1, issue #19): when the messages in flight use up
 * the room (`Shaper.errorBlockRoom`), the domain waits for their replies. It used to wait by waking
 * itself again in the same millisecond, which only ends if those replies come in that millisecond;
 * if they come later, the domain woke itself at the same ms forever. Here each session's replies come
 * 1 ms after it opens: the run must end, and the block still hold from the reply that trips it.
 */
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, runHarness } from './mta-harness.ts';

describe('a domain whose error-block room is used up waits for replies, not in a same-millisecond loop', () => {
  it('replies 1 ms after the session opens: the run ends, 300 messages leave before the block', () => {
    const r = runHarness({
      mode: 'legacy',
      domains: [{ name: 'dark.example', reply: 'tempfail' }],
      // 2 local IPs × 10 connections × 50 messages (default MX rule) could take 1,000 at once
      deliveries: [{ atMs: 6 * HOUR, validityMs: DAY, recipients: [1_200] }],
      localIps: 2,
      horizonMs: 2 * DAY,
      replyDelayMs: 1,
      maxEvents: 200_000,
    });
    expect(r.end).toBe('idle');
    // the first 300 replies (all errors) trip the 90% / 300-message block at 06:00:00.001; nothing
    // may leave from then until the block's end 3 h later
    let before = 0;
    let during = 0;
    for (const times of r.attemptTimes.values())
      for (const t of times) {
        if (t <= 6 * HOUR + 1) before++;
        else if (t < 9 * HOUR) during++;
      }
    expect(before).toBe(300);
    expect(during).toBe(0);
  });
});
