/**
 * Fault injection over real SMTP and DNS: connection refused, reset mid-DATA, a stall past the data
 * timeout, a 421 greeting, a garbage reply line, a TLS handshake failure, a drop between the data
 * and its reply, NXDOMAIN and SERVFAIL. Each comes back as the port's value (never an exception),
 * every message gets a reply entry, and the core's qualifier gives what SPEC.md says: transport
 * errors Soft / Unreachable / not counted / transient, DNS failures Soft / Invalid domain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageReply, SessionRequest } from '../../core/ports.ts';
import { Reason } from '../../core/types.ts';
import { createQualifier } from '../../node/index.ts';
import { createInProcessWorld, createPopulation, loadDomainMix } from '../../simulators/index.ts';
import { WireResolver } from '../../simulators/wire/dns-resolver.ts';
import { WireDnsServer } from '../../simulators/wire/dns-server.ts';
import type { FakeMx, FaultKind } from '../../simulators/wire/fake-mx.ts';
import { Fleet } from '../../simulators/wire/fleet.ts';
import { dkimChecker, generateDkimKey } from '../../simulators/wire/message.ts';
import { WireTransport } from '../../simulators/wire/smtp-transport.ts';

const clock = { now: () => 0 };
const population = createPopulation({ seed: 7, size: 200, mix: loadDomainMix('consumer-us') });
const world = createInProcessWorld({ population, seed: 7, clock });
const key = generateDkimKey('mxlab.invalid');
const fleet = new Fleet({ directory: world.directory, clock, dkim: dkimChecker([key]) });
const dns = new WireDnsServer({ fleet, clock, dkim: [key] });
let resolver: WireResolver;
const transport = new WireTransport({
  portOf: (ip) => fleet.portOf(ip),
  contexts: fleet.contexts,
  orderKey: (d) => fleet.brainFor(d),
  timeoutScale: 0,
  minTimeoutMs: 300,
  dkim: key,
});
const qualifier = createQualifier({ mode: 'legacy' });
let mx: FakeMx;
let mxIp = '';

beforeAll(async () => {
  resolver = new WireResolver({ port: await dns.listen() });
  const r = await resolver.resolve('gmail.com');
  if (!r.ok) throw new Error('gmail.com did not resolve');
  mxIp = r.mx[0]!.ips[0]!;
  mx = fleet.server(mxIp)!;
});
afterAll(async () => {
  await dns.close();
  await fleet.stop();
});

function request(n: number, ip = mxIp): SessionRequest {
  return {
    localIp: '127.0.1.1',
    mxHost: 'gmail-smtp-in.l.google.com',
    mxIp: ip,
    domain: 'gmail.com',
    timeouts: { connectMs: 10_000, commandMs: 60_000, dataMs: 60_000 },
    messages: Array.from({ length: n }, (_, i) => ({
      id: i,
      deliveryId: 1,
      from: 'news@brand.example',
      to: `someone${i}@gmail.com`,
      domain: 'gmail.com',
      size: 3000,
      attempt: 1,
      messageId: `<${i}.1@mxlab.invalid>`,
    })),
  };
}

async function withFault(kind: FaultKind, n: number, text?: string) {
  mx.fault = { kind, text };
  try {
    return await transport.send(request(n));
  } finally {
    mx.fault = { kind: 'none' };
  }
}

function expectTransport(reply: MessageReply, kind: string) {
  expect(reply.transportError).toBe(kind);
  const q = qualifier.qualify(reply);
  expect(q).toMatchObject({
    type: 'soft',
    reason: Reason.Unreachable,
    // SPEC §5 (turn 2): every Soft error but Refused counts toward the threshold, Unreachable too
    impact: 'count',
    disposition: 'transient',
  });
}

describe('wire faults', () => {
  it('delivers normally without a fault: every message gets a 250 and is DKIM-verified', async () => {
    const before = mx.stats.dkimPass;
    const r = await transport.send(request(3));
    expect(r.sessionError).toBeNull();
    expect(r.replies.map((x) => x.reply)).toEqual(Array(3).fill('250 2.0.0 OK - gsmtp'));
    // each message's own verdict first, so that a failure says which one and how (fail / none)
    expect(mx.received.slice(-3).map((m) => `${m.to} ${m.dkim}`)).toEqual([
      'someone0@gmail.com pass',
      'someone1@gmail.com pass',
      'someone2@gmail.com pass',
    ]);
    expect(mx.stats.dkimPass - before).toBe(3);
    expect(mx.received.at(-1)).toMatchObject({ to: 'someone2@gmail.com', messageId: '<2.1@mxlab.invalid>' });
  });

  it('connection refused: nothing listens on the port', async () => {
    const t = new WireTransport({ portOf: () => 9, minTimeoutMs: 300, timeoutScale: 0 });
    const r = await t.send(request(2, '127.0.0.9'));
    expect(r.replies).toEqual([]);
    expectTransport(r.sessionError!, 'refused');
  });

  it('a 421 greeting is a session error with its text', async () => {
    const r = await withFault('greeting-421', 2, '421 4.7.0 Try again later, closing connection.');
    expect(r.sessionError).toEqual({
      phase: 'connect',
      reply: '421 4.7.0 Try again later, closing connection.',
    });
    expect(qualifier.qualify(r.sessionError!).disposition).toBe('transient');
  });

  it('a garbage greeting and a garbage MAIL reply', async () => {
    const g = await withFault('garbage-greeting', 2);
    expectTransport(g.sessionError!, 'garbage');
    const m = await withFault('garbage-mail', 3);
    expect(m.sessionError).toBeNull();
    expectTransport(m.replies[0]!, 'garbage');
    expect(m.replies.slice(1).map((x) => x.transportError)).toEqual(['reset', 'reset']);
  });

  it('reset mid-DATA: that message and the rest get transport errors, none is lost', async () => {
    const r = await withFault('reset-data', 3);
    expect(r.replies).toHaveLength(3);
    expectTransport(r.replies[0]!, 'reset');
    expect(r.replies.slice(1).every((x) => x.transportError === 'reset')).toBe(true);
  });

  it('a stall past the data timeout is a timeout; the message may have arrived (counted)', async () => {
    const before = transport.stats.maybeDuplicates;
    const r = await withFault('stall-data', 2);
    expectTransport(r.replies[0]!, 'timeout');
    expect(r.replies[1]!.transportError).toBe('reset');
    expect(transport.stats.maybeDuplicates - before).toBe(1);
  });

  it('a drop after the data, before the reply, is counted as a possible duplicate', async () => {
    const before = transport.stats.maybeDuplicates;
    const r = await withFault('drop-after-data', 1);
    expectTransport(r.replies[0]!, 'reset');
    expect(transport.stats.maybeDuplicates - before).toBe(1);
  });

  it('a TLS handshake failure', async () => {
    const r = await withFault('tls-fail', 2);
    expectTransport(r.sessionError!, 'tls');
  });

  it('NXDOMAIN and SERVFAIL from the DNS server are Soft / Invalid domain', async () => {
    dns.fault.set('gmail.com', 'nxdomain');
    const nx = await resolver.resolve('gmail.com');
    dns.fault.set('gmail.com', 'servfail');
    const sf = await resolver.resolve('gmail.com');
    dns.fault.delete('gmail.com');
    const unknown = await resolver.resolve('no-such-domain.invalid');
    for (const [r, error] of [
      [nx, 'nxdomain'],
      [sf, 'servfail'],
      [unknown, 'nxdomain'],
    ] as const) {
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error).toBe(error);
      expect(qualifier.qualify({ phase: 'dns', reply: r.text })).toMatchObject({
        type: 'soft',
        reason: Reason.InvalidDomain,
      });
    }
    expect((await resolver.resolve('gmail.com')).ok).toBe(true);
  });

  it('a message over the size limit gets 552 at the end of data', async () => {
    const big = new Fleet({ directory: world.directory, clock, maxSize: 1000, tls: false });
    try {
      await big.ensureDomain('gmail.com');
      const t = new WireTransport({ portOf: (ip) => big.portOf(ip), minTimeoutMs: 1000, timeoutScale: 0 });
      const r = await t.send(request(1));
      expect(r.replies[0]!.reply).toMatch(/^552 /);
    } finally {
      await big.stop();
    }
  });
});
