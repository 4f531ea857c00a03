/**
 * A small world for MTA-loop tests: the real core (qualifier, quarantine, shaper with the default MX and
 * adaptive rules, retry policies, delivery log, MTA) on the engine's virtual clock, against domains that
 * each answer every RCPT with one fixed reply. No population, no store: a run of a few hundred
 * messages takes milliseconds, so properties can try many. The log records when each message expired.
 */

import type { LogQualification } from '../../core/delivery-log/index.ts';
import { DeliveryLog, LogEvent } from '../../core/delivery-log/index.ts';
import { Mta, type MtaSettings, NULL_SINK } from '../../core/mta/index.ts';
import type { MxResolution, SessionRequest, SessionResult } from '../../core/ports.ts';
import { QuarantineTable } from '../../core/quarantine/index.ts';
import type { RetryPolicy } from '../../core/retry/index.ts';
import { createShaper } from '../../core/shaping/index.ts';
import { DAY, HOUR } from '../../core/types.ts';
import { RandomStreams, Simulation } from '../../engine/index.ts';
import { createQualifier, loadAdaptiveRules, loadMxRules, retryPolicy } from '../../node/index.ts';

export { DAY, HOUR };

/** Replies a harness domain can give to every recipient. */
export const REPLIES = {
  ok: '250 2.0.0 Ok: queued',
  /** legacy: soft (retried); enough of them trip the error-rate block (a hold of 3 h) */
  tempfail: '451 4.3.0 <rcpt>: Temporary lookup failure',
  /** enhanced: the default adaptive rules suspend the pair for 2 h */
  tss04:
    '421 4.7.0 [TSS04] Messages from 127.0.1.1 temporarily deferred due to unexpected volume or user complaints',
  /** enhanced: suspend 4 h and rewrite to transient (a reputation block); legacy: hard */
  spamhaus: '554 5.7.1 Service unavailable; Client host blocked using zen.spamhaus.org',
} as const;
export type ReplyKind = keyof typeof REPLIES;

export interface HarnessDelivery {
  atMs: number;
  validityMs: number;
  /** a retry preset; default the mode's */
  retry?: string;
  /** recipients per domain, in the order of `HarnessOptions.domains` */
  recipients: number[];
}

export interface HarnessOptions {
  mode: 'legacy' | 'enhanced';
  /** domain name -> the reply it gives to every recipient (the reply may change at `switchAtMs`) */
  domains: { name: string; reply: ReplyKind; after?: { atMs: number; reply: ReplyKind } }[];
  deliveries: HarnessDelivery[];
  horizonMs: number;
  localIps?: number;
  seed?: number;
  settings?: Partial<MtaSettings>;
  /** every domain is held, each hold ending 1 ms after it is looked at (liveness tests) */
  flickerHolds?: boolean;
  /** the run throws past this many events (a run that spins fails the test instead of hanging it) */
  maxEvents?: number;
  /**
   * a session's replies come this many ms after it opens (0: in its millisecond, as in every real
   * arrangement so far): the MTA's session step is scheduled that much later (liveness tests)
   */
  replyDelayMs?: number;
  /** MX rules (default: the shipped ones) */
  mxRules?: ReturnType<typeof loadMxRules>;
}

// rules load once per process: compiling them is most of a small run's time
const qualifiers = new Map<string, ReturnType<typeof createQualifier>>();
let mxRules: ReturnType<typeof loadMxRules> | null = null;
let adaptive: ReturnType<typeof loadAdaptiveRules> | null = null;

/** A delivery log that remembers when each message expired. */
class TracingLog extends DeliveryLog {
  readonly expiredAt = new Map<number, number>();
  override apply(
    id: number,
    kind: number,
    t: number,
    q: LogQualification | null = null,
    text: string | null = null,
  ): boolean {
    const changed = super.apply(id, kind, t, q, text);
    if (changed && kind === LogEvent.Expired) this.expiredAt.set(id, t);
    return changed;
  }
}

export interface HarnessRun {
  log: TracingLog;
  sim: Simulation;
  mta: Mta;
  /** per log id: its delivery's index, deadline and policy */
  deliveryOf: (id: number) => number;
  deadlineOf: (id: number) => number;
  policies: RetryPolicy[];
  /** attempt times per log id */
  attemptTimes: Map<number, number[]>;
  /** per domain: the `tls` of the session requests it was sent */
  sessionTls: Map<string, Set<SessionRequest['tls']>>;
  /** 'idle' when every event ran, 'until' when events were left at the horizon */
  end: string;
}

