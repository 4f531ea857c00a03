import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { loadAdaptiveRules, loadMxRules, parseMxRules } from '../../node/index.ts';
import { createShaper } from './shaper.ts';
import { failure } from './test-helpers.ts';

const SLICE = 300_000;
const adaptiveRules = loadAdaptiveRules();
const REPLIES = [
  '250 ok',
  '421 4.7.0 [TSS04] Messages from 198.51.100.1 temporarily deferred',
  '421 4.7.0 temporarily rate limited due to IP reputation',
  '550 5.1.1 no such user',
  '451 4.3.0 try later',
  '421 4.7.28 unusual rate of unsolicited mail',
];

const op = fc.oneof(
  fc.record({ k: fc.constant('send' as const), gap: fc.integer({ min: 0, max: 200_000 }), path: fc.nat(5) }),
  fc.record({ k: fc.constant('open' as const), path: fc.nat(5) }),
  fc.record({ k: fc.constant('close' as const), which: fc.nat(40) }),
  fc.record({ k: fc.constant('reply' as const), path: fc.nat(5), r: fc.nat(REPLIES.length - 1) }),
  fc.record({ k: fc.constant('connErr' as const), path: fc.nat(5) }),
  fc.record({ k: fc.constant('cancel' as const), which: fc.nat(20) }),
);

function rulesText(rate: number, conns: number, mpc: number, shared: boolean): string {
  return `version: 1\nrules:\n  - mask: '*'\n    shared: ${shared}\n    maxConnections: ${conns}\n    maxMessagesPerConnection: ${mpc}\n    messagesPerHour: ${rate}\n    connectTimeout: 10s\n    dataTimeout: 1m\n    timeout: 1m\n`;
}

describe('shaper invariants over random send/reply sequences', () => {
  test.prop(
    [
      fc.constantFrom('legacy' as const, 'enhanced' as const),
      fc.integer({ min: 12, max: 3_000 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 6 }),
      fc.boolean(),
      fc.array(op, { minLength: 1, maxLength: 400 }),
    ],
    { numRuns: 150 },
  )(
    'limits hold per bucket and slice, per connection, and suspended pairs send nothing',
    (mode, rate, conns, mpc, shared, ops) => {
      const s = createShaper({
        mode,
        mxRules: parseMxRules(rulesText(rate, conns, mpc, shared)),
        adaptiveRules,
      });
      const mx = [0, 1, 2].map((i) => ({
        host: `mx${i}.example.org`,
        preference: 10,
        ips: [`192.0.2.${i + 1}`],
      }));
      s.registerSite('example.org', mx, ['198.51.100.1', '198.51.100.2']);
      const paths = s.pathsOf('example.org');
      const perBucketSlice = new Map<string, number>();
      const perSession = new Map<number, number>();
      const open: number[] = [];
      const perSlice = Math.floor(rate / 12);
      let t = 0;
      for (const o of ops) {
        if (o.k === 'send' || o.k === 'reply' || o.k === 'connErr' || o.k === 'open') {
          const p = paths[o.path % paths.length]!;
          if (o.k === 'send') {
            t = s.nextSendAt(p, t + o.gap);
            if (!Number.isFinite(t)) continue;
            const suspended = s.suspendedUntil(p, t);
            // a session that may carry the message, if any
            const sess = open.find((x) => (perSession.get(x) ?? 0) < mpc && s.sessionRemaining(x) > 0) ?? -1;
            expect(s.onSend(p, t, sess)).toBe(true);
            expect(suspended).toBe(0);
            expect(s.isBlocked(0, t)).toBe(0);
            if (sess >= 0) perSession.set(sess, (perSession.get(sess) ?? 0) + 1);
            const { localIp, mxIp } = s.describePath(p);
            const key = `${localIp}|${shared ? '' : mxIp}|${Math.floor(t / SLICE)}`;
            perBucketSlice.set(key, (perBucketSlice.get(key) ?? 0) + 1);
            expect(perBucketSlice.get(key)!).toBeLessThanOrEqual(perSlice);
          } else if (o.k === 'open') {
            const c = s.tryOpen(p, t);
            if (c >= 0) open.push(c);
          } else if (o.k === 'reply') {
            const text = REPLIES[o.r]!;
            s.onReply(p, text, o.r === 0 ? null : failure(o.r === 3 ? 'hard' : 'soft'), t);
          } else {
            s.onConnectionError(p, t);
          }
        } else if (o.k === 'close') {
          if (open.length > 0) {
            const c = open.splice(o.which % open.length, 1)[0]!;
            expect(s.close(c, t)).toBe(true);
            expect(s.sessionRemaining(c)).toBe(0);
          }
        } else {
          const list = s.suspensions(t);
          if (list.length > 0) s.cancelSuspension(list[o.which % list.length]!.id, t);
        }
        for (const p of paths) {
          const c = s.openConnections(p);
          expect(c.bucket).toBeGreaterThanOrEqual(0);
          expect(c.bucket).toBeLessThanOrEqual(conns);
          expect(c.pair).toBeGreaterThanOrEqual(0);
        }
        for (const n of perSession.values()) expect(n).toBeLessThanOrEqual(mpc);
      }
      // open sessions never exceed the limit × number of buckets (2 local IPs, × 3 MX IPs when not shared)
      expect(open.length).toBeLessThanOrEqual(conns * (shared ? 2 : 6));
    },
  );

  test.prop([fc.integer({ min: 0, max: 10 * 3_600_000 }), fc.integer({ min: 1, max: 7_200_000 })])(
    'a suspended pair sends nothing until the suspension ends or is cancelled',
    (t0, cancelAfter) => {
      const s = createShaper({ mode: 'enhanced', mxRules: loadMxRules(), adaptiveRules });
      s.registerSite(
        'yahoo.com',
        [{ host: 'mta5.mail.yahoo.com', preference: 1, ips: ['192.0.2.7'] }],
        ['198.51.100.1'],
      );
      const p = s.pathsOf('yahoo.com')[0]!;
      s.onReply(p, '421 4.7.0 [TSS04] deferred', failure(), t0);
      const end = t0 + 2 * 3_600_000;
      for (let t = t0; t < end; t += 599_999) expect(s.nextSendAt(p, t)).toBe(end);
      const cancelAt = t0 + Math.min(cancelAfter, 2 * 3_600_000 - 1);
      const id = s.suspensions(cancelAt)[0]!.id;
      expect(s.cancelSuspension(id, cancelAt)).toBe(true);
      expect(s.nextSendAt(p, cancelAt)).toBe(cancelAt);
    },
  );
});

