/**
 * Issue #19 "Every run ends": over random small worlds (both MTA modes; domains that accept, defer
 * everything with 451, defer with Yahoo [TSS04] (Enhanced: 2 h suspensions) or block on reputation
 * (Enhanced: 4 h suspensions); legacy error-rate blocks of 3 h; validity shorter and longer than the
 * holds; several retry presets), every run drains before its horizon, no message is tried or
 * expires after its validity deadline, and none makes more attempts than its policy allows. The MTA's
 * own guard (a per-message bound on retry events from its retry policy) would throw otherwise.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Phase } from '../../core/delivery-log/index.ts';
import { LivenessError } from '../../core/mta/index.ts';
import { attemptBound } from '../../core/retry/index.ts';
import { DAY, HOUR, type ReplyKind, runHarness } from './mta-harness.ts';

const reply = fc.constantFrom<ReplyKind>('ok', 'tempfail', 'tempfail', 'tss04', 'spamhaus');
const domain = fc.record({
  reply,
  recovers: fc.option(fc.integer({ min: 1, max: 96 }), { nil: undefined }),
  recipients: fc.integer({ min: 1, max: 360 }),
});
const validity = fc.constantFrom(30 * 60_000, HOUR, 2 * HOUR, 5 * HOUR, DAY, 3 * DAY, 5 * DAY);
const world = fc.record({
  mode: fc.constantFrom('legacy' as const, 'enhanced' as const),
  domains: fc.array(domain, { minLength: 1, maxLength: 3 }),
  deliveries: fc.array(
    fc.record({
      atHours: fc.integer({ min: 0, max: 30 }),
      validityMs: validity,
      retry: fc.constantFrom(undefined, 'mailgun', 'haraka', 'sparkpost'),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  localIps: fc.integer({ min: 1, max: 2 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

const HORIZON = 9 * DAY;

describe('liveness', () => {
  test.prop([world], { numRuns: 40 })(
    "every run ends, inside each message's validity and retry bound",
    (w) => {
      const names = ['yahoo.com', 'dark.example', 'b.example'];
      const r = runHarness({
        mode: w.mode,
        domains: w.domains.map((d, i) => ({
          name: names[i]!,
          reply: d.reply,
          after: d.recovers === undefined ? undefined : { atMs: d.recovers * HOUR, reply: 'ok' },
        })),
        deliveries: w.deliveries.map((d) => ({
          atMs: d.atHours * HOUR,
          validityMs: d.validityMs,
          retry: d.retry,
          recipients: w.domains.map((x) => x.recipients),
        })),
        horizonMs: HORIZON,
        localIps: w.localIps,
        seed: w.seed,
      });
      expect(r.end).toBe('idle');
      for (let id = 0; id < r.log.size; id++) {
        const phase = r.log.phase(id);
        expect([Phase.Delivered, Phase.Failed, Phase.Ignored]).toContain(phase);
        const deadline = r.deadlineOf(id);
        const times = r.attemptTimes.get(id) ?? [];
        for (const t of times) expect(t).toBeLessThanOrEqual(deadline);
        const expired = r.log.expiredAt.get(id);
        if (expired !== undefined) expect(expired).toBeLessThanOrEqual(deadline);
        const i = r.deliveryOf(id);
        const d = w.deliveries[i]!;
        const policy = r.policies[i]!;
        const v = policy.effectiveValidity(d.validityMs);
        expect(times.length).toBeLessThanOrEqual(attemptBound(policy, Number.isFinite(v) ? v : d.validityMs));
      }
    },
  );

  it('stops a loop that makes no progress with one line naming the message, domain and rule', () => {
    let error: unknown = null;
    try {
      runHarness({
        mode: 'enhanced',
        domains: [{ name: 'dark.example', reply: 'tempfail' }],
        deliveries: [{ atMs: 0, validityMs: 5 * DAY, recipients: [3] }],
        horizonMs: 6 * DAY,
        flickerHolds: true,
        // holds of at least 10 days: a message may meet one, so the 1 ms holds exceed the bound
        settings: { livenessMinHoldMs: 10 * DAY },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LivenessError);
    const text = (error as Error).message;
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(
      /^MXLAB_LIVENESS: message 0 \(delivery d1, recipient 0\) to dark\.example at \d+ ms: event bound: \d+ retry events, bound \d+ from retry policy enhanced and validity 302400000 ms$/,
    );
  });
});
