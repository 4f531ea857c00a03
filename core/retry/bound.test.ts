import { describe, expect, it } from 'vitest';
import { retryPolicy } from '../../node/index.ts';
import { DAY, HOUR, MINUTE } from '../types.ts';
import { ATTEMPT_BOUND_CAP, attemptBound } from './bound.ts';
import { EnhancedRetryPolicy } from './enhanced.ts';
import { LegacyRetryPolicy } from './legacy.ts';
import type { RetryPolicy } from './policy.ts';

describe('attemptBound (liveness)', () => {
  it('legacy: 1 + 5 hourly + 4 daily attempts in 5 days, plus the last attempt before a deadline', () => {
    expect(attemptBound(new LegacyRetryPolicy(), 5 * DAY)).toBe(11);
    // 2 h validity: the first try and 2 hourly retries fit
    expect(attemptBound(new LegacyRetryPolicy(), 2 * HOUR)).toBe(4);
  });

  it('enhanced: the shortest interval of any row, walked over 84 h', () => {
    const p = new EnhancedRetryPolicy();
    expect(p.shortestDelay(1)).toBe(10 * MINUTE);
    expect(p.shortestDelay(2)).toBe(20 * MINUTE);
    expect(p.shortestDelay(9)).toBe(2 * HOUR);
    // 10 + 20 + 40 + 60 min, then 2 h each until 84 h: 1 + 4 + 40 attempts, + 1
    expect(attemptBound(p, 3.5 * DAY)).toBe(46);
  });

  it('a policy with a jitter counts its shortest draw; one without shortestDelay gets the cap', () => {
    const kumo = retryPolicy('kumomta');
    expect(attemptBound(kumo, 7 * DAY)).toBeGreaterThanOrEqual(9);
    const foreign: RetryPolicy = {
      name: 'foreign',
      effectiveValidity: () => DAY,
      nextAttemptAt: () => null,
    };
    expect(attemptBound(foreign, DAY)).toBe(ATTEMPT_BOUND_CAP);
  });
});
