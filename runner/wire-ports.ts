/**
 * Wire mode for `runPlan`: `wirePorts()` starts a fleet of fake MX servers (one per simulated MX IP,
 * on demand) and the dns2 DNS server for the world's ISP brains, and returns the SMTP transport and
 * the DNS resolver the MTA then uses, sessions running as concurrent engine steps.
 *
 * The schedule stays virtual; every SMTP exchange and DNS query really happens on loopback. A
 * session's duration on the virtual clock is the sum of the brain's latencies (capped by the
 * timeouts), exactly as in-process, so a wire run and an in-process run with the same seed give
 * the same outcomes; latencies are also slept for `latency × latencyScale` (default 0) and a
 * stall lasts `max(minTimeoutMs, timeout × timeoutScale)` of wall time.
 *
 * The wire modules (smtp-server, nodemailer, dns2, mailauth behind them) are loaded when a wire run
 * starts, not when the runner is imported: an in-process run, `mxlab check` or `mxlab compare` never
 * needs them.
 */
import type { InProcessWorld } from '../simulators/index.ts';
import type { WireResolver } from '../simulators/wire/dns-resolver.ts';
import type { WireDnsServer } from '../simulators/wire/dns-server.ts';
import type { Fleet } from '../simulators/wire/fleet.ts';
import type { DkimKey } from '../simulators/wire/message.ts';
import type { WireTransport } from '../simulators/wire/smtp-transport.ts';
import type { RunOptions, WorldPorts } from './run-scenario.ts';

/** Options of wire mode. */
export interface WireOptions {
  /** real sleep per virtual ms of brain latency (default 0) */
  latencyScale?: number;
  /** wall timeout per virtual timeout ms (default 0, so stalls last `minTimeoutMs`) */
  timeoutScale?: number;
  /** shortest wall timeout (default 1000 ms) */
  minTimeoutMs?: number;
  /** STARTTLS (default true) */
  tls?: boolean;
  /** DKIM-sign and verify (default true) */
  dkim?: boolean;
  pipelining?: boolean;
  /** sees the running pieces (tests, benchmarks) */
  onStart?: (w: WireRun) => void;
}

/** The pieces of a wire run. */
export interface WireRun {
  fleet: Fleet;
  dns: WireDnsServer;
  transport: WireTransport;
  resolver: WireResolver;
  dkim: DkimKey | null;
}

/** A `ports` hook for `runPlan` (see the file comment). */
export function wirePorts(options: WireOptions = {}): NonNullable<RunOptions['ports']> {
  return async (world: InProcessWorld): Promise<WorldPorts> => {
    const [
      { WireResolver },
      { WireDnsServer },
      { Fleet },
      { dkimChecker, generateDkimKey },
      { WireTransport },
    ] = await Promise.all([
      import('../simulators/wire/dns-resolver.ts'),
      import('../simulators/wire/dns-server.ts'),
      import('../simulators/wire/fleet.ts'),
      import('../simulators/wire/message.ts'),
      import('../simulators/wire/smtp-transport.ts'),
    ]);
    const clock = world.clock;
    const key = options.dkim === false ? null : generateDkimKey('mxlab.invalid');
    const fleet = new Fleet({
      directory: world.directory,
      clock,
      latencyScale: options.latencyScale ?? 0,
      tls: options.tls,
      dkim: key ? dkimChecker([key]) : undefined,
    });
    const dns = new WireDnsServer({ fleet, clock, dkim: key ? [key] : [] });
    const port = await dns.listen();
    const resolver = new WireResolver({ port });
    const transport = new WireTransport({
      portOf: async (ip, domain) => {
        const p = fleet.portOf(ip);
        if (p !== undefined) return p;
        await fleet.ensureDomain(domain);
        return fleet.portOf(ip);
      },
      contexts: fleet.contexts,
      orderKey: (domain) => fleet.brainFor(domain),
      timeoutScale: options.timeoutScale ?? 0,
      minTimeoutMs: options.minTimeoutMs ?? 1000,
      starttls: options.tls,
      pipelining: options.pipelining,
      dkim: key ?? undefined,
    });
    options.onStart?.({ fleet, dns, transport, resolver, dkim: key });
    return {
      transport,
      resolver,
      concurrentSessions: true,
      async stop() {
        await dns.close();
        await fleet.stop();
      },
    };
  };
}
