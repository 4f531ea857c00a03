import { describe, expect, it } from 'vitest';
import { parseDataText, retryPolicy, retryPresets } from '../../node/index.ts';
import { parseDuration } from '../duration.ts';
import type { RandomSource } from '../ports.ts';
import { DAY, HOUR, LogStatus, MINUTE, type Qualification, Reason } from '../types.ts';
import { decideRetry, GIVE_UP_EXPIRED, GIVE_UP_PERMANENT, giveUpLogStatus } from './decide.ts';
import { EnhancedRetryPolicy } from './enhanced.ts';
import { LegacyRetryPolicy } from './legacy.ts';
import type { RetryPolicy } from './policy.ts';
import { retryPolicyFileSchema } from './spec.ts';
import { resumeAfterSuspension } from './suspension.ts';

const soft: Qualification = {
  type: 'soft',
  reason: Reason.MailboxFull,
  impact: 'count',
  disposition: 'transient',
  rule: null,
  bounceClass: 22,
};
const hard: Qualification = {
  ...soft,
  type: 'hard',
  reason: Reason.UserUnknown,
  impact: 'quarantine',
  disposition: 'permanent',
};
const half: RandomSource = { next: () => 0.5 };

/** Attempt times of a message that fails transiently every time, attempts made exactly when scheduled. */
function schedule(
  policy: RetryPolicy,
  q: Qualification = soft,
  validity?: number,
  domain = 'example.com',
): number[] {
  const times = [0];
  for (let n = 1; n < 1000; n++) {
    const d = decideRetry(policy, q, n, 0, times[n - 1]!, domain, half, validity);
    if (d < 0) break;
    times.push(d);
  }
  return times;
}

describe('legacy policy', () => {
  it('retries at exactly +1h .. +5h, then daily, within 5 days', () => {
    expect(schedule(new LegacyRetryPolicy())).toEqual([
      0,
      HOUR,
      2 * HOUR,
      3 * HOUR,
      4 * HOUR,
      5 * HOUR,
      5 * HOUR + DAY,
      5 * HOUR + 2 * DAY,
      5 * HOUR + 3 * DAY,
      5 * HOUR + 4 * DAY,
    ]);
  });

  it('is cut by the validity period', () => {
    expect(schedule(new LegacyRetryPolicy(), soft, 2 * DAY)).toEqual([
      0,
      HOUR,
      2 * HOUR,
      3 * HOUR,
      4 * HOUR,
      5 * HOUR,
      5 * HOUR + DAY,
    ]);
    expect(schedule(new LegacyRetryPolicy(), soft, 3 * HOUR)).toEqual([0, HOUR, 2 * HOUR, 3 * HOUR]);
  });

  it('takes count and spacing as settings', () => {
    const p = new LegacyRetryPolicy({
      quickRetries: 2,
      quickSpacingMs: 10 * MINUTE,
      slowRetries: 1,
      slowSpacingMs: 6 * HOUR,
    });
    expect(schedule(p)).toEqual([0, 10 * MINUTE, 20 * MINUTE, 20 * MINUTE + 6 * HOUR]);
  });
});

describe('enhanced policy', () => {
  it('treats a 5-day validity as 3.5 days and honours shorter ones', () => {
    const p = new EnhancedRetryPolicy();
    expect(p.effectiveValidity(5 * DAY)).toBe(3.5 * DAY);
    expect(p.effectiveValidity()).toBe(3.5 * DAY);
    expect(p.effectiveValidity(2 * DAY)).toBe(2 * DAY);
    const times = schedule(p, soft, 5 * DAY);
    expect(times.at(-1)!).toBeLessThanOrEqual(3.5 * DAY);
    expect(times.at(-1)! + 4 * HOUR).toBeGreaterThan(3.5 * DAY); // it used the validity up
  });

  it('chooses the interval from the reply and the domain, ignoring retry settings', () => {
    const p = new EnhancedRetryPolicy();
    const deferral = { ...soft, reason: Reason.Unreachable };
    expect(schedule(p, deferral).slice(0, 4)).toEqual([0, 10 * MINUTE, 30 * MINUTE, 70 * MINUTE]);
    expect(schedule(p, deferral, undefined, 'mx.yahoo.com').slice(0, 3)).toEqual([
      0,
      30 * MINUTE,
      90 * MINUTE,
    ]);
    expect(schedule(p, soft).slice(0, 4)).toEqual([0, HOUR, 5 * HOUR, 9 * HOUR]);
  });
});

