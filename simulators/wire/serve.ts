/**
 * Serve mode: the fake ISP fleet and the DNS server standalone, for a user's own MTA or a load
 * tool. `startServe` builds the same world a run builds (brains from the profiles, the population's
 * ground truth, the technical mailbox for follow-ups) on a scaled wall clock, starts one fake MX per
 * MX IP of every listed domain (catch-all and pattern domains start when first looked up), the dns2
 * server, and JSONL logs of accepted messages, replies and DNS queries. Follow-ups (DSNs of
 * accept-then-bounce, ARF complaints, auto-replies) are drained from the technical mailbox as they
 * fall due on that clock, built from the real message (its Message-ID, Subject, Date and envelope
 * sender), and go back over SMTP to the sender's MTA (`returnTo`) or into a Maildir beside the logs
 * (`maildir/new/`), where a bounce processor, or `mxlab inmail`, reads them; follow-ups.jsonl says
 * which went where. A recipient rejected at RCPT gets no DSN from serve: the sending MTA got the
 * rejection and writes its own bounce, so each message has one bounce path. Addresses no recipient owns
 * are `stranger`s to the brains (accepted unless a script says otherwise) and magic local parts
 * (`tempfail@`, `permfail@`, `550-x@`, `full@`, …) work as in every mode.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/ports.ts';
import type { FollowUp } from '../isp/follow-up.ts';
import type { IspProfile } from '../isp/profile-schema.ts';
import { ensureMaildir, writeMaildir } from '../mailbox/maildir.ts';
import type { RecipientTruth, TruthKind } from '../population/truth.ts';
import { createInProcessWorld, type InProcessWorld } from '../transport/world.ts';
import { WireDnsServer } from './dns-server.ts';
import { Fleet } from './fleet.ts';
import { type ReturnTarget, sendFollowUp } from './follow-up-return.ts';
import { serveTruths } from './serve-truths.ts';
import type { TlsCredentials } from './tls-certificate.ts';

/** Options of `startServe`. */
export interface ServeOptions {
  /** profiles in priority order (a scenario's, or one profile) */
  profiles: readonly IspProfile[];
  /** ground truth by address (default: nobody, so every address is a stranger unless named below) */
  population?: { truthOf(address: string): RecipientTruth | null };
  /** address → truth (`--truth FILE`), before the population; `truth-<kind>@` after it (serve-truths.ts) */
  truths?: ReadonlyMap<string, TruthKind>;
  seed: number;
  /** the brains' time (see wall-clock.ts) */
  clock: Clock;
  /** real sleep per virtual ms of brain latency (default 1: real tarpitting) */
  latencyScale?: number;
  /**
   * TCP port of every fake MX (each on its own IP; with `bind`, the first of consecutive ports);
   * 0: free ports
   */
  portBase?: number;
  /** one loopback address for every fake MX, one port each (default: each on its own 127.a.b.c) */
  bind?: string;
  /** UDP port of the DNS server (default 0: a free port), on `bind` or 127.0.0.1 */
  dnsPort?: number;
  /** folder for received.jsonl, replies.jsonl, dns.jsonl, follow-ups.jsonl and the maildir/ (none when absent) */
  logDir?: string;
  /** wall milliseconds between two drains of the follow-ups that fell due (default 1000) */
  followUpEveryMs?: number;
  /** offer STARTTLS (default true) */
  tls?: boolean;
  /** deliver follow-ups over SMTP there (the sender's MTA); the maildir keeps those it refuses */
  returnTo?: ReturnTarget;
}

/** One MX host of a served domain with the addresses its fake MX servers listen on. */
export interface ServedMx {
  host: string;
  preference: number;
  /** `ip:port` */
  addresses: string[];
}

/**
 * A served domain: a listed one, `*` for a catch-all profile or a glob for domain patterns. `*` and
 * patterns get the fake MXs of a stand-in domain (`example`) at start, so a static route (a transport
 * map) has somewhere to go; DNS still starts each matching domain's own fake MXs on lookup.
 */
export interface ServedDomain {
  domain: string;
  profile: string;
  mx: ServedMx[];
  /** `*` and patterns: the stand-in domain whose fake MXs `mx` lists */
  example?: string;
}

/** Counters of the logs. */
export interface ServeCounts {
  received: number;
  replies: number;
  dnsQueries: number;
  /** follow-ups that fell due and were drained (written to the maildir when there is a log folder) */
  followUps: number;
  /** follow-ups not due yet when serve stopped (their time on the serve clock had not come) */
  followUpsPending: number;
  /** follow-ups delivered over SMTP to `returnTo` (the others went to the maildir) */
  followUpsReturned: number;
  /** DSNs of recipients rejected at RCPT, not sent: the sending MTA writes its own bounce */
  followUpsLeftToMta: number;
}

