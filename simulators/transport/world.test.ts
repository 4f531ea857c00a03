import { describe, expect, it } from 'vitest';
import type { OutboundMessage, SessionRequest } from '../../core/ports.ts';
import { HOUR } from '../../core/types.ts';
import { ispProfileSchema } from '../isp/profile-schema.ts';
import { loadIspProfiles } from '../isp/profiles-load.ts';
import { loadDomainMix } from '../population/mix-schema.ts';
import { createPopulation } from '../population/population.ts';
import { createInProcessWorld } from './world.ts';

const msg = (id: number, to: string): OutboundMessage => ({
  id,
  deliveryId: 1,
  from: 'news@sender.example',
  to,
  domain: to.slice(to.indexOf('@') + 1),
  size: 20_000,
  attempt: 1,
  messageId: `<m${id}@sender.example>`,
});
const req = (domain: string, messages: OutboundMessage[]): SessionRequest => ({
  localIp: '192.0.2.10',
  mxHost: 'mx',
  mxIp: '127.0.0.1',
  domain,
  messages,
  timeouts: { connectMs: 10_000, commandMs: 60_000, dataMs: 600_000 },
});

describe('in-process world', () => {
  it('replies deterministically to a population through the shipped profiles', () => {
    const run = () => {
      let now = 0;
      const pop = createPopulation({ seed: 5, size: 5000, mix: loadDomainMix('consumer-us') });
      const w = createInProcessWorld({ population: pop, seed: 5, clock: { now: () => now } });
      const lines: string[] = [];
      for (let i = 0; i < 2000; i++) {
        const r = pop.recipient(i);
        if (r.address === '') continue;
        const res = w.resolver.resolve(r.domain);
        if (!res.ok) {
          lines.push(`${i} dns ${res.error}`);
          expect(r.truth.kind).toBe('invalidDomain');
          continue;
        }
        const out = w.transport.send(req(r.domain, [msg(i, r.address)]));
        lines.push(`${i} ${out.sessionError?.reply ?? out.replies[0]!.reply} ${out.durationMs}`);
        now += 1000;
      }
      return { lines, pending: w.mailbox.pending };
    };
    const a = run();
    expect(run()).toEqual(a);
    expect(a.lines.some((l) => / 550/.test(l))).toBe(true);
    expect(a.pending).toBeGreaterThan(0);
  });

  it('fails resolution of .invalid domains and resolves MX hosts in preference order on loopback', () => {
    const w = createInProcessWorld({ population: { truthOf: () => null }, seed: 1, clock: { now: () => 0 } });
    expect(w.resolver.resolve('gmaill.invalid')).toMatchObject({ ok: false, error: 'nxdomain' });
    const g = w.resolver.resolve('gmail.com');
    if (!g.ok) throw new Error('gmail.com must resolve');
    expect(g.mx[0]!.host).toBe('gmail-smtp-in.l.google.com');
    expect(g.mx.map((m) => m.preference)).toEqual([...g.mx.map((m) => m.preference)].sort((a, b) => a - b));
    expect(g.mx[0]!.ips.every((ip) => ip.startsWith('127.'))).toBe(true);
    const m365 = w.resolver.resolve('m365-12.example');
    expect(m365.ok && m365.mx[0]!.host).toBe('m365-12-example.olc.protection.outlook.com');
    const generic = w.resolver.resolve('company3.example');
    expect(generic.ok && generic.mx[0]!.host).toBe('mx1.company3-example');
  });

  it('a 421 mid-session leaves no message without a reply', () => {
    const w = createInProcessWorld({ population: { truthOf: () => null }, seed: 1, clock: { now: () => 0 } });
    const ms = [
      msg(1, 'a@gmail.com'),
      msg(2, '421-slow@gmail.com'),
      msg(3, 'c@gmail.com'),
      msg(4, 'd@gmail.com'),
    ];
    const out = w.transport.send(req('gmail.com', ms));
    expect(out.sessionError).toBeNull();
    expect(out.replies).toHaveLength(4);
    expect(out.replies[0]!.reply).toBe('250 2.0.0 OK - gsmtp');
    expect(out.replies[1]!.reply).toMatch(/^421 /);
    expect(out.replies.slice(2).map((r) => r.transportError)).toEqual(['reset', 'reset']);
    expect(out.durationMs).toBeGreaterThan(0);
  });

  it('scripts refused connections and DNS failures in time windows', () => {
    let now = 0;
    const generic = ispProfileSchema.parse({
      name: 'flaky',
      catchAll: true,
      mx: [{ host: 'mx.{domain}', preference: 10 }],
      windows: [
        { from: 'day1 01:00', to: 'day1 02:00', action: 'refuse', phase: 'connect' },
        { from: 'day1 03:00', to: 'day1 04:00', action: 'servfail' },
      ],
    });
    const w = createInProcessWorld({
      population: { truthOf: () => null },
      profiles: [generic],
      seed: 1,
      clock: { now: () => now },
    });
    const send = () => w.transport.send(req('shop.example', [msg(1, 'a@shop.example')]));
    expect(send().replies[0]!.reply).toMatch(/^250/);
    now = HOUR;
    expect(send().sessionError).toEqual({ phase: 'connect', reply: '', transportError: 'refused' });
    now = 3 * HOUR;
    expect(w.resolver.resolve('shop.example')).toMatchObject({ ok: false, error: 'servfail' });
    now = 4 * HOUR;
    expect(w.resolver.resolve('shop.example').ok).toBe(true);
  });

  it('loads the shipped profiles with one catch-all', () => {
    const ps = loadIspProfiles();
    expect(ps.map((p) => p.name)).toEqual([
      'apple-icloud',
      'generic',
      'gmail',
      'microsoft',
      'orange',
      'yahoo-aol',
    ]);
    expect(ps.filter((p) => p.catchAll)).toHaveLength(1);
  });
});
