import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { createQualifier, retryPolicy, retryPresets } from '../../node/index.ts';
import type { Rule } from '../qualification/rule-schema.ts';
import { DAY, type FailureType, HOUR, type Qualification } from '../types.ts';
import { decideRetry, GIVE_UP_EXPIRED, GIVE_UP_PERMANENT, isRetry } from './decide.ts';
import { EnhancedRetryPolicy } from './enhanced.ts';
import { LegacyRetryPolicy } from './legacy.ts';
import type { RetryPolicy } from './policy.ts';
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
    'no retry after a permanent or Hard error; no attempt outlives the validity; times move forward',
    (policy, replies, validity, start, draws) => {
      let i = 0;
      const rng = { next: () => draws[i++ % draws.length]! };
      const deadline = start + policy.effectiveValidity(validity);
      let now = start;
      let attempts = 1;
      for (const [q, queueDelay] of replies) {
        const d = decideRetry(policy, q, attempts, start, now, 'example.com', rng, validity);
        if (q.disposition === 'permanent' || q.type === 'hard') {
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

  test.prop([policyArb, qArb, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 4 * DAY }), rngArb])(
    'a Hard error is never retried, whatever its disposition and the policy (SPEC §4)',
    (policy, q, attemptNo, elapsed, draws) => {
      const rng = { next: () => draws[0]! };
      const hard = { ...q, type: 'hard' as const };
      expect(decideRetry(policy, hard, attemptNo, 0, elapsed, 'example.com', rng)).toBe(GIVE_UP_PERMANENT);
    },
  );

  // a rule set made in code: one rule per type, each matching its own word, none fixing a disposition
  const types: FailureType[] = ['hard', 'soft', 'ignored', 'undefined'];
  const rules: Rule[] = types.map((type, i) => ({
    name: `r_${type}`,
    source: `test#${i}`,
    contains: [`word_${type}`],
    caseSensitive: false,
    type,
    reason: type === 'hard' ? 1 : type === 'soft' ? 5 : 0,
  }));
  const legacyQ = createQualifier({ mode: 'legacy', rules: { rules, sources: ['test'] } });
  const enhancedQ = createQualifier({ mode: 'enhanced' });
  const fiveXx = fc.tuple(
    fc.integer({ min: 500, max: 599 }),
    fc.constantFrom('5.2.2', '5.7.1', '5.1.1', '5.0.0'),
  );
  const phase = fc.constantFrom('mail' as const, 'rcpt' as const, 'data' as const);

  test.prop([
    fiveXx,
    phase,
    fc.constantFrom(...types),
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 2 * DAY, max: 10 * DAY }),
  ])(
    'legacy MTA: a Soft 5xx is retried inside the validity, a Hard one never; Ignored and Not defined by the code (SPEC §6.3 turn 2)',
    ([code, enhanced], ph, type, attemptNo, validity) => {
      const reply = `${code} ${enhanced} the server says word_${type}`;
      const q = legacyQ.qualify({ reply, phase: ph });
      expect(q.type).toBe(type);
      const policy = new LegacyRetryPolicy();
      // attempt `attemptNo` failed at its legacy time: 1 h apart, then a day apart
      const now = attemptNo <= 5 ? (attemptNo - 1) * HOUR : 5 * HOUR + (attemptNo - 5) * DAY;
      const d = decideRetry(policy, q, attemptNo, 0, now, 'example.com', { next: () => 0.5 }, validity);
      if (type === 'soft') {
        expect(q.disposition).toBe('transient');
        const next = now + (policy.delay(attemptNo) ?? Number.POSITIVE_INFINITY);
        if (next <= validity) expect(d).toBe(next);
        else expect(d).toBe(GIVE_UP_EXPIRED);
      } else expect(d).toBe(GIVE_UP_PERMANENT);
      // the Enhanced MTA keeps the code's disposition: a 5xx is never retried
      const e = enhancedQ.qualify({ reply, phase: ph });
      expect(e.disposition).toBe('permanent');
      expect(decideRetry(policy, e, attemptNo, 0, now, 'example.com', { next: () => 0.5 }, validity)).toBe(
        GIVE_UP_PERMANENT,
      );
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
