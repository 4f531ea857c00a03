import { describe, expect, it } from 'vitest';
import { loadAdaptiveRules, loadMxRules, loadWarmup } from '../../node/index.ts';
import { createShaper } from './shaper.ts';
import type { Suspension } from './suspensions.ts';
import { failure, hosts } from './test-helpers.ts';

const H = 3_600_000;
const MIN = 60_000;
const mxRules = loadMxRules();
const adaptiveRules = loadAdaptiveRules();
const warmup = loadWarmup();
const IP = ['198.51.100.1'];

describe('legacy: error-rate block (SPEC §7.1)', () => {
  function run(total: number, errors: number) {
    const events: Suspension[] = [];
    const s = createShaper({ mode: 'legacy', mxRules, listener: (e) => events.push({ ...e }) });
    const d = s.registerSite('example.org', hosts('example.org', 1), IP);
    const p = s.pathsOf('example.org')[0]!;
    const t = 10 * MIN;
    for (let i = 0; i < total; i++) {
      // errors spread evenly, so the running rate never exceeds errors / total
      const err = Math.floor(((i + 1) * errors) / total) > Math.floor((i * errors) / total);
      s.onReply(p, err ? '421 try later' : '250 ok', err ? failure() : null, t);
    }
    return { s, d, p, t, events };
  }
  it('300 messages at 90% errors block the domain for exactly 3 hours', () => {
    const { s, d, p, t, events } = run(300, 270);
    expect(s.isBlocked(d, t)).toBe(t + 3 * H);
    expect(s.isBlocked('EXAMPLE.org', t + 3 * H - 1)).toBe(t + 3 * H);
    expect(s.isBlocked(d, t + 3 * H)).toBe(0);
    expect(s.nextSendAt(p, t)).toBe(t + 3 * H);
    expect(s.routeId(d, t).at).toBe(t + 3 * H);
    expect(s.tryOpen(p, t)).toBe(-1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'block', domain: 'example.org', startMs: t, endMs: t + 3 * H });
  });
  it('299 messages do not block, nor does 89.9%', () => {
    expect(run(299, 299).s.isBlocked(0, 10 * MIN)).toBe(0);
    expect(run(1000, 899).s.isBlocked(0, 10 * MIN)).toBe(0);
  });
  it('errorBlockRoom: the fewest further replies that could trip the block', () => {
    const fresh = createShaper({ mode: 'legacy', mxRules });
    const d0 = fresh.registerSite('example.org', hosts('example.org', 1), IP);
    expect(fresh.errorBlockRoom(d0, 0)).toBe(300);
    // 300 replies, 15 errors: 90% needs (0.9 × 300 − 15) / 0.1 = 2,550 more errors
    expect(run(300, 15).s.errorBlockRoom(0, 10 * MIN)).toBe(2550);
    expect(run(299, 299).s.errorBlockRoom(0, 10 * MIN)).toBe(1);
    expect(run(100, 0).s.errorBlockRoom(0, 10 * MIN)).toBe(900);
    // a block resets the counts: the next one needs 300 replies again
    expect(run(300, 300).s.errorBlockRoom(0, 10 * MIN)).toBe(300);
    const enhanced = createShaper({ mode: 'enhanced', mxRules, adaptiveRules });
    const d1 = enhanced.registerSite('example.org', hosts('example.org', 1), IP);
    expect(enhanced.errorBlockRoom(d1, 0)).toBe(Number.POSITIVE_INFINITY);
  });
  it('replies that trip the block again while it holds extend it in one record', () => {
    const { s, p, t, events } = run(300, 300);
    for (let i = 0; i < 300; i++) s.onReply(p, '421 try later', failure(), t);
    expect(events).toHaveLength(1);
    for (let i = 0; i < 300; i++) s.onReply(p, '421 try later', failure(), t + MIN);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ id: events[0]!.id, startMs: t, endMs: t + MIN + 3 * H });
    expect(s.suspensions()).toHaveLength(1);
    expect(s.isBlocked(0, t + 3 * H)).toBe(t + MIN + 3 * H);
  });
  it('a block can be cancelled', () => {
    const { s, d, p, t } = run(300, 300);
    const [b] = s.suspensions(t);
    expect(s.cancelSuspension(b!.id, t + MIN)).toBe(true);
    expect(s.isBlocked(d, t + MIN)).toBe(0);
    expect(s.nextSendAt(p, t + MIN)).toBe(t + MIN);
    expect(s.suspensions(t + MIN)).toHaveLength(0);
  });
});

