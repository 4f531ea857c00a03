import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { DAY, HOUR, type Qualification } from '../types.ts';
import { decideRetry, GIVE_UP_PERMANENT, isRetry } from './decide.ts';
import { EnhancedRetryPolicy } from './enhanced.ts';
import { LegacyRetryPolicy } from './legacy.ts';
import type { RetryPolicy } from './policy.ts';
import { retryPolicy, retryPresets } from './presets.ts';
import { resumeAfterSuspension } from './suspension.ts';

const names = Object.keys(retryPresets());
const policyArb: fc.Arbitrary<RetryPolicy> = fc.oneof(
  fc.constantFrom(...names).map((n) => retryPolicy(n)),
  fc
    .record({
      quickRetries: fc.integer({ min: 0, max: 8 }),
      quickSpacingMs: fc.integer({ min: 1, max: 6 * HOUR }),
      slowRetries: fc.integer({ min: 0, max: 8 }),
      slowSpacingMs: fc.integer({ min: 1, max: 2 * DAY }),
    })
    .map((s) => new LegacyRetryPolicy(s)),
);
const qArb: fc.Arbitrary<Qualification> = fc.record({
  type: fc.constantFrom('hard', 'soft', 'ignored', 'undefined'),
  reason: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 20),
  impact: fc.constantFrom('quarantine', 'count', 'none'),
  disposition: fc.constantFrom('transient', 'transient', 'transient', 'permanent'),
  rule: fc.constant(null),
  bounceClass: fc.constantFrom(null, 10, 22, 50),
});
const rngArb = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
  minLength: 1,
  maxLength: 8,
});

describe('retry properties', () => {
  test.prop([
    policyArb,
    fc.array(fc.tuple(qArb, fc.integer({ min: 0, max: 3 * HOUR })), { minLength: 1, maxLength: 60 }),
    fc.option(fc.integer({ min: HOUR, max: 10 * DAY }), { nil: undefined }),
    fc.integer({ min: 0, max: 30 * DAY }),
    rngArb,
  ])(
    'no retry after a permanent error; no attempt outlives the validity; times move forward',
    (policy, replies, validity, start, draws) => {
      let i = 0;
      const rng = { next: () => draws[i++ % draws.length]! };
      const deadline = start + policy.effectiveValidity(validity);
      let now = start;
      let attempts = 1;
      for (const [q, queueDelay] of replies) {
        const d = decideRetry(policy, q, attempts, start, now, 'example.com', rng, validity);
        if (q.disposition === 'permanent') {
          expect(d).toBe(GIVE_UP_PERMANENT);
          break;
        }
        if (!isRetry(d)) break;
        expect(d).toBeGreaterThan(now);
        expect(d).toBeLessThanOrEqual(deadline);
        now = d + queueDelay; // the attempt may happen later than asked (shaping queue)
        attempts++;
        if (now > deadline) break;
      }
      if (policy instanceof EnhancedRetryPolicy)
        expect(policy.effectiveValidity(validity)).toBeLessThanOrEqual(3.5 * DAY);
    },
  );

  test.prop([
    fc.integer({ min: 0, max: 1e9 }),
    fc.integer({ min: 0, max: 1e9 }),
    fc.integer({ min: 1, max: 1e8 }),
    fc.nat(),
  ])(
    'a held message resumes within one backoff after the suspension, never before its own schedule',
    (end, scheduled, backoff, key) => {
      const t = resumeAfterSuspension(end, scheduled, backoff, key);
      expect(t).toBeGreaterThanOrEqual(Math.max(end, scheduled));
      if (scheduled < end) expect(t).toBeLessThan(end + backoff);
      else expect(t).toBe(scheduled);
    },
  );
});