describe('legacy: error-rate block room (SPEC §7.1)', () => {
  const errorBlockRules = (min: number, rate: number) =>
    parseMxRules(
      `version: 1\nerrorBlock:\n  minMessages: ${min}\n  errorRate: ${rate}\nrules:\n  - mask: '*'\n    maxConnections: 10\n    maxMessagesPerConnection: 50\n    messagesPerHour: 10000\n    connectTimeout: 10s\n    dataTimeout: 1m\n    timeout: 1m\n`,
    );
  test.prop([
    fc.integer({ min: 1, max: 400 }),
    fc.constantFrom(0.5, 0.8, 0.9, 0.95, 0.99, 1),
    fc.array(fc.boolean(), { maxLength: 600 }),
  ])(
    'errorBlockRoom is the exact number of further error replies that trips the block',
    (min, rate, history) => {
      const s = createShaper({ mode: 'legacy', mxRules: errorBlockRules(min, rate) });
      const d = s.registerSite(
        'example.org',
        [{ host: 'mx.example.org', preference: 1, ips: ['192.0.2.1'] }],
        ['198.51.100.1'],
      );
      const p = s.pathsOf('example.org')[0]!;
      const t = 1_000;
      for (const err of history)
        s.onReply(p, err ? '451 4.3.0 try later' : '250 ok', err ? failure() : null, t);
      const blockedBefore = s.isBlocked(d, t);
      const room = s.errorBlockRoom(d, t);
      if (!Number.isFinite(room)) {
        // only a 100% rate after a success in the window can never trip
        expect(rate).toBe(1);
        for (let i = 0; i < min + 5; i++) s.onReply(p, '451 4.3.0 try later', failure(), t);
        expect(s.suspensions().filter((x) => x.startMs === t)).toHaveLength(blockedBefore ? 1 : 0);
        return;
      }
      expect(room).toBeGreaterThanOrEqual(1);
      let n = 0;
      for (;;) {
        n++;
        const a = s.onReply(p, '451 4.3.0 try later', failure(), t);
        if (a.rule === 'errorBlock') break;
        expect(n).toBeLessThan(room);
      }
      expect(n).toBe(room);
    },
  );
});