describe('peer presets', () => {
  it('kumomta gives about 9 attempts within 7 days', () => {
    const p = retryPolicy('kumomta');
    expect(p.effectiveValidity(5 * DAY)).toBe(7 * DAY);
    const n = schedule(p).length;
    expect(n).toBeGreaterThanOrEqual(8);
    expect(n).toBeLessThanOrEqual(10);
  });

  it('haraka stops after 13 failures, about 72.8 h in', () => {
    const t = schedule(retryPolicy('haraka'));
    expect(t.length).toBe(13);
    expect(t.at(-1)).toBe(262_080_000); // 2^6 + ... + 2^17 s
  });

  it('postal makes 18 attempts over about 31 h', () => {
    const t = schedule(retryPolicy('postal'));
    expect(t.length).toBe(18);
    expect(t.at(-1)! / HOUR).toBeCloseTo(30.9, 1);
  });

  it('mailgun drops after its six intervals, before 8 h', () => {
    const t = schedule(retryPolicy('mailgun'));
    expect(t.map((x) => x / MINUTE)).toEqual([0, 10, 25, 55, 115, 235, 475]);
  });

  it('powermta retries every 10 minutes until 4d12h', () => {
    const t = schedule(retryPolicy('powermta'));
    expect(t[1]).toBe(10 * MINUTE);
    expect(t.at(-1)).toBe(4.5 * DAY);
  });

  it('sparkpost caps at 160 minutes over 72 h; momentum caps at 12 h', () => {
    const s = schedule(retryPolicy('sparkpost'));
    expect(s.slice(1, 6).map((x, i) => (x - s[i]!) / MINUTE)).toEqual([20, 40, 80, 160, 160]);
    expect(s.at(-1)).toBeLessThanOrEqual(72 * HOUR);
    const m = schedule(retryPolicy('momentum'), soft, 10 * DAY);
    const gaps = m.slice(1).map((x, i) => x - m[i]!);
    expect(Math.max(...gaps)).toBe(12 * HOUR);
    expect(m.at(-1)).toBeLessThanOrEqual(5 * DAY);
  });

  it('lists every preset and refuses an unknown name', () => {
    expect(Object.keys(retryPresets()).sort()).toEqual(
      [
        'enhanced',
        'haraka',
        'kumomta',
        'legacy',
        'mailgun',
        'momentum',
        'postal',
        'powermta',
        'sparkpost',
      ].sort(),
    );
    expect(() => retryPolicy('nope')).toThrow(/unknown retry policy "nope" \(known: legacy/);
  });
});

describe('decideRetry', () => {
  it('never retries a permanent error, whatever the policy', () => {
    expect(decideRetry(new LegacyRetryPolicy(), hard, 1, 0, 0, 'x', half)).toBe(GIVE_UP_PERMANENT);
    expect(giveUpLogStatus(GIVE_UP_PERMANENT, hard)).toBe(LogStatus.Failed);
    expect(giveUpLogStatus(GIVE_UP_PERMANENT, { ...hard, type: 'ignored' })).toBe(LogStatus.Ignored);
    expect(giveUpLogStatus(GIVE_UP_EXPIRED, soft)).toBe(LogStatus.Failed);
    expect(decideRetry(new LegacyRetryPolicy(), soft, 10, 0, 5 * DAY, 'x', half)).toBe(GIVE_UP_EXPIRED);
  });
});

describe('resumeAfterSuspension', () => {
  it('keeps later schedules and spreads held messages over one backoff after the end', () => {
    expect(resumeAfterSuspension(1000, 5000, HOUR, 1)).toBe(5000);
    const end = 4 * HOUR;
    const minutes = new Set<number>();
    for (let id = 0; id < 600; id++) {
      const t = resumeAfterSuspension(end, HOUR, HOUR, id);
      expect(t).toBeGreaterThanOrEqual(end);
      expect(t).toBeLessThan(end + HOUR);
      expect(resumeAfterSuspension(end, HOUR, HOUR, id)).toBe(t);
      minutes.add(Math.floor((t - end) / MINUTE));
    }
    expect(minutes.size).toBeGreaterThanOrEqual(55); // 600 messages land in at least 55 of the 60 minutes
  });
});

describe('policy data files', () => {
  it('parses durations and reports a bad one with its place', () => {
    expect(parseDuration('4d12h')).toBe(4.5 * DAY);
    expect(parseDuration('1h30m')).toBe(90 * MINUTE);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5 minutes')).toBeNull();
    const text = 'policies:\n  mine:\n    kind: intervals\n    intervalsMs: [10m, soon]\n';
    expect(() => parseDataText(text, 'p.yaml', retryPolicyFileSchema)).toThrow(
      /p\.yaml:4:\d+: policies\.mine\.intervalsMs\[1\]: expected a duration/,
    );
  });
});