describe('legacy: slices, connections, paths', () => {
  it('sends 833 per 5-minute slice at 10,000/h on one path', () => {
    const s = createShaper({ mode: 'legacy', mxRules });
    const d = s.registerSite('example.org', hosts('example.org', 1), IP);
    let t = 0;
    let n = 0;
    for (;;) {
      const c = s.routeId(d, t);
      if (c.at >= 5 * MIN) break;
      t = c.at;
      s.onSend(c.pathId, t);
      n++;
    }
    expect(n).toBe(833);
    expect(t).toBe(0);
    expect(s.routeId(d, t).at).toBe(5 * MIN);
  });

  it('limits connections per bucket and messages per connection', () => {
    const s = createShaper({ mode: 'legacy', mxRules });
    s.registerSite('yahoo.com', [{ host: 'mta5.mail.yahoo.com', preference: 1, ips: ['192.0.2.9'] }], IP);
    const p = s.pathsOf('yahoo.com')[0]!;
    expect(s.sessionLimits(p)).toMatchObject({
      maxMessagesPerConnection: 5,
      connectTimeoutMs: 10_000,
      rule: 'yahoo',
    });
    const sessions = [];
    for (let i = 0; i < 30; i++) sessions.push(s.tryOpen(p, 0));
    expect(sessions.every((x) => x >= 0)).toBe(true);
    expect(s.tryOpen(p, 0)).toBe(-1);
    expect(s.nextSlotAt(p, 0)).toBe(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 5; i++) expect(s.onSend(p, 0, sessions[0]!)).toBe(true);
    expect(s.sessionRemaining(sessions[0]!)).toBe(0);
    expect(s.onSend(p, 0, sessions[0]!)).toBe(false);
    expect(s.close(sessions[0]!, 0)).toBe(true);
    expect(s.close(sessions[0]!, 0)).toBe(false);
    expect(s.nextSlotAt(p, 0)).toBe(0);
    expect(s.tryOpen(p, 0)).toBeGreaterThanOrEqual(0);
  });

  it('a path is down after 3 connection errors, the route moves to the other path, then to the backup', () => {
    const events: Suspension[] = [];
    const s = createShaper({ mode: 'legacy', mxRules, listener: (e) => events.push({ ...e }) });
    const mx = [...hosts('example.org', 2, 10), ...hosts('example.org', 1, 20, 9)];
    const d = s.registerSite('example.org', mx, IP);
    const [a, b, backup] = s.pathsOf('example.org') as [number, number, number];
    expect(s.describePath(backup).mxIp).toBe('192.0.2.9');
    const t = 1_000;
    expect(s.onConnectionError(a, t)).toBe(t);
    s.onConnectionError(a, t);
    expect(s.onConnectionError(a, t)).toBe(t + 10 * MIN);
    expect(events.at(-1)).toMatchObject({ kind: 'pathDown', mxIp: '192.0.2.1', endMs: t + 10 * MIN });
    for (let i = 0; i < 5; i++) expect(s.routeId(d, t).pathId).toBe(b);
    for (let i = 0; i < 3; i++) s.onConnectionError(b, t);
    expect(s.routeId(d, t)).toMatchObject({ pathId: backup, at: t });
    for (let i = 0; i < 3; i++) s.onConnectionError(backup, t + 1);
    // nothing left: pending until the first path comes back
    expect(s.routeId(d, t + 2)).toMatchObject({ pathId: a, at: t + 10 * MIN });
  });

  it('100 consecutive connection errors over every MX delay the whole queue', () => {
    const events: Suspension[] = [];
    const s = createShaper({ mode: 'legacy', mxRules, listener: (e) => events.push({ ...e }) });
    const d = s.registerSite('example.org', hosts('example.org', 4), IP);
    const paths = s.pathsOf('example.org');
    for (let i = 0; i < 99; i++) s.onConnectionError(paths[i % 4]!, i);
    expect(s.isBlocked(d, 99)).toBe(0);
    s.onConnectionError(paths[0]!, 99);
    expect(s.isBlocked(d, 100)).toBe(99 + 30 * MIN);
    expect(events.filter((e) => e.kind === 'delayQueue')).toHaveLength(1);
  });
});

