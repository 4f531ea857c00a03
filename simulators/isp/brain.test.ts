import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../core/types.ts';
import { hashStream } from '../population/hash.ts';
import type { RecipientTruth } from '../population/truth.ts';
import { BrainReply, fill, IspBrain, SessionState } from './brain.ts';
import type { FollowUp } from './follow-up.ts';
import { type IspProfileInput, ispProfileSchema } from './profile-schema.ts';
import { parseDayTime } from './run-time.ts';

const truth = (kind: RecipientTruth['kind'], extra: Partial<RecipientTruth> = {}): RecipientTruth => ({
  kind,
  recoversAtMs: 0,
  complainer: false,
  complaintProbability: 0,
  complaintDelayMs: 0,
  initialStatus: 'valid',
  priorErrorText: '',
  controlGroup: false,
  ...extra,
});

function brainOf(profile: Partial<IspProfileInput>, truths: Record<string, RecipientTruth> = {}) {
  const followUps: FollowUp[] = [];
  const brain = new IspBrain({
    profile: ispProfileSchema.parse({
      name: 'test',
      domains: ['example.com'],
      mx: [{ host: 'mx.example.com', preference: 10 }],
      ...profile,
    }),
    truthOf: (a) => truths[a] ?? null,
    random: hashStream(1, 'test'),
    followUps: { schedule: (f) => followUps.push(f) },
  });
  const s = new SessionState().reset('192.0.2.1', 'mx.example.com', '127.0.0.1');
  const out = new BrainReply();
  const rcpt = (to: string, t = 0) => {
    brain.mail(s, 'news@sender.example', t, out);
    brain.rcpt(s, to, t, out);
    if (out.code < 400)
      brain.data(s, { from: 'news@sender.example', to, messageId: '<m1@sender.example>' }, t, out);
    return { code: out.code, text: out.text, close: out.close };
  };
  return { brain, s, out, rcpt, followUps };
}

