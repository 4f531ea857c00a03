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
import type { RunPlan } from './run-plan.ts';
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
  /**
   * Who DKIM-signs (default from the plan's MTA mode): `native`, mxlab's own MTA (selector `mxlab`),
   * or `enhanced`, the Enhanced MTA (selector `enhanced`): seed 003 line 138, "la signature DKIM par
   * le MTA natif de Campaign sera désactivée" under the Enhanced MTA. Both keys are published in DNS
   * and known to the fake MX's verifier; only the signer's key signs.
   */
  dkimSigner?: DkimSigner;
  pipelining?: boolean;
  /** sees the running pieces (tests, benchmarks) */
  onStart?: (w: WireRun) => void;
  /** sees them once the run has ended, before they stop (the fleet's servers and counters still there) */
  onStop?: (w: WireRun) => void;
}

/** Who DKIM-signs a wire run's messages (see `WireOptions.dkimSigner`). */
export type DkimSigner = 'native' | 'enhanced';

/** The DKIM selector of each signer. */
export const DKIM_SELECTORS: Readonly<Record<DkimSigner, string>> = { native: 'mxlab', enhanced: 'enhanced' };

/** The signer of a run: the option, else the Enhanced MTA's under an enhanced plan, mxlab's own otherwise. */
export function dkimSignerOf(plan: Pick<RunPlan, 'mode'>, option?: DkimSigner): DkimSigner {
  return option ?? (plan.mode === 'enhanced' ? 'enhanced' : 'native');
}

/** The pieces of a wire run. */
export interface WireRun {
  fleet: Fleet;
  dns: WireDnsServer;
  transport: WireTransport;
  resolver: WireResolver;
  /** the signing key (null when DKIM is off) */
  dkim: DkimKey | null;
  /** who signs (the key's selector is `DKIM_SELECTORS[signer]`) */
  signer: DkimSigner;
}

/** A `ports` hook for `runPlan` (see the file comment). */
export function wirePorts(options: WireOptions = {}): NonNullable<RunOptions['ports']> {
  return async (world: InProcessWorld, plan: RunPlan): Promise<WorldPorts> => {
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
    const signer = dkimSignerOf(plan, options.dkimSigner);
    const keys =
      options.dkim === false
        ? []
        : (['native', 'enhanced'] as const).map((s) => generateDkimKey('mxlab.invalid', DKIM_SELECTORS[s]));
    const key = keys.find((k) => k.selector === DKIM_SELECTORS[signer]) ?? null;
    const fleet = new Fleet({
      directory: world.directory,
      clock,
      latencyScale: options.latencyScale ?? 0,
      tls: options.tls,
      dkim: key ? dkimChecker(keys) : undefined,
    });
    const dns = new WireDnsServer({ fleet, clock, dkim: keys });
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
    const w: WireRun = { fleet, dns, transport, resolver, dkim: key, signer };
    options.onStart?.(w);
    return {
      transport,
      resolver,
      concurrentSessions: true,
      async stop() {
        options.onStop?.(w);
        await dns.close();
        await fleet.stop();
      },
    };
  };
}