describe('enhanced: response rules (SPEC §7.2)', () => {
  const setup = () => {
    const events: Suspension[] = [];
    const s = createShaper({
      mode: 'enhanced',
      mxRules,
      adaptiveRules,
      listener: (e) => events.push({ ...e }),
    });
    s.registerSite('yahoo.com', [{ host: 'mta5.am0.yahoodns.net', preference: 1, ips: ['192.0.2.7'] }], IP);
    return { s, p: s.pathsOf('yahoo.com')[0]!, events };
  };
  it('[TSS04] suspends the pair for exactly 2 hours; it sends nothing meanwhile; cancel lifts it', () => {
    const { s, p, events } = setup();
    const t = 5 * MIN + 123;
    const a = s.onReply(p, '421 4.7.0 [TSS04] Messages from 198.51.100.1 temporarily deferred', failure(), t);
    expect(a).toMatchObject({ rule: 'yahoo-tss04', heldUntil: t + 2 * H });
    expect(s.nextSendAt(p, t)).toBe(t + 2 * H);
    expect(s.suspendedUntil(p, t + 2 * H - 1)).toBe(t + 2 * H);
    expect(s.tryOpen(p, t + H)).toBe(-1);
    expect(s.nextSendAt(p, t + 2 * H)).toBe(t + 2 * H);
    expect(events[0]).toMatchObject({
      kind: 'suspend',
      domain: 'yahoo.com',
      localIp: IP[0],
      rule: 'yahoo-tss04',
    });
    const id = events[0]!.id;
    expect(s.cancelSuspension(id, t + H)).toBe(true);
    expect(s.nextSendAt(p, t + H)).toBe(t + H);
    expect(events.at(-1)).toMatchObject({ id, cancelled: true, endMs: t + H });
  });
  it('"temporarily rate limited due to IP reputation": 1 message a minute and 1 connection for 90 minutes', () => {
    const { s, p } = setup();
    s.onReply(p, '421 4.7.0 temporarily rate limited due to IP reputation', failure(), 0);
    expect(s.pairRate(p, 0)).toEqual({ count: 1, periodMs: MIN });
    expect(s.pairMaxConnections(p, 0)).toBe(1);
    expect(s.onSend(p, 0)).toBe(true);
    expect(s.nextSendAt(p, 0)).toBe(MIN);
    const c = s.tryOpen(p, 0);
    expect(c).toBeGreaterThanOrEqual(0);
    expect(s.tryOpen(p, 0)).toBe(-1);
    s.close(c, 0);
    expect(s.pairMaxConnections(p, 90 * MIN)).toBe(30);
    expect(s.pairRate(p, 90 * MIN)).toEqual({ count: 1200, periodMs: H });
  });
  it('Gmail 421 4.7.28 throttles after 3 within 5 minutes; clean hours bring the rate back by 10%', () => {
    const s = createShaper({ mode: 'enhanced', mxRules, adaptiveRules });
    s.registerSite(
      'gmail.com',
      [{ host: 'gmail-smtp-in.l.google.com', preference: 5, ips: ['192.0.2.20'] }],
      IP,
    );
    const p = s.pathsOf('gmail.com')[0]!;
    const txt = '421 4.7.28 Gmail has detected an unusual rate of unsolicited mail; temporarily rate limited';
    s.onReply(p, txt, failure(), 0);
    s.onReply(p, txt, failure(), 6 * MIN); // window restarted: 5 minutes passed
    s.onReply(p, txt, failure(), 7 * MIN);
    expect(s.pairRate(p, 7 * MIN).count).toBe(20_000);
    expect(s.onReply(p, txt, failure(), 8 * MIN).rule).toBe('gmail-421-rate-limited');
    expect(s.pairRate(p, 8 * MIN).count).toBe(10_000);
    s.onReply(p, '250 ok', null, 8 * MIN + H);
    expect(s.pairRate(p, 8 * MIN + H).count).toBe(11_000);
    s.onReply(p, '250 ok', null, 8 * MIN + 10 * H);
    expect(s.pairRate(p, 8 * MIN + 10 * H).count).toBe(20_000);
  });
  it('Microsoft S3150 blocks and rewrites the permanent reply to transient', () => {
    const s = createShaper({ mode: 'enhanced', mxRules, adaptiveRules });
    s.registerSite(
      'hotmail.com',
      [{ host: 'hotmail-com.olc.protection.outlook.com', preference: 2, ips: ['192.0.2.30'] }],
      IP,
    );
    const p = s.pathsOf('hotmail.com')[0]!;
    const a = s.onReply(
      p,
      "550 5.7.1 Unfortunately, messages from [198.51.100.1] weren't sent. (S3150)",
      failure('hard'),
      0,
    );
    expect(a.rewriteToTransient).toBe(true);
    expect(s.nextSendAt(p, 0)).toBe(4 * H);
  });
  it('greylisting returns a later retry time', () => {
    const s = createShaper({ mode: 'enhanced', mxRules, adaptiveRules });
    s.registerSite(
      'gmail.com',
      [{ host: 'gmail-smtp-in.l.google.com', preference: 5, ips: ['192.0.2.20'] }],
      IP,
    );
    const p = s.pathsOf('gmail.com')[0]!;
    const a = s.onReply(
      p,
      '450 4.2.1 The user you are trying to contact is receiving mail at a rate (ReceivingRate)',
      failure(),
      1000,
    );
    expect(a.retryNotBefore).toBe(1000 + 30 * MIN);
  });
});