/** A running serve (see the file comment). */
export interface ServeHandle {
  dnsPort: number;
  /** the address the DNS server (and, with `bind`, every fake MX) listens on */
  dnsHost: string;
  /** the one address of every fake MX (`--bind`), or null: each on its own 127.a.b.c */
  bind: string | null;
  domains: ServedDomain[];
  fleet: Fleet;
  dns: WireDnsServer;
  world: InProcessWorld;
  counts: ServeCounts;
  /** the Maildir the follow-ups are written to (`maildir` in the log folder), null without one */
  maildir: string | null;
  /** what every fake MX presents after STARTTLS (generated at start), null with TLS off */
  certificate: TlsCredentials | null;
  /** closes every server, then flushes and closes the logs */
  stop(): Promise<void>;
}

/** Starts serving (see the file comment). */
export async function startServe(o: ServeOptions): Promise<ServeHandle> {
  if (o.profiles.length === 0) throw new Error('serve: no ISP profile to serve');
  const world = createInProcessWorld({
    population: serveTruths(o.truths ?? null, o.population),
    profiles: o.profiles,
    seed: o.seed,
    clock: o.clock,
    // follow-ups' dates: run time 0 is the wall time serve started minus --at
    mail: { startEpochMs: Date.now() - o.clock.now() },
  });
  const counts: ServeCounts = {
    received: 0,
    replies: 0,
    dnsQueries: 0,
    followUps: 0,
    followUpsPending: 0,
    followUpsReturned: 0,
    followUpsLeftToMta: 0,
  };
  const logs = o.logDir === undefined ? null : openLogs(o.logDir);
  // follow-ups leave the mailbox as they fall due (without a log folder or a return they are only counted)
  const maildir = o.logDir === undefined ? null : join(o.logDir, 'maildir');
  if (maildir) ensureMaildir(maildir);
  let inMaildir = 0;
  const logFollowUp = (f: FollowUp, via: string, detail: string) =>
    logs?.followUps.write(
      `${JSON.stringify({ time: new Date().toISOString(), kind: f.kind, isp: f.isp, recipient: f.to, sender: f.from, messageId: f.messageId, via, detail })}\n`,
    );
  // one drain at a time, in order; the first error (the maildir unwritable) stops them and is stop's
  let drainError: Error | null = null;
  let draining = Promise.resolve();
  const drain = (): Promise<void> => {
    draining = draining.then(async () => {
      if (drainError !== null) return;
      try {
        for (const e of world.mailbox.takeDue(o.clock.now())) {
          const f = e.f;
          if (f.atRcpt) {
            // the sending MTA got the RCPT rejection and writes its own bounce: one bounce per message
            counts.followUpsLeftToMta++;
            logFollowUp(f, 'none', 'rejected at RCPT: the sending MTA bounces it');
            continue;
          }
          const mail = await world.mailbox.buildMail(e);
          let via = 'none';
          let detail = '';
          if (o.returnTo) {
            const r = await sendFollowUp(o.returnTo, f, mail.data);
            if (r.ok) {
              via = 'smtp';
              detail = r.reply;
              counts.followUpsReturned++;
            } else detail = `return to ${o.returnTo.host}:${o.returnTo.port} failed: ${r.error}`;
          }
          if (via !== 'smtp' && maildir) {
            writeMaildir(maildir, [mail], inMaildir++);
            via = 'maildir';
          }
          counts.followUps++;
          logFollowUp(f, via, detail);
        }
      } catch (e) {
        drainError = e as Error;
      }
    });
    return draining;
  };
  const drainTimer = setInterval(drain, o.followUpEveryMs ?? 1000);
  drainTimer.unref();
  const fleet = new Fleet({
    directory: world.directory,
    clock: o.clock,
    latencyScale: o.latencyScale ?? 1,
    tls: o.tls,
    port: o.portBase || undefined,
    bind: o.bind,
    onMessage: (m) => {
      counts.received++;
      logs?.received.write(`${JSON.stringify({ time: new Date().toISOString(), ...m })}\n`);
    },
    onReply: (e) => {
      counts.replies++;
      logs?.replies.write(`${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`);
    },
  });
  const dns = new WireDnsServer({
    fleet,
    clock: o.clock,
    onQuery: (name, type, rcode) => {
      counts.dnsQueries++;
      logs?.dns.write(`${JSON.stringify({ time: new Date().toISOString(), name, type, rcode })}\n`);
    },
  });
  const stopAll = async () => {
    clearInterval(drainTimer);
    await dns.close().catch(() => {});
    await fleet.stop();
    await drain(); // what fell due up to now
    counts.followUpsPending = world.mailbox.pending;
    if (logs)
      await Promise.all([close(logs.received), close(logs.replies), close(logs.dns), close(logs.followUps)]);
    if (drainError !== null)
      throw new Error(`serve: follow-ups not written to ${maildir}: ${drainError.message}`);
  };
  try {
    const certificate = await fleet.certificate();
    const dnsHost = o.bind ?? '127.0.0.1';
    const dnsPort = await dns.listen(o.dnsPort ?? 0, dnsHost);
    const mxOf = async (domain: string): Promise<ServedMx[]> =>
      ((await fleet.ensureDomain(domain)) ?? []).map((h) => ({
        host: h.host,
        preference: h.preference,
        addresses: h.ips.map((ip) => {
          const a = fleet.addressOf(ip)!;
          return `${a.host}:${a.port}`;
        }),
      }));
    // listed domains first, then patterns, then the catch-all: the order a router matches them in
    const domains: ServedDomain[] = [];
    const patterns: ServedDomain[] = [];
    const catchAll: ServedDomain[] = [];
    for (const p of o.profiles) {
      for (const d of p.domains) {
        const domain = d.toLowerCase();
        // a domain listed by two profiles belongs to the first (the directory's order)
        if (world.directory.brainFor(domain)?.profile !== p) continue;
        domains.push({ domain, profile: p.name, mx: await mxOf(domain) });
      }
      for (const pattern of p.domainPatterns) {
        const example = standIn(pattern, p, world);
        patterns.push({ domain: pattern, profile: p.name, mx: example ? await mxOf(example) : [], example });
      }
      if (p.catchAll) {
        const example = standIn('*', p, world);
        catchAll.push({ domain: '*', profile: p.name, mx: example ? await mxOf(example) : [], example });
      }
    }
    domains.push(...patterns, ...catchAll);
    return {
      dnsPort,
      dnsHost,
      bind: o.bind ?? null,
      domains,
      fleet,
      dns,
      world,
      counts,
      maildir,
      certificate,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * The stand-in domain of a pattern (`*` becomes `any`) or of the catch-all (`catch-all.mxlab.test`),
 * when the directory gives it to that profile's brain (an earlier profile may claim it), else undefined.
 */
function standIn(pattern: string, p: IspProfile, world: InProcessWorld): string | undefined {
  const example = pattern === '*' ? 'catch-all.mxlab.test' : pattern.toLowerCase().replaceAll('*', 'any');
  return world.directory.brainFor(example)?.profile === p ? example : undefined;
}

/** The map a user reads: one line per MX host, then the resolver line and the TLS certificate. */
export function formatServeMap(
  h: Pick<ServeHandle, 'domains' | 'dnsPort'> &
    Partial<Pick<ServeHandle, 'certificate' | 'dnsHost' | 'bind'>>,
): string {
  const lines: string[] = [];
  const width = Math.max(8, ...h.domains.map((d) => d.domain.length));
  for (const d of h.domains) {
    const what = d.domain === '*' ? 'any other domain' : 'matching domains';
    if (d.mx.length === 0) {
      lines.push(`${d.domain.padEnd(width)}  (${d.profile}: ${what}, fake MX started on first lookup)`);
      continue;
    }
    if (d.example)
      lines.push(
        `${d.domain.padEnd(width)}  (${d.profile}: ${what}; by DNS each gets its own fake MX, by a static route the ${d.example} ones below)`,
      );
    for (const m of d.mx)
      lines.push(
        `${d.domain.padEnd(width)}  MX ${String(m.preference).padStart(3)} ${m.host}  ${m.addresses.join(' ')}`,
      );
  }
  const example = h.domains.find((d) => d.mx.length > 0 && !d.example)?.domain ?? 'example.com';
  const dnsHost = h.dnsHost ?? '127.0.0.1';
  lines.push(`dns: ${dnsHost}:${h.dnsPort} (udp)  try: dig @${dnsHost} -p ${h.dnsPort} MX ${example}`);
  if (h.bind)
    lines.push(
      `bind: every fake MX on ${h.bind}, one port each; DNS answers name the per-IP addresses, so route with --map (transport map, manualroute, ...)`,
    );
  const c = h.certificate;
  if (c)
    lines.push(
      `tls: STARTTLS with a self-signed certificate made at start: ${c.subject}, sha256 ${c.fingerprint256}, until ${c.validTo}`,
    );
  return `${lines.join('\n')}\n`;
}

interface Logs {
  received: WriteStream;
  replies: WriteStream;
  dns: WriteStream;
  followUps: WriteStream;
}

function openLogs(dir: string): Logs {
  mkdirSync(dir, { recursive: true });
  const open = (name: string) => createWriteStream(join(dir, name), { flags: 'a' });
  return {
    received: open('received.jsonl'),
    replies: open('replies.jsonl'),
    dns: open('dns.jsonl'),
    followUps: open('follow-ups.jsonl'),
  };
}

function close(s: WriteStream): Promise<void> {
  return new Promise((resolve) => s.end(() => resolve()));
}
