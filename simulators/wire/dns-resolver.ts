/**
 * The core's MxResolver over real DNS: a dns2 UDP client asking the wire DNS server (MX, then A for
 * each host), MX hosts in preference order. NXDOMAIN, SERVFAIL, no MX and timeouts come back as the
 * port's failures with a `DNS query failed for '<domain>' (<RCODE>)` text; never an exception.
 * No caching here: the MTA caches (SPEC's DNS cache settings), and every query may meet a window.
 */
import DNS from 'dns2';
import type { MxHost, MxResolution, MxResolver } from '../../core/ports.ts';

/** Options of a `WireResolver`. */
export interface WireResolverOptions {
  port: number;
  /** default 127.0.0.1 */
  server?: string;
  /** per query, default 2000 ms */
  timeoutMs?: number;
}

/** See the file comment. */
export class WireResolver implements MxResolver {
  private readonly query: ReturnType<typeof DNS.UDPClient>;

  constructor(o: WireResolverOptions) {
    this.query = DNS.UDPClient({
      dns: o.server ?? '127.0.0.1',
      port: o.port,
      timeout: o.timeoutMs ?? 2000,
      retryOverTCP: false,
    } as Parameters<typeof DNS.UDPClient>[0]);
  }

  async resolve(domain: string): Promise<MxResolution> {
    const fail = (error: 'nxdomain' | 'servfail' | 'nomx' | 'timeout'): MxResolution => ({
      ok: false,
      error,
      text: `DNS query failed for '${domain}' (${error.toUpperCase()})`,
    });
    let r: InstanceType<typeof DNS.Packet>;
    try {
      r = await this.query(domain, 'MX');
    } catch {
      return fail('timeout');
    }
    const rcode = r.header.rcode;
    if (rcode === 3) return fail('nxdomain');
    if (rcode !== 0) return fail('servfail');
    const mx = (r.answers as unknown as { type: number; exchange: string; priority: number }[])
      .filter((a) => a.type === DNS.Packet.TYPE.MX)
      .map((a) => ({ host: a.exchange, preference: a.priority, ips: [] as string[] }))
      .sort((a, b) => a.preference - b.preference);
    if (mx.length === 0) return fail('nomx');
    const hosts: MxHost[] = [];
    for (const h of mx) {
      try {
        const a = await this.query(h.host, 'A');
        for (const x of a.answers as unknown as { type: number; address: string }[])
          if (x.type === DNS.Packet.TYPE.A) h.ips.push(x.address);
      } catch {
        // a host without an address is skipped, as an MTA does
      }
      if (h.ips.length > 0) hosts.push(h);
    }
    if (hosts.length === 0) return fail('nomx');
    return { ok: true, mx: hosts };
  }
}
