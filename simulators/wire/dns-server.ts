/**
 * Real DNS on loopback: a dns2 UDP server on 127.0.0.1 (free port) answering MX queries for the
 * simulated domains from the profiles (the fleet starts the fake MX of each MX IP before the answer
 * leaves), A queries for the MX hosts, TXT for the DKIM key; NXDOMAIN for domains no profile serves,
 * NXDOMAIN/SERVFAIL when a profile window scripts it (`brain.dnsFailure`, at the brains' time), and
 * test faults per domain (`fault`). Try: `dig @127.0.0.1 -p PORT MX gmail.com`.
 */
import DNS from 'dns2';
import type { Clock } from '../../core/ports.ts';
import type { Fleet } from './fleet.ts';
import type { DkimKey } from './message.ts';

const { Packet } = DNS;
const RCODE = { nxdomain: 3, servfail: 2 } as const;

/** A DNS fault a test forces for one domain. */
export type DnsFault = 'nxdomain' | 'servfail' | 'drop';

/** Options of a `WireDnsServer`. */
export interface WireDnsServerOptions {
  fleet: Fleet;
  clock: Clock;
  /** DKIM keys to publish as TXT */
  dkim?: readonly DkimKey[];
  ttl?: number;
  /** called once per query (serve's log) */
  onQuery?: (name: string, type: string, rcode: number) => void;
}

/** See the file comment. */
export class WireDnsServer {
  port = 0;
  /** faults forced per domain (lower case) */
  readonly fault = new Map<string, DnsFault>();
  private readonly server: ReturnType<typeof DNS.createUDPServer>;
  private readonly hosts = new Map<string, string[]>();
  private readonly txt = new Map<string, string>();

  constructor(private readonly o: WireDnsServerOptions) {
    for (const k of o.dkim ?? []) this.txt.set(`${k.selector}._domainkey.${k.domain}`.toLowerCase(), k.txt);
    this.server = DNS.createUDPServer((request, send) => {
      void this.answer(request).then(
        (response) => {
          if (response) void send(response).catch(() => {});
        },
        () => {
          const r = Packet.createResponseFromRequest(request);
          r.header.rcode = RCODE.servfail;
          void send(r).catch(() => {});
        },
      );
    });
    this.server.on('requestError', () => {});
  }

  /** Binds `host` (default 127.0.0.1) on `port` (0: a free one); resolves the port. */
  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    await this.server.listen(port, host);
    this.port = this.server.address().port;
    return this.port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: InstanceType<typeof Packet>): Promise<InstanceType<typeof Packet> | null> {
    const response = Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    const q = request.questions[0];
    if (!q) return response;
    const name = q.name.toLowerCase().replace(/\.$/, '');
    const ttl = this.o.ttl ?? 300;
    const type =
      Object.keys(Packet.TYPE).find((k) => (Packet.TYPE as Record<string, number>)[k] === q.type) ??
      String(q.type);
    const done = (rcode: number) => {
      response.header.rcode = rcode;
      this.o.onQuery?.(name, type, rcode);
      return response;
    };
    const forced = this.fault.get(name);
    if (forced === 'drop') return null;
    if (forced) return done(RCODE[forced]);
    if (q.type === Packet.TYPE.TXT) {
      const v = this.txt.get(name);
      if (v === undefined) return done(RCODE.nxdomain);
      response.answers.push({
        name: q.name,
        type: Packet.TYPE.TXT,
        class: Packet.CLASS.IN,
        ttl,
        data: v,
      } as never);
      return done(0);
    }
    if (q.type === Packet.TYPE.A) {
      const ips = this.hosts.get(name);
      if (!ips) return done(RCODE.nxdomain);
      for (const address of ips)
        response.answers.push({
          name: q.name,
          type: Packet.TYPE.A,
          class: Packet.CLASS.IN,
          ttl,
          address,
        } as never);
      return done(0);
    }
    if (q.type !== Packet.TYPE.MX) return done(0);
    const brain = this.o.fleet.brainFor(name);
    if (brain === null) return done(RCODE.nxdomain);
    const scripted = brain.dnsFailure(name, this.o.clock.now());
    if (scripted !== null) return done(RCODE[scripted]);
    const hosts = (await this.o.fleet.ensureDomain(name)) ?? [];
    for (const h of hosts) {
      this.hosts.set(h.host.toLowerCase(), h.ips);
      response.answers.push({
        name: q.name,
        type: Packet.TYPE.MX,
        class: Packet.CLASS.IN,
        ttl,
        exchange: h.host,
        priority: h.preference,
      } as never);
    }
    return done(0);
  }
}
