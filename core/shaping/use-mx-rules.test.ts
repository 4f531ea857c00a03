/**
 * `Shaper.useMxRules` (an MX-rule refresh, SPEC §7.1, issue #24): the new limits hold from the swap
 * on, a rule that keeps its name and mask keeps its bucket's counters, the sessions open before the
 * swap release their slots where they took them, and the new paths carry the new rule's settings.
 */
import { describe, expect, it } from 'vitest';
import { loadMxRules } from '../../node/index.ts';
import { type MxRule, makeMxRuleSet } from './mx-rules.ts';
import { createShaper } from './shaper.ts';

const MIN = 60_000;
const shipped = loadMxRules();
const general = shipped.rules[shipped.rules.length - 1]!;
const rule = (o: Partial<MxRule>): MxRule => ({ ...general, name: 'ex', mask: '*.example.org', ...o });
const setOf = (...rules: MxRule[]) => makeMxRuleSet([...rules, general], shipped.settings);
const HOSTS = [{ host: 'mx1.example.org', preference: 10, ips: ['192.0.2.1'] }];
const IP = ['198.51.100.1'];

/** Sends as fast as the shaper allows from `t0` for `ms`; returns how many. */
function sendFor(s: ReturnType<typeof createShaper>, d: number, t0: number, ms: number): number {
  let n = 0;
  for (let t = t0; t < t0 + ms; ) {
    const c = s.routeId(d, t);
    if (c.at > t) {
      t = c.at;
      continue;
    }
    s.onSend(c.pathId, t);
    n++;
  }
  return n;
}

describe('Shaper.useMxRules', () => {
  it('a refreshed rule of 60/h caps the next hour at 60 where 600/h sent 600; the slice counter is kept', () => {
    const s = createShaper({ mode: 'legacy', mxRules: setOf(rule({ messagesPerHour: 600, shared: true })) });
    const d = s.registerSite('example.org', HOSTS, IP);
    expect(sendFor(s, d, 0, 60 * MIN)).toBe(600);
    // 50 sent in the first slice of the second hour (600/h: 50 per 5-minute slice)
    expect(sendFor(s, d, 60 * MIN, 1)).toBe(50);
    expect(s.useMxRules(setOf(rule({ messagesPerHour: 60, shared: true })))).toBe(1);
    // same rule (name, mask): same bucket, its slice already over the new 5 per slice
    expect(sendFor(s, d, 60 * MIN + 1, 5 * MIN - 1)).toBe(0);
    expect(sendFor(s, d, 65 * MIN, 55 * MIN)).toBe(55);
    expect(s.sessionLimits(s.pathsOf('example.org').at(-1)!).rule).toBe('ex');
  });

  it('a new rule gets a fresh bucket; new paths carry its tls; an old session closes on its own bucket', () => {
    const s = createShaper({ mode: 'legacy', mxRules: setOf(rule({ maxConnections: 1 })) });
    const d = s.registerSite('example.org', HOSTS, IP);
    const old = s.routeId(d, 0).pathId;
    const session = s.tryOpen(old, 0);
    expect(session).toBeGreaterThanOrEqual(0);
    expect(s.tryOpen(old, 0)).toBe(-1);
    s.useMxRules(setOf(rule({ name: 'ex-secure', maxConnections: 1, tls: 'required' })));
    const now = s.routeId(d, 0).pathId;
    expect(now).not.toBe(old);
    expect(s.sessionLimits(now).tls).toBe('required');
    expect(s.sessionLimits(old).tls).toBe(general.tls);
    const fresh = s.tryOpen(now, 0);
    expect(fresh).toBeGreaterThanOrEqual(0);
    expect(s.close(session, 1)).toBe(true);
    expect(s.openConnections(old).bucket).toBe(0);
    expect(s.openConnections(now).bucket).toBe(1);
  });

  it('enhanced mode: a refreshed rule at the same place gives the pair the limits a shaper made with the new set has', () => {
    const before = setOf(rule({ messagesPerHour: 600, maxConnections: 2 }));
    const after = setOf(rule({ messagesPerHour: 60, maxConnections: 5 }));
    const s = createShaper({ mode: 'enhanced', mxRules: before });
    const d = s.registerSite('example.org', HOSTS, IP);
    const p0 = s.routeId(d, 0).pathId;
    expect(s.pairMaxConnections(p0, 0)).toBe(2);
    s.useMxRules(after);
    // the oracle: a shaper that had the new set from the start
    const fresh = createShaper({ mode: 'enhanced', mxRules: after });
    const fd = fresh.registerSite('example.org', HOSTS, IP);
    const p = s.routeId(d, 1).pathId;
    const fp = fresh.routeId(fd, 1).pathId;
    expect(s.pairMaxConnections(p, 1)).toBe(fresh.pairMaxConnections(fp, 1));
    expect(s.pairRate(p, 1)).toEqual(fresh.pairRate(fp, 1));
    // the next hour (a new bucket slice for both): the pair's limiter holds the new rate
    expect(sendFor(s, d, 60 * MIN, 60 * MIN)).toBe(sendFor(fresh, fd, 60 * MIN, 60 * MIN));
  });
});