describe('ISP brain', () => {
  it('answers every magic local part', () => {
    const { rcpt, followUps } = brainOf({});
    expect(rcpt('tempfail@example.com').code).toBe(400);
    expect(rcpt('permfail@example.com').code).toBe(500);
    expect(rcpt('450-x@example.com').code).toBe(450);
    const r421 = rcpt('421-busy@example.com');
    expect(r421.code).toBe(421);
    expect(r421.close).toBe(true);
    expect(rcpt('550-nope@example.com').text).toMatch(/^550 5\.0\.0 550-nope@example\.com/);
    expect(rcpt('full@example.com').text).toBe('452 4.2.2 full@example.com: mailbox is full');
    expect(rcpt('success@example.com').code).toBe(250);
    expect(followUps).toHaveLength(0);
    expect(rcpt('bounce@example.com').text).toMatch(/^550 5\.1\.1/);
    expect(followUps.map((f) => [f.kind, f.status])).toEqual([['dsn', '5.1.1']]);
    expect(rcpt('ooto+label@example.com').code).toBe(250);
    expect(followUps[1]!.kind).toBe('autoReply');
    expect(rcpt('complaint@example.com').code).toBe(250);
    expect(followUps[2]!.kind).toBe('arf');
    expect(followUps[2]!.to).toBe('complaint@example.com');
  });

  it('replies by truth, and a temporary state recovers', () => {
    const { rcpt } = brainOf(
      {
        truth: {
          unknown: { phase: 'rcpt', reply: '550 5.1.1 <rcpt>: no such user' },
          mailboxFull: { phase: 'rcpt', reply: '452 4.2.2 <rcpt>: over quota' },
        },
      },
      { 'u@example.com': truth('unknown'), 'f@example.com': truth('mailboxFull', { recoversAtMs: HOUR }) },
    );
    expect(rcpt('u@example.com').text).toBe('550 5.1.1 u@example.com: no such user');
    expect(rcpt('f@example.com', HOUR - 1).code).toBe(452);
    expect(rcpt('f@example.com', HOUR).code).toBe(250);
    expect(rcpt('someone@example.com').code).toBe(250);
  });

  it('applies an outage window inside it and not outside', () => {
    const outage = '550 5.1.1 <rcpt>: user lookup success but no user record found';
    const { rcpt } = brainOf(
      { windows: [{ from: 'day1 07:00', to: 'day1 13:00', phase: 'rcpt', reply: outage }] },
      { 'v@example.com': truth('valid') },
    );
    expect(rcpt('v@example.com', 7 * HOUR - 1).code).toBe(250);
    expect(rcpt('v@example.com', 7 * HOUR).text).toBe(
      '550 5.1.1 v@example.com: user lookup success but no user record found',
    );
    expect(rcpt('v@example.com', 13 * HOUR - 1).code).toBe(550);
    expect(rcpt('v@example.com', 13 * HOUR).code).toBe(250);
  });

  it('defers with TSS04 once more than N messages an hour come from one IP, and resets next hour', () => {
    const tss =
      '421 4.7.0 [TSS04] Messages from x.x.x.x temporarily deferred due to unexpected volume or user complaints';
    const { rcpt, s } = brainOf({ rateLimits: [{ perHour: 100, phase: 'rcpt', reply: tss }] });
    for (let k = 0; k < 100; k++) expect(rcpt(`a${k}@example.com`, 10 * MINUTE).code).toBe(250);
    const r = rcpt('b@example.com', 20 * MINUTE);
    expect(r.text).toBe(tss.replace('x.x.x.x', '192.0.2.1'));
    expect(r.close).toBe(true);
    s.reset('192.0.2.2', 'mx.example.com', '127.0.0.1');
    expect(rcpt('c@example.com', 20 * MINUTE).code).toBe(250);
    s.reset('192.0.2.1', 'mx.example.com', '127.0.0.1');
    expect(rcpt('d@example.com', HOUR + 1).code).toBe(250);
  });

  it('greylists the first attempt of a triplet, then accepts after the delay', () => {
    const { rcpt } = brainOf({ greylisting: { delayMs: 5 * MINUTE } });
    expect(rcpt('g@example.com', 0).code).toBe(451);
    expect(rcpt('g@example.com', 4 * MINUTE).code).toBe(451);
    expect(rcpt('g@example.com', 5 * MINUTE).code).toBe(250);
    expect(rcpt('h@example.com', 5 * MINUTE).code).toBe(451);
  });

  it('forgets a greylist triplet not seen for two retention periods, keeps one seen again', () => {
    const { brain, rcpt } = brainOf({ greylisting: { delayMs: 5 * MINUTE, retainMs: HOUR } });
    expect(rcpt('a@example.com', 0).code).toBe(451);
    expect(rcpt('b@example.com', 0).code).toBe(451);
    expect(rcpt('a@example.com', 50 * MINUTE).code).toBe(250);
    // b was last seen at 0: gone after two periods; a was seen again at 50 min: still known
    expect(rcpt('a@example.com', HOUR + 40 * MINUTE).code).toBe(250);
    expect(rcpt('b@example.com', 2 * HOUR + 30 * MINUTE).code).toBe(451);
    expect(brain.greylistSize).toBe(2);
    expect(rcpt('c@example.com', 10 * HOUR).code).toBe(451);
    expect(brain.greylistSize).toBe(1);
  });

  test.prop(
    [
      fc.array(fc.tuple(fc.nat({ max: 30 }), fc.integer({ min: 0, max: 40 * MINUTE })), {
        minLength: 1,
        maxLength: 200,
      }),
    ],
    { numRuns: 100 },
  )('greylists as an unbounded table would while a triplet comes back within retainMs', (steps) => {
    const retainMs = HOUR;
    const { brain, rcpt } = brainOf({ greylisting: { delayMs: 5 * MINUTE, retainMs } });
    const firstSeen = new Map<string, number>();
    const lastSeen = new Map<string, number>();
    let t = 0;
    for (const [who, gap] of steps) {
      t += gap;
      const to = `r${who}@example.com`;
      const last = lastSeen.get(to);
      lastSeen.set(to, t);
      const code = rcpt(to, t).code;
      if (last === undefined || t - last >= 2 * retainMs) {
        // new, or forgotten for sure
        expect(code).toBe(451);
        firstSeen.set(to, t);
      } else if (t - last < retainMs) {
        // remembered for sure: the same answer as a table that never forgets
        expect(code).toBe(t < firstSeen.get(to)! + 5 * MINUTE ? 451 : 250);
      } else if (code === 451) firstSeen.set(to, t); // between one and two periods: either
      // at most the triplets of the last two periods are remembered
      let recent = 0;
      for (const v of lastSeen.values()) if (t - v < 2 * retainMs) recent++;
      expect(brain.greylistSize).toBeLessThanOrEqual(recent);
    }
  });

  it('fills {domain} in a per-domain reporting host as the resolver does', () => {
    const { rcpt, followUps } = brainOf(
      {
        mx: [{ host: 'mx1.{domain}', preference: 10 }],
        domainPatterns: ['*'],
        truth: { unknown: { phase: 'rcpt', reply: '550 5.1.1 <rcpt>: unknown' } },
        acceptThenBounce: { probability: 1, delay: { minMs: HOUR, maxMs: HOUR } },
      },
      { 'u@Shop.Example.org': truth('unknown') },
    );
    rcpt('u@Shop.Example.org', 0);
    expect(followUps.map((f) => [f.kind, f.reportingMta])).toEqual([['dsn', 'mx1.shop-example-org']]);
  });

  it('accepts then bounces, sends auto-replies and complaints', () => {
    const { rcpt, followUps } = brainOf(
      {
        truth: { unknown: { phase: 'rcpt', reply: '550 5.1.1 <rcpt>: unknown' } },
        acceptThenBounce: { probability: 1, delay: { minMs: HOUR, maxMs: HOUR } },
      },
      {
        'u@example.com': truth('unknown'),
        'ar@example.com': truth('autoResponder'),
        'c@example.com': truth('valid', {
          complainer: true,
          complaintProbability: 1,
          complaintDelayMs: HOUR,
        }),
      },
    );
    expect(rcpt('u@example.com', 0).code).toBe(250);
    expect(followUps[0]).toMatchObject({
      kind: 'dsn',
      status: '5.1.1',
      diagnostic: '550 5.1.1 u@example.com: unknown',
    });
    expect(followUps[0]!.atMs).toBeGreaterThanOrEqual(HOUR);
    rcpt('ar@example.com', 0);
    expect(followUps[1]!.kind).toBe('autoReply');
    rcpt('c@example.com', 0);
    expect(followUps[2]!.kind).toBe('arf');
    expect(followUps[2]!.atMs).toBeGreaterThanOrEqual(HOUR);
  });

  test.prop([
    fc.integer({ min: 1, max: 400 }),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
  ])('parses dayN HH:MM into ms since the run started', (d, h, m) => {
    expect(parseDayTime(`day${d} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)).toBe(
      (d - 1) * 24 * HOUR + h * HOUR + m * MINUTE,
    );
  });
  it('rejects bad day times', () => {
    expect(parseDayTime('day0 07:00')).toBeNull();
    expect(parseDayTime('day1 25:00')).toBeNull();
    expect(parseDayTime('tomorrow')).toBeNull();
  });
});

describe('fill', () => {
  it("writes a recipient holding $&, $' or $$ as it is (no replacement patterns)", () => {
    const template = '550 5.1.1 <rcpt>: no such user here at <domain> (x.x.x.x)';
    for (const rcpt of ['a$&b@example.com', "x$'y@example.com", 'p$$q$`@example.com']) {
      expect(fill(template, rcpt, 'example.com', '192.0.2.1')).toBe(
        `550 5.1.1 ${rcpt}: no such user here at example.com (192.0.2.1)`,
      );
    }
  });
});
