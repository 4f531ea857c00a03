/**
 * The reference run: SPEC §3 (preparation), §4, §5, §7.1 and §8 driven one message at a time over the
 * same ports the core uses (transport, MX resolver, technical mailbox). It is the oracle the
 * differential property compares the fast core with: plain objects, arrays scanned from the start,
 * no caches, no batching beyond what SMTP itself does (a connection carries several messages).
 *
 * Time: a list of things to do, each at a millisecond; the earliest first, and within one
 * millisecond in the order they were planned. The deliveries' starts, then the inMail reads, then the
 * cleanups are planned before the run, so inside a millisecond they come before the sends.
 */
import type {
  MaybePromise,
  MessageReply,
  MxResolution,
  MxResolver,
  OutboundMessage,
  RawMail,
  SessionResult,
  TechnicalMailbox,
  Transport,
} from '../ports.ts';
import { TRANSPORT_ERROR_TEXT } from '../ports.ts';
import type { FailureType, Qualification } from '../types.ts';
import {
  kpis,
  REF_MODES,
  type RefKpis,
  type RefLogStatus,
  type RefMessage,
  type RefMode,
  statusIn,
} from './delivery-log.ts';
import { bucketOf, RefErrorBlock, type RefMxRule, type RefMxRules, RefSlices, ruleFor } from './mx-rules.ts';
import {
  type RefHistoryRow,
  RefQuarantine,
  type RefQuarantineSettings,
  type RefStatus,
} from './quarantine.ts';
import {
  afterHold,
  isRetried,
  REF_LEGACY_RETRY,
  type RefLegacyRetry,
  retryInterval,
  spread,
  validityOf,
} from './retry.ts';

export interface RefTarget {
  recipientId: number;
  /** '' when the target has no address */
  address: string;
  controlGroup: boolean;
}

export interface RefDelivery {
  id: number;
  startAt: number;
  /** the validity the delivery asks for (Enhanced caps it) */
  validityMs: number;
  from: string;
  sizeBytes: number;
  targets: RefTarget[];
}

/** What inMail made of one mail (the core's inMail qualifies it: qualification is shared). */
export interface RefAsyncResult {
  recipient: string;
  kind: string;
  qualification: Qualification;
  text: string;
}

export interface ReferenceOptions {
  mode: 'legacy' | 'enhanced';
  localIps: string[];
  mxRules: RefMxRules;
  quarantine: RefQuarantineSettings;
  legacyRetry?: RefLegacyRetry;
  deliveries: RefDelivery[];
  /** the quarantine table before the run */
  initial: { address: string; status: RefStatus }[];
  inmailEveryMs: number;
  cleanup: boolean;
  cleanupAtMs: number;
  cleanupEveryMs: number;
  horizonMs: number;
  transport: Transport;
  resolver: MxResolver;
  mailbox: TechnicalMailbox;
  /** sets the world's clock (the ISPs read it) */
  setNow(t: number): void;
  /** the core's qualifier, for a sync reply */
  qualify(reply: MessageReply, domain: string): Qualification;
  /** the core's inMail, for one mail of the technical mailbox */
  readMail(raw: RawMail): MaybePromise<RefAsyncResult[]>;
}

export interface RefAttempt {
  t: number;
  deliveryId: number;
  recipientId: number;
  attempt: number;
  domain: string;
  localIp: string | null;
  phase: string;
  text: string;
  type: FailureType | null;
  reason: number | null;
  outcome: 'delivered' | 'retry' | 'failed' | 'expired';
}

export interface RefLogRow {
  deliveryId: number;
  recipientId: number;
  address: string;
  status: RefLogStatus;
  excluded: boolean;
  type: FailureType | null;
  reason: number | null;
  text: string | null;
  attempts: number;
  firstAttemptMs: number | null;
  lastAttemptMs: number | null;
  deliveredMs: number | null;
}

export interface ReferenceResult {
  log: RefLogRow[];
  attempts: RefAttempt[];
  history: RefHistoryRow[];
  kpis: RefKpis;
  /** per reporting mode: how many messages (excluded ones left out) show each status at the end */
  statuses: Record<RefMode, Record<string, number>>;
  /** async results that named no message we sent */
  unmatched: number;
}

