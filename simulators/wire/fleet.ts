/**
 * The fleet: one fake MX per simulated MX IP, started on demand when a domain is first looked up
 * (the DNS server asks before it answers, the transport before it connects), each on a free port.
 * The resolver port only carries IPs, so the fleet keeps the map `ip → port` the wire transport
 * consults. Every listener binds its exact 127.a.b.c address (Linux routes 127.0.0.0/8 to lo), or,
with `bind`, every listener binds that one address on a port of its own (serve's `--bind`). After
 * STARTTLS each presents the certificate made at start (tls-certificate.ts).
 */
import type { Clock, MxHost } from '../../core/ports.ts';
import type { IspBrain } from '../isp/brain.ts';
import { mxHostsOf } from '../isp/mx-hosts.ts';
import type { BrainDirectory } from '../transport/resolver.ts';
import {
  type DkimCheck,
  FakeMx,
  type FakeMxStats,
  type ReceivedMessage,
  type ReplyEvent,
} from './fake-mx.ts';
import { SessionContexts } from './session-context.ts';
import { fakeMxCredentials, type TlsCredentials } from './tls-certificate.ts';

/** Options of a `Fleet`. */
export interface FleetOptions {
  directory: BrainDirectory;
  /** the brains' time (virtual clock in run mode, scaled wall clock in serve mode) */
  clock: Clock;
  /** real sleep per virtual ms of brain latency (default 0) */
  latencyScale?: number;
  /** offer STARTTLS (default true) */
  tls?: boolean;
  /** the STARTTLS key and certificate (default: the process's, generated on first use) */
  credentials?: TlsCredentials;
  /**
   * TCP port of every fake MX, each on its own IP (default 0: a free port each); with `bind`, the
   * first port: the k-th fake MX started listens on `port + k`
   */
  port?: number;
  /** one loopback address for every fake MX (one port each) instead of one 127.a.b.c IP each */
  bind?: string;
  maxSize?: number;
  keep?: number;
  dkim?: DkimCheck;
  onMessage?: (m: ReceivedMessage) => void;
  onReply?: (e: ReplyEvent) => void;
}

/** See the file comment. */
export class Fleet {
  /** contexts the wire transport registers before it connects (run mode) */
  readonly contexts = new SessionContexts();
  private readonly servers = new Map<string, FakeMx>();
  private readonly starting = new Map<string, Promise<FakeMx>>();
  private readonly ports = new Map<string, number>();
  private stopped = false;
  /** fake MXs started so far with `bind` (the next one's port offset) */
  private bound = 0;

  constructor(readonly options: FleetOptions) {}

  /** The port of the fake MX on `ip`, or undefined when none runs there. */
  portOf(ip: string): number | undefined {
    return this.ports.get(ip);
  }

  /** Where the fake MX playing `ip` listens (`bind` or `ip` itself, and its port), or undefined. */
  addressOf(ip: string): { host: string; port: number } | undefined {
    const port = this.ports.get(ip);
    return port === undefined ? undefined : { host: this.options.bind ?? ip, port };
  }

  /** The fake MX on `ip`, if started. */
  server(ip: string): FakeMx | undefined {
    return this.servers.get(ip);
  }

  /** Every started fake MX. */
  all(): FakeMx[] {
    return [...this.servers.values()];
  }

  /** The certificate every fake MX presents after STARTTLS, null when TLS is off. */
  certificate(): Promise<TlsCredentials | null> {
    if (this.options.tls === false) return Promise.resolve(null);
    return this.options.credentials ? Promise.resolve(this.options.credentials) : fakeMxCredentials();
  }

  /** The brain serving `domain`, or null when the domain does not exist. */
  brainFor(domain: string): IspBrain | null {
    return this.options.directory.brainFor(domain.toLowerCase());
  }

  /** Starts the fake MX of every MX IP of `domain`; resolves its MX hosts (null: no such domain). */
  async ensureDomain(domain: string): Promise<MxHost[] | null> {
    const d = domain.toLowerCase();
    const brain = this.brainFor(d);
    if (brain === null) return null;
    const hosts = mxHostsOf(brain, d);
    const starts: Promise<FakeMx>[] = [];
    for (const h of hosts) for (const ip of h.ips) starts.push(this.ensureIp(ip, brain, h.host));
    await Promise.all(starts);
    return hosts;
  }

  /** Starts (once) the fake MX on `ip` answering for `brain` as `mxHost`. */
  ensureIp(ip: string, brain: IspBrain, mxHost: string): Promise<FakeMx> {
    const running = this.servers.get(ip);
    if (running) return Promise.resolve(running);
    let p = this.starting.get(ip);
    if (p) return p;
    if (this.stopped) return Promise.reject(new Error('fleet: stopped'));
    const o = this.options;
    p = this.certificate().then((credentials) => {
      if (this.stopped) throw new Error('fleet: stopped');
      const port = o.bind !== undefined && o.port ? o.port + this.bound++ : o.port;
      const mx = new FakeMx({
        ip,
        bind: o.bind,
        port,
        mxHost,
        brain,
        directory: o.directory,
        clock: o.clock,
        latencyScale: o.latencyScale,
        contexts: this.contexts,
        // the profile may offer no STARTTLS (its `starttls: false`)
        tls: o.tls !== false && brain.profile.starttls,
        credentials: credentials ?? undefined,
        maxSize: o.maxSize,
        keep: o.keep,
        dkim: o.dkim,
        onMessage: o.onMessage,
        onReply: o.onReply,
      });
      return mx.listen().then((port) => {
        this.servers.set(ip, mx);
        this.ports.set(ip, port);
        this.starting.delete(ip);
        return mx;
      });
    });
    this.starting.set(ip, p);
    return p;
  }

  /** Sum of every server's counters. */
  totals(): FakeMxStats {
    const t: FakeMxStats = { connections: 0, accepted: 0, rejected: 0, dkimPass: 0, dkimFail: 0, bytes: 0 };
    for (const s of this.servers.values()) {
      t.connections += s.stats.connections;
      t.accepted += s.stats.accepted;
      t.rejected += s.stats.rejected;
      t.dkimPass += s.stats.dkimPass;
      t.dkimFail += s.stats.dkimFail;
      t.bytes += s.stats.bytes;
    }
    return t;
  }

  /** Closes every server (waits for those still starting). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.starting.values()]);
    await Promise.all([...this.servers.values()].map((s) => s.close()));
    this.servers.clear();
    this.ports.clear();
  }
}