describe('enhanced: rate rules and warm-up', () => {
  const make = () => {
    const s = createShaper({ mode: 'enhanced', mxRules, adaptiveRules, warmup, ipAges: { [IP[0]!]: 0 } });
    s.registerSite('example.org', hosts('example.org', 1), IP);
    return { s, p: s.pathsOf('example.org')[0]! };
  };
  it('rejections of 20% over 2,000 attempts in an hour suspend for 4 hours; 1,999 do not', () => {
    const { s, p } = make();
    for (let i = 0; i < 1999; i++)
      s.onReply(p, i % 5 === 0 ? '451 later' : '250 ok', i % 5 === 0 ? failure() : null, 1000);
    expect(s.suspendedUntil(p, 1000)).toBe(0);
    const a = s.onReply(p, '250 ok', null, 2000);
    expect(a.rule).toBe('rejections-20pct');
    expect(s.suspendedUntil(p, 2000)).toBe(2000 + 4 * H);
  });
  it('3% hard bounces throttle down by half', () => {
    const { s, p } = make();
    for (let i = 0; i < 2000; i++)
      s.onReply(p, i < 60 ? '550 5.1.1 no such user' : '250 ok', i < 60 ? failure('hard') : null, 1000);
    expect(s.suspendedUntil(p, 1000)).toBe(0);
    expect(s.pairRate(p, 1000).count).toBe(5000);
  });
  it('complaints of 0.5% over 20,000 deliveries in 24 h suspend', () => {
    const { s, p } = make();
    for (let i = 0; i < 20_000; i++) s.onReply(p, '250 ok', null, 1000 + i);
    for (let i = 0; i < 99; i++) s.onComplaint(IP[0]!, 'example.org', 30_000);
    expect(s.suspendedUntil(p, 30_000)).toBe(0);
    expect(s.pairRate(p, 30_000).count).toBe(5000);
    s.onComplaint(IP[0]!, 'example.org', 30_000);
    expect(s.suspendedUntil(p, 30_000)).toBe(30_000 + 4 * H);
  });
  it('warm-up: a new IP sends at most 1,000/h to AOL on day 1 and 10,000/h on day 5', () => {
    const s = createShaper({ mode: 'enhanced', mxRules, adaptiveRules, warmup, ipAges: { [IP[0]!]: 0 } });
    const d = s.registerSite(
      'aol.com',
      [{ host: 'mx-aol.mail.gm0.yahoodns.net', preference: 1, ips: ['192.0.2.40'] }],
      IP,
    );
    const count = (from: number) => {
      let t = from;
      let n = 0;
      for (;;) {
        const c = s.routeId(d, t);
        if (c.at >= from + H) return n;
        t = c.at;
        s.onSend(c.pathId, t);
        n++;
      }
    };
    expect(count(0)).toBe(996); // 12 × floor(1000 / 12)
    expect(count(4 * 86_400_000)).toBe(1200); // day 5: 10,000/h, the Yahoo-DNS MX rule (1,200/h) binds
  });
});