const START_SEQ = -3_000_000;
const INMAIL_SEQ = -2_000_000;
const CLEANUP_SEQ = -1_000_000;
const LAST_SEQ = 1e12;

interface Todo {
  at: number;
  seq: number;
  kind: 'start' | 'inmail' | 'cleanup' | 'due' | 'wake' | 'deadline' | 'session';
  session?: { path: Path; batch: RefMessage[] };
  delivery?: RefDelivery;
  message?: RefMessage;
  domain?: string;
}

interface Path {
  localIp: string;
  mxIp: string;
  host: string;
  rule: RefMxRule;
  bucket: string;
}

/** Runs the reference model to the horizon. */
export async function runReference(o: ReferenceOptions): Promise<ReferenceResult> {
  const r = new ReferenceRun(o);
  return r.run();
}

class ReferenceRun {
  private readonly todo: Todo[] = [];
  private seq = 0;
  private now = 0;
  private readonly messages: RefMessage[] = [];
  private readonly attempts: RefAttempt[] = [];
  private readonly quarantine: RefQuarantine;
  private readonly slices: RefSlices;
  private readonly block: RefErrorBlock;
  /** per domain: messages waiting to be sent, first come first served */
  private readonly queues = new Map<string, RefMessage[]>();
  /** per domain: the next wake planned (one at a time, the earliest) */
  private readonly wakeAt = new Map<string, number>();
  /** per domain: messages of sessions whose replies are not read yet */
  private readonly unreplied = new Map<string, number>();
  /** per domain: sessions take the domain's paths in turn */
  private readonly turn = new Map<string, number>();
  private unmatched = 0;

  constructor(private readonly o: ReferenceOptions) {
    this.quarantine = new RefQuarantine(o.quarantine);
    this.slices = new RefSlices(o.mxRules);
    this.block = new RefErrorBlock(o.mxRules);
  }

  async run(): Promise<ReferenceResult> {
    const o = this.o;
    for (const { address, status } of o.initial) this.quarantine.setInitial(address, status, 0);
    // planned before the run, in this order: inside a millisecond they come before everything else
    // (the periodic jobs are planned one at a time, each keeping its place in that order)
    for (const [i, d] of o.deliveries.entries())
      this.todo.push({ at: d.startAt, seq: START_SEQ + i, kind: 'start', delivery: d });
    if (o.inmailEveryMs > 0) this.todo.push({ at: o.inmailEveryMs, seq: INMAIL_SEQ, kind: 'inmail' });
    if (o.cleanup) this.todo.push({ at: o.cleanupAtMs, seq: CLEANUP_SEQ, kind: 'cleanup' });
    for (;;) {
      const next = this.takeNext();
      if (next === null) break;
      this.now = next.at;
      o.setNow(next.at);
      if (next.kind === 'start') this.start(next.delivery!);
      else if (next.kind === 'inmail') {
        await this.readMailbox();
        this.todo.push({ at: next.at + o.inmailEveryMs, seq: INMAIL_SEQ, kind: 'inmail' });
      } else if (next.kind === 'cleanup') {
        this.quarantine.cleanup(this.now);
        this.todo.push({ at: next.at + o.cleanupEveryMs, seq: CLEANUP_SEQ, kind: 'cleanup' });
      } else if (next.kind === 'due') this.due(next.message!);
      else if (next.kind === 'deadline') this.deadline(next.message!);
      else if (next.kind === 'session') {
        const { path, batch } = next.session!;
        const domain = next.domain!;
        await this.session(domain, path, batch, this.now);
        this.unreplied.set(domain, (this.unreplied.get(domain) ?? 0) - batch.length);
        if (this.queueOf(domain).length > 0) this.scheduleWake(domain, this.now);
      } else await this.wake(next.domain!);
    }
    const mode = o.mode;
    const log: RefLogRow[] = this.messages.map((m) => ({
      deliveryId: m.deliveryId,
      recipientId: m.recipientId,
      address: m.address,
      status: statusIn(mode, m),
      excluded: m.phase === 'excluded',
      type: m.type,
      reason: m.reason,
      text: m.text,
      attempts: m.attempts,
      firstAttemptMs: m.firstAttemptMs,
      lastAttemptMs: m.lastAttemptMs,
      deliveredMs: m.deliveredMs,
    }));
    return {
      log,
      attempts: this.attempts,
      history: this.quarantine.history,
      kpis: kpis(this.messages),
      statuses: statusCounts(this.messages),
      unmatched: this.unmatched,
    };
  }

