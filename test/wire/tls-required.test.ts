/**
 * Issue #24: an MX rule's `tls` acts in wire mode. `required`: a server that does not offer STARTTLS
 * gets no message (the session fails with a TLS error before MAIL FROM, Soft / Unreachable);
 * `opportunistic` (the default) sends in clear to such a server; `off` never upgrades.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRequest } from '../../core/ports.ts';
import { Reason } from '../../core/types.ts';
import { createQualifier } from '../../node/index.ts';
import { createInProcessWorld, createPopulation, loadDomainMix } from '../../simulators/index.ts';
import { WireResolver } from '../../simulators/wire/dns-resolver.ts';
import { WireDnsServer } from '../../simulators/wire/dns-server.ts';
import { Fleet } from '../../simulators/wire/fleet.ts';
import { WireTransport } from '../../simulators/wire/smtp-transport.ts';

const clock = { now: () => 0 };
const population = createPopulation({ seed: 7, size: 50, mix: loadDomainMix('consumer-us') });
const world = createInProcessWorld({ population, seed: 7, clock });
// servers that never offer STARTTLS, and servers that do
const plain = new Fleet({ directory: world.directory, clock, tls: false });
const secure = new Fleet({ directory: world.directory, clock });
const dns = new WireDnsServer({ fleet: plain, clock });
let mxIp = '';

beforeAll(async () => {
  const resolver = new WireResolver({ port: await dns.listen() });
  const r = await resolver.resolve('gmail.com');
  if (!r.ok) throw new Error('gmail.com did not resolve');
  mxIp = r.mx[0]!.ips[0]!;
  await secure.ensureDomain('gmail.com');
});
afterAll(async () => {
  await dns.close();
  await plain.stop();
  await secure.stop();
});

const transportOf = (fleet: Fleet) =>
  new WireTransport({ portOf: (ip) => fleet.portOf(ip), timeoutScale: 0, minTimeoutMs: 1000 });

function request(tls: SessionRequest['tls']): SessionRequest {
  return {
    localIp: '127.0.1.1',
    mxHost: 'gmail-smtp-in.l.google.com',
    mxIp,
    domain: 'gmail.com',
    timeouts: { connectMs: 10_000, commandMs: 60_000, dataMs: 60_000 },
    tls,
    messages: [
      {
        id: 0,
        deliveryId: 1,
        from: 'news@brand.example',
        to: 'someone0@gmail.com',
        domain: 'gmail.com',
        size: 3000,
        attempt: 1,
        messageId: '<0.1@mxlab.invalid>',
      },
    ],
  };
}

describe('MX rule tls in wire mode', () => {
  it('required: a server without STARTTLS gets no message, a TLS error (Soft / Unreachable)', async () => {
    const r = await transportOf(plain).send(request('required'));
    expect(r.sessionError?.transportError).toBe('tls');
    expect(plain.server(mxIp)!.received).toHaveLength(0);
    expect(createQualifier({ mode: 'legacy' }).qualify(r.sessionError!)).toMatchObject({
      type: 'soft',
      reason: Reason.Unreachable,
    });
  });

  it('opportunistic and off send in clear to it; required sends over TLS to a server that offers it', async () => {
    for (const tls of ['opportunistic', 'off', undefined] as const) {
      const r = await transportOf(plain).send(request(tls));
      expect(r.sessionError).toBeNull();
      expect(r.replies[0]!.reply).toMatch(/^250 /);
    }
    const r = await transportOf(secure).send(request('required'));
    expect(r.sessionError).toBeNull();
    expect(r.replies[0]!.reply).toMatch(/^250 /);
  });
});