/** Runs the harness world to its horizon (synchronously). */
export function runHarness(o: HarnessOptions): HarnessRun {
  const maxEvents = o.maxEvents ?? 2_000_000;
  const sim = new Simulation({
    progress: {
      everyEvents: 50_000,
      onProgress: (p) => {
        if (p.events > maxEvents)
          throw new Error(
            `harness: more than ${maxEvents} events, stuck at ${p.now} ms (${p.pending} pending)`,
          );
      },
    },
  });
  const streams = new RandomStreams(o.seed ?? 1);
  let qualifier = qualifiers.get(o.mode);
  if (!qualifier) {
    qualifier = createQualifier({ mode: o.mode });
    qualifiers.set(o.mode, qualifier);
  }
  mxRules ??= loadMxRules();
  adaptive ??= loadAdaptiveRules();
  const quarantine = new QuarantineTable();
  const shaper = createShaper({
    mode: o.mode,
    mxRules: o.mxRules ?? mxRules,
    adaptiveRules: o.mode === 'enhanced' ? adaptive : undefined,
  });
  if (o.flickerHolds) {
    // a domain held again 1 ms after each check: a hold that never lets a retry through
    const inner = shaper.heldUntil.bind(shaper);
    shaper.heldUntil = (d: number, t: number) => Math.max(inner(d, t), t + 1);
  }
  const log = new TracingLog(o.mode);
  const replyOf = new Map(o.domains.map((d) => [d.name, d]));
  const attemptTimes = new Map<number, number[]>();
  const sessionTls = new Map<string, Set<SessionRequest['tls']>>();
  const transport = {
    send(req: SessionRequest): SessionResult {
      const seen = sessionTls.get(req.domain) ?? new Set();
      sessionTls.set(req.domain, seen.add(req.tls));
      const d = replyOf.get(req.domain)!;
      const kind = d.after && sim.now >= d.after.atMs ? d.after.reply : d.reply;
      for (const m of req.messages) {
        const list = attemptTimes.get(m.id);
        if (list) list.push(sim.now);
        else attemptTimes.set(m.id, [sim.now]);
      }
      return {
        sessionError: null,
        replies: req.messages.map(() => ({ phase: 'rcpt' as const, reply: REPLIES[kind] })),
        durationMs: 200,
      };
    },
  };
  const resolver = {
    resolve(domain: string): MxResolution {
      return { ok: true, mx: [{ host: `mx.${domain}`, preference: 10, ips: ['192.0.2.10'] }] };
    },
  };
  const localIps = Array.from({ length: o.localIps ?? 1 }, (_, i) => `127.0.1.${i + 1}`);
  // the MTA's session step (kind base + 3) moved later: replies no longer come in the millisecond a
  // session opens in
  const kindBase = o.settings?.kindBase ?? 1;
  const delay = o.replyDelayMs ?? 0;
  const scheduler =
    delay === 0
      ? sim
      : {
          get now() {
            return sim.now;
          },
          schedule: (at: number, kind: number, a?: number, b?: number) =>
            sim.schedule(kind === kindBase + 3 ? at + delay : at, kind, a, b),
          cancel: (id: number) => sim.cancel(id),
          on: (kind: number, h: (a: number, b: number) => void | Promise<void>) => sim.on(kind, h),
        };
  const mta = new Mta({
    scheduler,
    transport,
    resolver,
    qualifier,
    quarantine,
    shaper,
    log,
    localIps,
    random: streams.stream('retry-jitter'),
    sink: NULL_SINK,
    settings: { cleanup: false, ...o.settings },
  });
  const policies: RetryPolicy[] = [];
  const firstId: number[] = [];
  let next = 0;
  o.deliveries.forEach((d, i) => {
    const policy = retryPolicy(d.retry ?? o.mode);
    policies.push(policy);
    const targets: { recipientId: number; address: string }[] = [];
    d.recipients.forEach((n, di) => {
      for (let k = 0; k < n; k++)
        targets.push({ recipientId: targets.length, address: `u${k}@${o.domains[di]!.name}` });
    });
    firstId.push(next);
    next += targets.length;
    mta.addDelivery({
      id: i + 1,
      name: `d${i + 1}`,
      startAt: d.atMs,
      validityMs: d.validityMs,
      retry: policy,
      from: 'news@sender.example',
      sizeBytes: 10_000,
      targets: () => targets,
    });
  });
  // deliveries start in time order; log ids follow the start order
  const order = o.deliveries.map((d, i) => ({ at: d.atMs, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  const starts: { from: number; i: number }[] = [];
  let id0 = 0;
  for (const x of order) {
    starts.push({ from: id0, i: x.i });
    id0 += o.deliveries[x.i]!.recipients.reduce((a, b) => a + b, 0);
  }
  const deliveryOf = (id: number): number => {
    let i = 0;
    for (const s of starts) if (id >= s.from) i = s.i;
    return i;
  };
  const deadlineOf = (id: number): number => {
    const i = deliveryOf(id);
    const d = o.deliveries[i]!;
    const v = policies[i]!.effectiveValidity(d.validityMs);
    return d.atMs + (Number.isFinite(v) ? v : d.validityMs);
  };
  const end = sim.runUntil(o.horizonMs);
  mta.finish();
  return { log, sim, mta, deliveryOf, deadlineOf, policies, attemptTimes, sessionTls, end };
}