  private plan(at: number, t: Omit<Todo, 'at' | 'seq'>): void {
    // an expiry at a deadline comes after everything else of its millisecond
    this.todo.push({ ...t, at, seq: (t.kind === 'deadline' ? LAST_SEQ : 0) + this.seq++ });
  }

  /** The earliest thing to do (planned first among equals), up to the horizon. */
  private takeNext(): Todo | null {
    let best = -1;
    for (let i = 0; i < this.todo.length; i++) {
      const x = this.todo[i]!;
      const b = this.todo[best] ?? null;
      if (b === null || x.at < b.at || (x.at === b.at && x.seq < b.seq)) best = i;
    }
    if (best < 0 || this.todo[best]!.at > this.o.horizonMs) return null;
    return this.todo.splice(best, 1)[0]!;
  }

  private scheduleWake(domain: string, at: number): void {
    const planned = this.wakeAt.get(domain);
    if (planned !== undefined && planned <= at && planned >= this.now) return;
    this.wakeAt.set(domain, at);
    this.plan(at, { kind: 'wake', domain });
  }

  // ------------------------------------------------------------ SPEC §3: preparation

  /**
   * Each target in order: no address -> 7; the same address already in this delivery -> 10;
   * Denylisted -> 8; in Quarantine -> 9; control group -> 127; otherwise it is sent (an allowlisted
   * address too). "Such messages are never sent and are listed as excluded".
   */
  private start(d: RefDelivery): void {
    const seen = new Set<string>();
    const woken: string[] = [];
    const validity = validityOf(this.o.mode, d.validityMs);
    for (const target of d.targets) {
      const address = target.address;
      const m: RefMessage = {
        no: this.messages.length,
        deliveryId: d.id,
        recipientId: target.recipientId,
        address,
        domain: address === '' ? '' : address.slice(address.lastIndexOf('@') + 1).toLowerCase(),
        phase: 'queued',
        type: null,
        reason: null,
        text: null,
        attempts: 0,
        firstAttemptMs: null,
        lastAttemptMs: null,
        deliveredMs: null,
        startAt: d.startAt,
        deadline: d.startAt + validity,
        backoffMs: 0,
        lastTry: false,
      };
      this.messages.push(m);
      let excluded: number | null = null;
      if (address === '') excluded = 7;
      else if (seen.has(address)) excluded = 10;
      else {
        seen.add(address);
        const status = this.quarantine.status(address);
        if (status === 'denylisted') excluded = 8;
        else if (status === 'quarantine') excluded = 9;
        else if (target.controlGroup) excluded = 127;
      }
      if (excluded !== null) {
        m.phase = 'excluded';
        m.reason = excluded;
        m.type = excluded === 7 || excluded === 8 || excluded === 9 ? 'hard' : 'ignored';
        continue;
      }
      this.queueOf(m.domain).push(m);
      this.plan(m.deadline, { kind: 'deadline', message: m });
      if (!woken.includes(m.domain)) woken.push(m.domain);
    }
    for (const domain of woken) this.scheduleWake(domain, this.now);
  }

  private queueOf(domain: string): RefMessage[] {
    let q = this.queues.get(domain);
    if (!q) {
      q = [];
      this.queues.set(domain, q);
    }
    return q;
  }

  // ------------------------------------------------------------ SPEC §7.1: sending

  private async wake(domain: string): Promise<void> {
    const t = this.now;
    if (this.wakeAt.get(domain) === t) this.wakeAt.delete(domain);
    const queue = this.queueOf(domain);
    if (queue.length === 0) return;
    const res: MxResolution = await this.o.resolver.resolve(domain);
    if (!res.ok || res.mx.length === 0) {
      // "Invalid domain ... (DNS query failed, no MX)": every waiting message gets the DNS error
      const text = (!res.ok && res.text) || `DNS query failed for '${domain}'`;
      for (const m of queue.splice(0)) {
        if (t > m.deadline) this.expire(m, t);
        else this.failed(m, { phase: 'dns', reply: text }, t, null);
      }
      return;
    }
    const paths = this.pathsOf(domain, res);
    while (queue.length > 0) {
      // "sending is blocked for 3 hours": nothing leaves for the domain until the block ends
      const held = this.o.mode === 'legacy' ? this.block.blockedUntil(domain) : 0;
      if (held > t) {
        this.scheduleWake(domain, held);
        return;
      }
      // never more messages with unknown replies than the fewest replies that could trip the
      // error-rate block, so that no message leaves once it is tripped: else wait (in this
      // millisecond) for the replies of the sessions already open
      const room =
        (this.o.mode === 'legacy' ? this.block.room(domain, t) : Number.POSITIVE_INFINITY) -
        (this.unreplied.get(domain) ?? 0);
      if (room <= 0) {
        this.scheduleWake(domain, t);
        return;
      }
      // the domain's paths in turn, the first one whose slice still has room
      const first = this.turn.get(domain) ?? 0;
      let path: Path | null = null;
      for (let k = 0; k < paths.length; k++) {
        const p = paths[(first + k) % paths.length]!;
        if (this.slices.room(p.bucket, p.rule, t) > 0) {
          path = p;
          break;
        }
      }
      if (path === null) {
        // "sent as soon as possible in the slice": the next slice
        this.scheduleWake(domain, this.slices.nextSlice(t));
        return;
      }
      this.turn.set(domain, first + 1);
      // "max messages per connection (then reconnect)"
      const most = Math.min(path.rule.maxMessagesPerConnection, room);
      const batch: RefMessage[] = [];
      while (batch.length < most && queue.length > 0 && this.slices.room(path.bucket, path.rule, t) > 0) {
        const m = queue.shift()!;
        // "only inside the validity period"
        if (t > m.deadline) {
          this.expire(m, t);
          continue;
        }
        this.slices.take(path.bucket, t);
        batch.push(m);
      }
      if (batch.length === 0) continue;
      // connections are simultaneous: this session's replies are read after what is already due
      // in this millisecond
      this.unreplied.set(domain, (this.unreplied.get(domain) ?? 0) + batch.length);
      this.plan(t, { kind: 'session', domain, session: { path, batch } });
    }
  }

  /**
   * "A path is (local sending IP, remote MX IP)": the MX hosts of the best preference (backups only
   * serve when the better ones are down, which these runs never make happen), each of their IPs,
   * from each local IP.
   */
  private pathsOf(domain: string, res: MxResolution & { ok: true }): Path[] {
    const hosts = [...res.mx].sort((a, b) => a.preference - b.preference);
    const best = hosts.filter((h) => h.preference === hosts[0]!.preference);
    const out: Path[] = [];
    for (const h of best) {
      const rule = ruleFor(this.o.mxRules, h.host);
      for (const mxIp of h.ips)
        for (const localIp of this.o.localIps)
          out.push({ localIp, mxIp, host: h.host, rule, bucket: bucketOf(rule, localIp, mxIp) });
    }
    if (out.length === 0) throw new Error(`reference: ${domain} has no path`);
    return out;
  }

  private async session(domain: string, path: Path, batch: RefMessage[], t: number): Promise<void> {
    const byDelivery = new Map(this.o.deliveries.map((d) => [d.id, d]));
    const messages: OutboundMessage[] = batch.map((m) => ({
      id: m.no,
      deliveryId: m.deliveryId,
      from: byDelivery.get(m.deliveryId)!.from,
      to: m.address,
      domain,
      size: byDelivery.get(m.deliveryId)!.sizeBytes,
      attempt: m.attempts + 1,
      messageId: `<${m.deliveryId}.${m.recipientId}@mxlab.invalid>`,
    }));
    const r: SessionResult = await this.o.transport.send({
      localIp: path.localIp,
      mxHost: path.host,
      mxIp: path.mxIp,
      domain,
      messages,
      timeouts: { connectMs: 30_000, commandMs: 120_000, dataMs: 300_000 },
    });
    if (r.durationMs !== 0) throw new Error('reference: sessions must take no time (zero-latency profiles)');
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!;
      const reply: MessageReply = r.sessionError ??
        r.replies[i] ?? { phase: 'data', reply: '', transportError: 'reset' };
      const code = reply.transportError ? 0 : Number(reply.reply.slice(0, 3));
      if (!r.sessionError && code >= 200 && code < 400) this.delivered(m, reply, t, path);
      else this.failed(m, reply, t, path);
    }
  }

  // ------------------------------------------------------------ outcomes (SPEC §4, §5, §8)

  private delivered(m: RefMessage, reply: MessageReply, t: number, path: Path): void {
    m.attempts++;
    m.firstAttemptMs ??= t;
    m.lastAttemptMs = t;
    m.phase = 'delivered';
    m.deliveredMs = t;
    m.type = null;
    m.reason = null;
    this.quarantine.onSuccess(m.address, t);
    if (this.o.mode === 'legacy') this.block.count(m.domain, false, t);
    this.attempts.push({
      t,
      deliveryId: m.deliveryId,
      recipientId: m.recipientId,
      attempt: m.attempts,
      domain: m.domain,
      localIp: path.localIp,
      phase: reply.phase,
      text: reply.reply,
      type: null,
      reason: null,
      outcome: 'delivered',
    });
  }

  private failed(m: RefMessage, reply: MessageReply, t: number, path: Path | null): void {
    const o = this.o;
    const q = o.qualify(reply, m.domain);
    const text = reply.transportError
      ? reply.reply
        ? `${TRANSPORT_ERROR_TEXT[reply.transportError]}: ${reply.reply}`
        : TRANSPORT_ERROR_TEXT[reply.transportError]
      : reply.reply;
    // §7.1: every reply on a path counts toward the domain's error rate
    if (path !== null && o.mode === 'legacy') this.block.count(m.domain, true, t);
    const reason = this.quarantine.onError(m.address, q, text, t, 'sync');
    m.attempts++;
    m.firstAttemptMs ??= t;
    m.lastAttemptMs = t;
    // "Error ignored | Ignored | 25" (SPEC §3): an allowlisted address's error is of type Ignored
    const type = reason === 25 ? 'ignored' : q.type;
    m.type = type;
    m.reason = reason;
    m.text = text;
    let outcome: RefAttempt['outcome'];
    if (!isRetried(o.mode, q)) {
      // "Hard errors never are [retried]"; an Ignored error that is not temporary ends as Ignored
      m.phase = q.type === 'ignored' ? 'ignored' : 'failed';
      outcome = 'failed';
    } else {
      const interval = retryInterval(o.mode, m.attempts, q, m.domain, o.legacyRetry ?? REF_LEGACY_RETRY);
      const held = o.mode === 'legacy' ? this.block.blockedUntil(m.domain) : 0;
      let next: number | null = null;
      if (interval !== null) {
        next = t + interval;
        // held by the block this reply tripped: back through its backoff after the hold
        if (held > next) next = afterHold(held, interval, m.no);
        if (next > m.deadline) next = this.lastTry(m, t, held, interval);
      }
      if (next === null) {
        // "Failed ... when retries run out" (the schedule, or the validity after its last try)
        m.phase = 'failed';
        outcome = 'expired';
      } else {
        m.backoffMs = interval!;
        this.plan(next, { kind: 'due', message: m });
        outcome = 'retry';
      }
    }
    this.attempts.push({
      t,
      deliveryId: m.deliveryId,
      recipientId: m.recipientId,
      attempt: m.attempts,
      domain: m.domain,
      localIp: path?.localIp ?? null,
      phase: reply.phase,
      text,
      type,
      reason,
      outcome,
    });
  }

  /**
   * SPEC §4/§8 "the message stays in play until its validity ends" (docs/decisions.md, the end of
   * validity): when its next retry would pass the deadline it gets one last try, at a point of the
   * time left (at most one backoff) before the deadline, and expires if that fails too. Held past
   * the deadline: it wakes at the deadline to expire. Null: no try left.
   */
  private lastTry(m: RefMessage, t: number, held: number, interval: number): number | null {
    if (m.lastTry || t >= m.deadline) return null;
    m.lastTry = true;
    if (held >= m.deadline) return m.deadline;
    const from = Math.max(t, held);
    if (from >= m.deadline) return null;
    return m.deadline - (spread(m.no) % Math.max(1, Math.min(interval, m.deadline - from)));
  }

  /** A message whose validity ran out while it waited: Failed, never sent again. */
  private expire(m: RefMessage, _t: number): void {
    m.phase = 'failed';
  }

  /** A retry falls due: back in its domain's queue, unless the domain is blocked (SPEC §4 holds). */
  private due(m: RefMessage): void {
    const t = this.now;
    const held = this.o.mode === 'legacy' ? this.block.blockedUntil(m.domain) : 0;
    if (held > t) {
      // its validity ended during the hold: it expires at its deadline, never tried again
      if (t >= m.deadline) {
        this.expire(m, t);
        return;
      }
      // "held messages go back through their normal backoff": the interval its policy gave it,
      // spread after the hold's end
      let next = afterHold(held, m.backoffMs, m.no);
      if (next > m.deadline) {
        // the hold ends after the deadline: wake at the deadline to expire; else its last attempt
        // somewhere between the hold's end and the deadline
        next = held >= m.deadline ? m.deadline : held + (spread(m.no) % (m.deadline - held + 1));
        m.lastTry = true;
      }
      this.plan(next, { kind: 'due', message: m });
      return;
    }
    this.queueOf(m.domain).push(m);
    this.plan(m.deadline, { kind: 'deadline', message: m });
    this.scheduleWake(m.domain, t);
  }

  /**
   * The end of validity: a message that waits in its domain's queue when its validity ends expires
   * then ("only inside the validity period"), after whatever the domain sends in that millisecond.
   */
  private deadline(m: RefMessage): void {
    const queue = this.queueOf(m.domain);
    const i = queue.indexOf(m);
    if (i < 0) return;
    queue.splice(i, 1);
    this.expire(m, this.now);
  }

  // ------------------------------------------------------------ async: inMail (SPEC §1, §5, §8)

  /**
   * Every mail in the technical mailbox: its results apply to the message it is about (the original
   * Message-ID quoted in it), never to another message of the same address.
   */
  private async readMailbox(): Promise<void> {
    const t = this.now;
    const mails = await this.o.mailbox.drain(t);
    for (const raw of mails) {
      const quoted = this.messageOf(raw);
      for (const r of await this.o.readMail(raw)) {
        const m = quoted;
        if (m === null) {
          this.unmatched++;
          continue;
        }
        if (r.kind === 'arf') {
          const allowlisted = this.quarantine.status(m.address) === 'allowlisted';
          this.quarantine.onComplaint(m.address, r.text, t);
          // SPEC §8 "complaints = Failed with reason 8" (an allowlisted address: 25, Error ignored)
          if (m.phase === 'delivered' || m.phase === 'queued') {
            m.phase = 'failed';
            m.type = allowlisted ? 'ignored' : 'hard';
            m.reason = allowlisted ? 25 : 8;
            m.text = r.text;
          }
          continue;
        }
        if (r.kind !== 'dsn') continue; // auto-replies: Ignored, never quarantine
        const q = r.qualification;
        // "async bounces later turn Sent into Failed": a bounce mail saying the remote side gave up
        // (a permanent status, 5.x.x, whatever the reason's type); a delay notice (4.x.x) changes nothing
        const reason = this.quarantine.onError(m.address, q, r.text, t, 'async');
        if (q.disposition === 'permanent' && (m.phase === 'delivered' || m.phase === 'queued')) {
          m.phase = 'failed';
          m.type = reason === 25 ? 'ignored' : q.type;
          m.reason = reason;
          m.text = r.text;
        }
      }
    }
  }

  private messageOf(raw: RawMail): RefMessage | null {
    const text = raw.data.toString('latin1');
    for (const match of text.matchAll(/<(\d+)\.(\d+)@mxlab\.invalid>/g)) {
      const d = Number(match[1]);
      const rcpt = Number(match[2]);
      const m = this.messages.find(
        (x) => x.deliveryId === d && x.recipientId === rcpt && x.phase !== 'excluded',
      );
      if (m) return m;
    }
    return null;
  }
}

function statusCounts(messages: RefMessage[]): Record<RefMode, Record<string, number>> {
  const out = { legacy: {}, enhanced: {}, efs: {} } as Record<RefMode, Record<string, number>>;
  for (const mode of REF_MODES)
    for (const m of messages) {
      if (m.phase === 'excluded') continue;
      const s = statusIn(mode, m);
      out[mode][s] = (out[mode][s] ?? 0) + 1;
    }
  return out;
}
