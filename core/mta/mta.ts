/**
 * The MTA loop (DESIGN.md "one flow"): prepare → queue per domain → shape → send through the Transport
 * port with messages per connection → qualify each reply → disposition (deliver / retry / fail) →
 * quarantine update → delivery log and sink events. Async bounces and complaints come back through the
 * technical mailbox, read by inMail on a schedule; the cleanup workflow runs daily.
 *
 * It runs on any {@link Scheduler} (the engine's Simulation in virtual time) and talks to the world
 * only through the ports, so the same loop drives in-process ISPs and real SMTP on loopback. Per-message
 * state lives in typed arrays indexed by the delivery log's message id; the only object per message is
 * the `OutboundMessage` handed to the transport.
 */
import type { DeliveryLog } from '../delivery-log/index.ts';
import { LogEvent } from '../delivery-log/index.ts';
import { growI32 } from '../grow.ts';
import { fmix32 } from '../hash.ts';
import type { InMail, InMailResult } from '../inmail/index.ts';
import type {
  MessageReply,
  MxHost,
  MxResolution,
  MxResolver,
  OutboundMessage,
  RandomSource,
  Scheduler,
  SessionRequest,
  SessionResult,
  TechnicalMailbox,
  Transport,
} from '../ports.ts';
import { TRANSPORT_ERROR_TEXT } from '../ports.ts';
import { DeliveryPreparation, type PreparationTarget, SEND } from '../preparation/index.ts';
import type { Qualifier } from '../qualification/index.ts';
import type { QualificationTable } from '../qualification/qualification-table.ts';
import type { QuarantineTable } from '../quarantine/index.ts';
import {
  attemptBound,
  decideRetry,
  GIVE_UP_EXPIRED,
  GIVE_UP_PERMANENT,
  isRetry,
  LOWEST_DRAW,
  type RetryPolicy,
  resumeAfterSuspension,
} from '../retry/index.ts';
import type { Shaper } from '../shaping/index.ts';
import { AddressStatus, type Millis, type ParsedReply, type Qualification, Reason } from '../types.ts';
import {
  MatchBy,
  type MatchByCode,
  messageIdHeader,
  messageToken,
  parseHeaderValue,
  parseMessageId,
  parseVerp,
  type TokenParts,
  verpAddress,
} from './async-match.ts';
import { IntQueue } from './int-queue.ts';
import { LivenessError } from './liveness.ts';
import { ReplyCache } from './reply-cache.ts';
import { DEFAULT_MTA_SETTINGS, type MtaSettings } from './settings.ts';
import type { AttemptEvent, AttemptOutcome, MtaSink } from './sink.ts';

/** Event kinds the MTA registers on its scheduler (offset by `settings.kindBase`). */
const K = {
  DeliveryStart: 0,
  DomainWake: 1,
  Retry: 2,
  Session: 3,
  SessionEnd: 4,
  InMail: 5,
  Cleanup: 6,
} as const;

/** One delivery (send job) handed to the MTA. */
export interface MtaDelivery {
  id: number;
  name: string;
  startAt: Millis;
  /** requested validity; the policy may cap it (Enhanced MTA: 3.5 days) */
  validityMs: Millis;
  retry: RetryPolicy;
  from: string;
  sizeBytes: number;
  maxMessages?: number | null;
  /** the target, streamed when the delivery starts */
  targets: () => Iterable<PreparationTarget>;
}

export interface MtaOptions {
  scheduler: Scheduler;
  transport: Transport;
  resolver: MxResolver;
  qualifier: Qualifier;
  quarantine: QuarantineTable;
  shaper: Shaper;
  log: DeliveryLog;
  localIps: readonly string[];
  /** jitter of retry policies */
  random: RandomSource;
  sink: MtaSink;
  mailbox?: TechnicalMailbox;
  inmail?: InMail;
  qualificationTable?: QualificationTable;
  settings?: Partial<MtaSettings>;
  /** run the SESSION step as a concurrent two-phase step (wire mode); needs `scheduler.onConcurrent` */
  concurrentSessions?: boolean;
  /** messages the deliveries will add (a capacity hint: per-message arrays start at this size) */
  expectedMessages?: number;
}

/** A path's constant part of a session request (Mta.pathOf). */
interface PathInfo {
  domain: string;
  localIp: string;
  mxIp: string;
  rule: string;
  ipIdx: number;
  timeouts: SessionRequest['timeouts'];
  tls: SessionRequest['tls'];
}

interface Session {
  d: number;
  pathId: number;
  slot: number;
  localIp: string;
  mxIp: string;
  msgs: number[];
  req: SessionRequest;
}

const DELIVERED_Q: Qualification = {
  type: 'ignored',
  reason: 0,
  impact: 'ok',
  disposition: 'permanent',
  rule: null,
  bounceClass: null,
};

/** What `stopDelivery` did: why, and how many pending messages became "Delivery cancelled". */
export interface StopOutcome {
  /**
   * `stopped`: its pending messages are cancelled; `notStarted`: it will never start; `handedOver`:
   * already handed to the Enhanced MTA, it cannot be stopped (seed 003); `alreadyStopped`
   */
  result: 'stopped' | 'notStarted' | 'handedOver' | 'alreadyStopped';
  cancelled: number;
}

/** How the delivery log shows a complaint (SPEC §8: Failed, reason 8), and one about an allowlisted address. */
const COMPLAINT_Q: Qualification = Object.freeze({
  type: 'hard',
  reason: Reason.Denylisted,
  impact: 'denylist',
  disposition: 'permanent',
  rule: null,
  bounceClass: null,
});
const COMPLAINT_ALLOWLISTED_Q: Qualification = Object.freeze({
  ...COMPLAINT_Q,
  type: 'ignored',
  reason: Reason.ErrorIgnored,
});

/** Counters the run summary and the conservation checks read. */
export interface MtaCounters {
  sessions: number;
  attempts: number;
  delivered: number;
  reroutes: number;
  inmailMails: number;
  inmailResults: number;
  inmailUnmatched: number;
}

export class Mta {
  readonly settings: Readonly<MtaSettings>;
  readonly counters: MtaCounters = {
    sessions: 0,
    attempts: 0,
    delivered: 0,
    reroutes: 0,
    inmailMails: 0,
    inmailResults: 0,
    inmailUnmatched: 0,
  };
  private readonly o: MtaOptions;
  private readonly k: number;
  private readonly deliveries: MtaDelivery[] = [];
  private readonly deliveryValidity: number[] = [];
  /** per delivery: retry events one message may take (liveness bound, from its retry policy) */
  private readonly deliveryEventBound: number[] = [];
  /** per delivery: started (prepared), stopped by an operator, and its message ids [first, end) */
  private readonly deliveryStarted: boolean[] = [];
  private readonly deliveryStopped: boolean[] = [];
  private readonly deliveryIdRange: [number, number][] = [];
  /** per delivery: handed over to an MTA it cannot be stopped in (the Enhanced MTA, seed 003) */
  private readonly deliveryHandedOver: boolean[] = [];
  /** whether a delivery that starts now is handed over (`setHandover`; at first !stopAfterHandover) */
  private handOver: boolean;
  /** scheduled cleanup runs still to skip (`skipCleanup`) */
  private cleanupSkips = 0;
  // per message (delivery-log id)
  private msgAddr: Int32Array<ArrayBuffer>;
  private msgDomain: Int32Array<ArrayBuffer>;
  private msgDelivery: Int32Array<ArrayBuffer>;
  private msgIp: Int16Array<ArrayBuffer>;
  // the normal backoff of the message's pending retry (ms); negative once its last attempt before the
  // validity deadline is scheduled (SPEC §4: it gets one, then expires)
  private msgBackoff: Int32Array<ArrayBuffer>;
  // retry events the message has taken (liveness)
  private msgEvents: Int32Array<ArrayBuffer>;
  // per address id: last message accepted for it, for the async match's last resort (asyncMatchLatest)
  private lastMsgOfAddr: Int32Array<ArrayBuffer>;
  // per domain
  private readonly domainNames: string[] = [];
  private readonly domainIds = new Map<string, number>();
  private readonly queues: IntQueue[] = [];
  // per domain: no queued message's validity ends before this (a lower bound; exact after a sweep)
  private queueDeadline: number[] = [];
  private wakeAt: number[] = [];
  private mxOf: (MxHost[] | null)[] = [];
  private mxFailure: (MxResolution | null)[] = [];
  private mxExpires: number[] = [];
  private shaperDomain: number[] = [];
  /** messages handed to the transport whose replies are not counted yet (same millisecond) */
  private unreplied: number[] = [];
  // waiting for those replies when they use up the error-block room: the millisecond of the wait, the
  // waits in it with no reply between, and whether the domain now waits for sessionDone to wake it
  private roomWaitAt: number[] = [];
  private roomWaits: number[] = [];
  private roomParked: number[] = [];
  // sessions in flight
  private readonly sessions: (Session | null)[] = [];
  // per shaper path id: what its sessions need of it, made on first use
  private readonly paths: (PathInfo | undefined)[] = [];
  private readonly freeSessions: number[] = [];
  // throughput of the current 5-minute slice, keyed by domain id * 256 + local IP index
  private slice = -1;
  private readonly sliceCounts = new Map<number, Int32Array>();
  private readonly localIpIndex = new Map<string, number>();
  private readonly replies: ReplyCache;
  // the async match's scratch: the token parsed and how the last mail matched (no object per mail)
  private readonly token: TokenParts = { deliveryId: 0, recipientId: 0, messageId: 0 };
  private readonly how: { by: MatchByCode } = { by: MatchBy.None };
  // the attempt event reported to the sink, filled again for every attempt (no object per attempt)
  private readonly attemptEvent: AttemptEvent = {
    t: 0,
    deliveryId: 0,
    recipientId: 0,
    attempt: 0,
    domain: '',
    localIp: null,
    mxIp: null,
    phase: 'dns',
    code: null,
    enhanced: null,
    text: '',
    q: null,
    outcome: 'delivered',
  };

  constructor(options: MtaOptions) {
    this.o = options;
    this.settings = Object.freeze({ ...DEFAULT_MTA_SETTINGS, ...options.settings });
    this.replies = new ReplyCache(this.settings.replyCacheSize);
    this.k = this.settings.kindBase;
    this.handOver = !this.settings.stopAfterHandover;
    const cap = Math.max(1024, Math.min(options.expectedMessages ?? 0, 2 ** 30) | 0);
    this.msgAddr = new Int32Array(cap);
    this.msgDomain = new Int32Array(cap);
    this.msgDelivery = new Int32Array(cap);
    this.msgIp = new Int16Array(cap);
    this.msgBackoff = new Int32Array(cap);
    this.msgEvents = new Int32Array(cap);
    this.lastMsgOfAddr = new Int32Array(this.settings.asyncMatchLatest ? cap : 0).fill(-1);
    for (let i = 0; i < options.localIps.length; i++) this.localIpIndex.set(options.localIps[i]!, i);
    if (options.localIps.length === 0) throw new Error('mta: localIps: at least one local IP is needed');
    const s = options.scheduler;
    s.on(this.k + K.DeliveryStart, (a) => this.startDelivery(a));
    s.on(this.k + K.DomainWake, (a) => this.wake(a));
    s.on(this.k + K.Retry, (a) => this.retryDue(a));
    s.on(this.k + K.SessionEnd, (a) => this.sessionEnd(a));
    s.on(this.k + K.Cleanup, () => this.cleanup());
    s.on(this.k + K.InMail, () => this.readMailbox());
    if (options.concurrentSessions && s.onConcurrent) {
      s.onConcurrent<SessionResult>(this.k + K.Session, {
        start: (a) => this.o.transport.send(this.sessions[a]!.req),
        commit: (r, a) => this.sessionDone(a, r),
      });
    } else {
      s.on(this.k + K.Session, (a) => {
        const r = this.o.transport.send(this.sessions[a]!.req);
        if (r instanceof Promise) return r.then((res) => this.sessionDone(a, res));
        this.sessionDone(a, r);
      });
    }
    options.quarantine.setListener((e) => options.sink.quarantine(e));
  }

  /** Schedules a delivery; call before running. */
  addDelivery(d: MtaDelivery): void {
    const idx = this.deliveries.push(d) - 1;
    this.setBounds(idx);
    this.deliveryStarted.push(false);
    this.deliveryStopped.push(false);
    this.deliveryHandedOver.push(false);
    this.deliveryIdRange.push([0, 0]);
    this.o.scheduler.schedule(d.startAt, this.k + K.DeliveryStart, idx);
  }

  /** Validity and liveness bound of delivery `idx`, from its retry policy. */
  private setBounds(idx: number): void {
    const d = this.deliveries[idx]!;
    const validity = effectiveValidity(d);
    this.deliveryValidity[idx] = validity;
    // each retry event is an attempt's retry or a hold moving it past the hold's end (holds last at
    // least livenessMinHoldMs): more than this means a loop that makes no progress
    const holds = Math.ceil(validity / Math.max(1, this.settings.livenessMinHoldMs));
    this.deliveryEventBound[idx] = attemptBound(d.retry, validity) + 2 * holds + 2;
  }

  /**
   * Gives delivery `idx` another retry policy (and so validity cap) before it starts, e.g. when the
   * MTA mode changes; false (nothing changed) once it has started or been stopped.
   */
  setRetry(idx: number, retry: RetryPolicy): boolean {
    if (this.deliveryStarted[idx] || this.deliveryStopped[idx]) return false;
    this.deliveries[idx] = { ...this.deliveries[idx]!, retry };
    this.setBounds(idx);
    return true;
  }

  /**
   * The instance switches to an MTA that takes deliveries over (true: the Enhanced MTA) or back to
   * one that does not (false: the native MTA; seed 003 line 80, Adobe can route an instance back).
   * A delivery that starts from now on follows the new MTA. Switching to handover, started
   * deliveries still running are handed over too (their pending messages go to the new MTA);
   * switching back, those already handed over stay there (seed 003 line 112). Returns the names of
   * the started deliveries handed over by this switch.
   */
  setHandover(on: boolean): string[] {
    this.handOver = on;
    const moved: string[] = [];
    if (on)
      for (let i = 0; i < this.deliveries.length; i++)
        if (this.deliveryStarted[i] && !this.deliveryStopped[i] && !this.deliveryHandedOver[i]) {
          this.deliveryHandedOver[i] = true;
          moved.push(this.deliveries[i]!.name);
        }
    return moved;
  }

  /** Schedules the periodic jobs (inMail, cleanup) from `from` to `until`. */
  startJobs(from: Millis, until: Millis): void {
    const st = this.settings;
    if (this.o.mailbox && this.o.inmail && st.inmailEveryMs > 0) {
      for (let t = from + st.inmailEveryMs; t <= until; t += st.inmailEveryMs)
        this.o.scheduler.schedule(t, this.k + K.InMail);
    }
    if (st.cleanup) {
      for (let t = st.cleanupFirstAt; t <= until; t += st.cleanupEveryMs)
        if (t >= from) this.o.scheduler.schedule(t, this.k + K.Cleanup);
    }
  }

  /** Writes the last throughput slice; call when the run ends. */
  finish(): void {
    this.flushSlice();
  }

  /** The address a message went (or would have gone) to; '' when the target had none. */
  messageAddress(id: number): string {
    const a = this.msgAddr[id]!;
    return a < 0 ? '' : this.o.quarantine.addressOf(a);
  }

  /** The address-book id of a message's address (what `messageAddress` spells); -1 when the target had none. */
  messageAddressId(id: number): number {
    return this.msgAddr[id]!;
  }

  /** Domain of a message as the MTA queued it (lower case); for an excluded one, from its address. */
  messageDomain(id: number): string {
    const d = this.msgDomain[id]!;
    if (d >= 0) return this.domainNames[d]!;
    const address = this.messageAddress(id);
    const at = address.lastIndexOf('@');
    return at < 0 ? '' : address.slice(at + 1).toLowerCase();
  }

  /** Messages still queued or waiting for a retry at the end of the run are the log's pending ones. */
  get domainCount(): number {
    return this.domainNames.length;
  }

  // ------------------------------------------------------------------ preparation

  private startDelivery(idx: number): void {
    // stopped before its start: never prepared, nothing is logged
    if (this.deliveryStopped[idx]) return;
    this.deliveryStarted[idx] = true;
    this.deliveryHandedOver[idx] = this.handOver;
    const d = this.deliveries[idx]!;
    const t = this.o.scheduler.now;
    const prep = new DeliveryPreparation(this.o.quarantine, { maxMessages: d.maxMessages ?? null });
    const log = this.o.log;
    const firstId = log.size;
    const woken = new Set<number>();
    const deadline = d.startAt + this.deliveryValidity[idx]!;
    for (const target of d.targets()) {
      const decision = prep.decide(target);
      const id = log.add(d.id, target.recipientId);
      this.ensureMessages(id + 1);
      if (decision !== SEND && decision !== Reason.ErrorIgnored) {
        log.exclude(id, decision);
        this.msgAddr[id] = prep.lastAddressId;
        this.msgDomain[id] = -1;
        continue;
      }
      const address = target.address!;
      const at = address.lastIndexOf('@');
      const domain = at < 0 ? '' : address.slice(at + 1).toLowerCase();
      const dom = this.domainId(domain);
      this.msgAddr[id] = prep.lastAddressId;
      this.msgDomain[id] = dom;
      this.msgDelivery[id] = idx;
      this.msgIp[id] = -1;
      log.apply(id, LogEvent.Relayed, t);
      this.queues[dom]!.push(id);
      if (deadline < this.queueDeadline[dom]!) this.queueDeadline[dom] = deadline;
      woken.add(dom);
    }
    this.deliveryIdRange[idx] = [firstId, log.size];
    for (const dom of woken) this.scheduleWake(dom, t);
  }

  // ------------------------------------------------------------------ operator actions

  /** Index of a delivery by name, or -1. */
  deliveryIndex(name: string): number {
    return this.deliveries.findIndex((d) => d.name === name);
  }

  /**
   * An operator stops delivery `idx` now. Not started yet: it never starts. Started, legacy MTA: every
   * pending message not in an SMTP session right now becomes "Delivery cancelled" (SPEC §8); those in a
   * session get their reply, and are cancelled instead of retried. Handed over to the Enhanced MTA
   * (started with `stopAfterHandover` false, or `setHandover(true)` since): nothing changes, it
   * cannot be stopped once handed over (seed 003).
   */
  stopDelivery(idx: number): StopOutcome {
    if (this.deliveryStopped[idx]) return { result: 'alreadyStopped', cancelled: 0 };
    if (!this.deliveryStarted[idx]) {
      this.deliveryStopped[idx] = true;
      return { result: 'notStarted', cancelled: 0 };
    }
    if (this.deliveryHandedOver[idx]) return { result: 'handedOver', cancelled: 0 };
    this.deliveryStopped[idx] = true;
    const t = this.o.scheduler.now;
    const inSession = new Set<number>();
    for (const s of this.sessions) if (s) for (const id of s.msgs) inSession.add(id);
    // queued messages leave their queues (the others wait for a retry event, which cancels them)
    for (const q of this.queues) {
      for (let n = q.size; n > 0; n--) {
        const id = q.shift();
        if (this.msgDelivery[id] !== idx) q.push(id);
      }
    }
    let cancelled = 0;
    const [first, end] = this.deliveryIdRange[idx]!;
    for (let id = first; id < end; id++)
      if (!inSession.has(id) && this.o.log.apply(id, LogEvent.Cancelled, t, null, null)) cancelled++;
    return { result: 'stopped', cancelled };
  }

  /** A stopped delivery's message met again (a retry, a re-route): cancelled instead of sent. */
  private cancelIfStopped(id: number, t: Millis): boolean {
    if (!this.deliveryStopped[this.msgDelivery[id]!]) return false;
    this.o.log.apply(id, LogEvent.Cancelled, t, null, null);
    return true;
  }

  /** Looks at a domain's queue now (after an operator lifted a hold); every domain when omitted. */
  resumeDomain(domain?: string): void {
    const t = this.o.scheduler.now;
    const ids = domain === undefined ? this.domainNames.keys() : [this.domainIds.get(domain.toLowerCase())];
    for (const d of ids) if (d !== undefined && this.queues[d]!.size > 0) this.scheduleWake(d, t);
  }

  /** The shaper's domain id of a domain the MTA has resolved, or -1. */
  shaperDomainOf(domain: string): number {
    const d = this.domainIds.get(domain.toLowerCase());
    return d === undefined ? -1 : this.shaperDomain[d]!;
  }

  /** Runs the database cleanup now (an operator action, besides the daily runs). */
  runCleanup(): void {
    this.o.quarantine.cleanup(this.o.scheduler.now);
  }

  /** The next scheduled cleanup run does nothing (an operator skips it). */
  skipCleanup(): void {
    this.cleanupSkips++;
  }

  private ensureMessages(n: number): void {
    if (n <= this.msgAddr.length) return;
    let cap = this.msgAddr.length;
    while (cap < n) cap *= 2;
    this.msgAddr = growI32(this.msgAddr, cap);
    this.msgDomain = growI32(this.msgDomain, cap);
    this.msgDelivery = growI32(this.msgDelivery, cap);
    this.msgBackoff = growI32(this.msgBackoff, cap);
    this.msgEvents = growI32(this.msgEvents, cap);
    const ip = new Int16Array(cap);
    ip.set(this.msgIp);
    this.msgIp = ip;
  }

  private domainId(domain: string): number {
    let id = this.domainIds.get(domain);
    if (id === undefined) {
      id = this.domainNames.push(domain) - 1;
      this.domainIds.set(domain, id);
      this.queues.push(new IntQueue());
      this.queueDeadline.push(Number.POSITIVE_INFINITY);
      this.wakeAt.push(Number.POSITIVE_INFINITY);
      this.mxOf.push(null);
      this.mxFailure.push(null);
      this.mxExpires.push(Number.NEGATIVE_INFINITY);
      this.shaperDomain.push(-1);
      this.unreplied.push(0);
      this.roomWaitAt.push(-1);
      this.roomWaits.push(0);
      this.roomParked.push(0);
    }
    return id;
  }

  // ------------------------------------------------------------------ the domain loop

  private scheduleWake(d: number, at: Millis): void {
    if (at === Number.POSITIVE_INFINITY) return;
    // one pending wake per domain: keep the earliest
    if (this.wakeAt[d]! <= at && this.wakeAt[d]! >= this.o.scheduler.now) return;
    this.wakeAt[d] = at;
    this.o.scheduler.schedule(at, this.k + K.DomainWake, d);
  }

  private retryDue(id: number): void {
    const d = this.msgDomain[id]!;
    const t = this.o.scheduler.now;
    if (this.cancelIfStopped(id, t)) return;
    const events = ++this.msgEvents[id]!;
    if (events > this.deliveryEventBound[this.msgDelivery[id]!]!) this.noProgress(id, t, 'event bound');
    const sd = this.shaperDomain[d]!;
    const held = sd >= 0 ? this.o.shaper.heldUntil(sd, t) : 0;
    if (held > t) {
      const deadline = this.deadlineOf(id);
      if (t >= deadline) {
        // its validity ended during the hold: it expires now, at its deadline, never later
        this.o.log.apply(id, LogEvent.Expired, t, null, null);
        return;
      }
      // SPEC §4: a retry due while its domain is suspended or blocked goes back to its normal backoff
      // after the hold, spread over one backoff interval, instead of queueing for a burst at its end.
      // The interval is the one the policy gave (not the time since the last attempt, which grows
      // with every hold and starves the message).
      const b = this.msgBackoff[id]!;
      const backoff = b === 0 ? this.settings.sliceMs : Math.abs(b);
      let at = resumeAfterSuspension(held, t, backoff, id);
      if (at > deadline) {
        // the hold ends after the deadline: wake at the deadline to expire (unless the hold was
        // lifted); else its last attempt somewhere between the hold's end and the deadline
        at = held >= deadline ? deadline : held + (fmix32(id) % (deadline - held + 1));
        this.msgBackoff[id] = -backoff;
      }
      if (!(at > t)) this.noProgress(id, t, 'held retry not moved forward');
      this.o.scheduler.schedule(at, this.k + K.Retry, id);
      return;
    }
    this.queues[d]!.push(id);
    const deadline = this.deadlineOf(id);
    if (deadline < this.queueDeadline[d]!) this.queueDeadline[d] = deadline;
    this.scheduleWake(d, t);
  }

  /**
   * The domain sent what it could at `t` and messages are left: those whose validity ends by `t`
   * expire now, at their deadline (issue #19), not whenever the domain sends again, and the domain
   * wakes at the next queued deadline. Sweeps the queue only once a deadline is reached.
   */
  private expireQueued(d: number, t: Millis): void {
    if (t >= this.queueDeadline[d]!) {
      const q = this.queues[d]!;
      let min = Number.POSITIVE_INFINITY;
      for (let n = q.size; n > 0; n--) {
        const id = q.shift();
        const deadline = this.deadlineOf(id);
        if (deadline <= t) this.o.log.apply(id, LogEvent.Expired, t, null, null);
        else {
          q.push(id);
          if (deadline < min) min = deadline;
        }
      }
      this.queueDeadline[d] = min;
    }
    if (this.queues[d]!.size > 0) this.scheduleWake(d, this.queueDeadline[d]!);
  }

  /** The end of a message's validity (its delivery's start plus the effective validity). */
  private deadlineOf(id: number): Millis {
    const di = this.msgDelivery[id]!;
    return this.deliveries[di]!.startAt + this.deliveryValidity[di]!;
  }

  /** Liveness (issue #19): stop the run with one line naming the message, its domain and the rule. */
  private noProgress(id: number, t: Millis, what: string): never {
    const di = this.msgDelivery[id]!;
    const del = this.deliveries[di]!;
    throw new LivenessError(
      `message ${id} (delivery ${del.name}, recipient ${this.o.log.recipientId(id)}) to ${this.domainNames[this.msgDomain[id]!]} at ${t} ms: ${what}: ${this.msgEvents[id]} retry events, bound ${this.deliveryEventBound[di]} from retry policy ${del.retry.name} and validity ${this.deliveryValidity[di]} ms`,
    );
  }

  private wake(d: number): void | Promise<void> {
    const t = this.o.scheduler.now;
    if (this.wakeAt[d] === t) this.wakeAt[d] = Number.POSITIVE_INFINITY;
    if (this.queues[d]!.size === 0) return;
    if (this.mxExpires[d]! <= t) {
      const r = this.o.resolver.resolve(this.domainNames[d]!);
      if (r instanceof Promise) return r.then((res) => this.resolved(d, res, this.o.scheduler.now));
      this.resolved(d, r, t);
      return;
    }
    this.dispatch(d, t);
  }

  private resolved(d: number, r: MxResolution, t: Millis): void {
    const st = this.settings;
    if (r.ok && r.mx.length > 0) {
      this.mxOf[d] = r.mx;
      this.mxFailure[d] = null;
      this.mxExpires[d] = t + st.dnsCacheMs;
      this.shaperDomain[d] = this.o.shaper.registerSite(this.domainNames[d]!, r.mx, this.o.localIps);
    } else {
      this.mxOf[d] = null;
      this.mxFailure[d] = r;
      this.mxExpires[d] = t + st.dnsNegativeCacheMs;
    }
    this.dispatch(d, t);
  }

  /** Opens as many sessions as shaping allows now, or schedules the next wake. */
  private dispatch(d: number, t: Millis): void {
    const q = this.queues[d]!;
    const fail = this.mxFailure[d];
    if (fail && !fail.ok) {
      const text = fail.text || `DNS query failed for '${this.domainNames[d]}'`;
      const reply: MessageReply = { phase: 'dns', reply: text };
      for (let n = q.size; n > 0; n--) {
        const id = q.shift();
        if (this.cancelIfStopped(id, t) || this.expireIfDue(id, t)) continue;
        this.failed(id, reply, this.replies.parse(reply.reply), t, -1, null, null);
      }
      return;
    }
    const shaper = this.o.shaper;
    const sd = this.shaperDomain[d]!;
    while (q.size > 0) {
      // SPEC §7.1: never more messages with unknown replies than the fewest replies that could trip
      // the error-rate block, so it holds from the reply that trips it on; when none is left, wait
      // for the replies of the sessions in flight
      const room = shaper.errorBlockRoom(sd, t) - this.unreplied[d]!;
      if (room <= 0) {
        this.waitForReplies(d, t);
        return;
      }
      const choice = shaper.routeId(sd, t);
      const pathId = choice.pathId;
      if (pathId < 0) {
        this.expireQueued(d, t);
        return;
      }
      if (choice.at > t) {
        this.scheduleWake(d, choice.at);
        this.expireQueued(d, t);
        return;
      }
      const slot = shaper.tryOpen(pathId, t);
      if (slot < 0) {
        // every connection slot of the bucket is busy (maybe with another domain's sessions): look again soon
        this.scheduleWake(d, t + this.settings.slotRetryMs);
        this.expireQueued(d, t);
        return;
      }
      const msgs: number[] = [];
      const budget = Math.min(shaper.sessionRemaining(slot), room);
      while (msgs.length < budget && q.size > 0) {
        if (shaper.nextSendAt(pathId, t) > t) break;
        const id = q.shift();
        if (this.cancelIfStopped(id, t) || this.expireIfDue(id, t)) continue;
        shaper.onSend(pathId, t, slot);
        msgs.push(id);
      }
      if (msgs.length === 0) {
        shaper.close(slot, t);
        if (q.size > 0) this.scheduleWake(d, Math.max(t + 1, shaper.nextSendAt(pathId, t)));
        this.expireQueued(d, t);
        return;
      }
      this.unreplied[d]! += msgs.length;
      this.openSession(d, pathId, slot, msgs, t);
    }
  }

  /**
   * The messages in flight use up the error-block room: wait for their replies. They come in this
   * millisecond (sessions open at t and reply in their step, queued before the wake), so the domain
   * wakes again at t, after them. A domain woken at t that still waits with no reply between (its
   * sessions reply later: an arrangement where replies take time) waits for sessionDone to wake it
   * instead of waking itself at the same millisecond forever. Two such waits can happen in a run
   * that ends (a wake already pending at t fires before the sessions), so the third one parks.
   */
  private waitForReplies(d: number, t: Millis): void {
    if (this.roomWaitAt[d] !== t) {
      this.roomWaitAt[d] = t;
      this.roomWaits[d] = 0;
    }
    if (++this.roomWaits[d]! > 2) {
      this.roomParked[d] = 1;
      return;
    }
    this.scheduleWake(d, t);
  }

  /**
   * What a session on `pathId` needs of its path: its names, local IP index and timeouts. A path's
   * link, rule and domain never change once the shaper made it, so this is made once per path (the
   * timeouts object is shared, read-only, by the path's sessions) instead of three objects per session.
   */
  private pathOf(pathId: number): PathInfo {
    let p = this.paths[pathId];
    if (p === undefined) {
      const shaper = this.o.shaper;
      const path = shaper.describePath(pathId);
      const limits = shaper.sessionLimits(pathId);
      p = {
        domain: path.domain,
        localIp: path.localIp,
        mxIp: path.mxIp,
        rule: path.rule,
        ipIdx: this.localIpIndex.get(path.localIp) ?? 0,
        timeouts: Object.freeze({
          connectMs: limits.connectTimeoutMs,
          commandMs: limits.timeoutMs,
          dataMs: limits.dataTimeoutMs,
        }),
        tls: limits.tls,
      };
      this.paths[pathId] = p;
    }
    return p;
  }

  private openSession(d: number, pathId: number, slot: number, msgs: number[], t: Millis): void {
    const path = this.pathOf(pathId);
    const log = this.o.log;
    const ipIdx = path.ipIdx;
    const st = this.settings;
    const messages: OutboundMessage[] = [];
    for (let i = 0; i < msgs.length; i++) {
      const id = msgs[i]!;
      const del = this.deliveries[this.msgDelivery[id]!]!;
      this.msgIp[id] = ipIdx;
      const rcpt = log.recipientId(id);
      messages.push({
        id,
        deliveryId: del.id,
        from: st.verp ? verpAddress(del.from, st.verpSeparator, messageToken(del.id, rcpt, id)) : del.from,
        to: this.o.quarantine.addressOf(this.msgAddr[id]!),
        domain: path.domain,
        size: del.sizeBytes,
        attempt: log.attempts(id) + 1,
        // the token in it finds this exact message again when a DSN or complaint returns it
        messageId: messageIdHeader(del.id, rcpt, id, st.messageIdDomain),
      });
    }
    const session: Session = {
      d,
      pathId,
      slot,
      localIp: path.localIp,
      mxIp: path.mxIp,
      msgs,
      req: {
        localIp: path.localIp,
        mxHost: path.rule,
        mxIp: path.mxIp,
        domain: path.domain,
        messages,
        timeouts: path.timeouts,
        tls: path.tls,
      },
    };
    const sid = this.freeSessions.length > 0 ? this.freeSessions.pop()! : this.sessions.length;
    this.sessions[sid] = session;
    this.counters.sessions++;
    this.o.scheduler.schedule(t, this.k + K.Session, sid);
  }

  private sessionDone(sid: number, r: SessionResult): void {
    const s = this.sessions[sid]!;
    const t = this.o.scheduler.now;
    this.unreplied[s.d]! -= s.msgs.length;
    this.roomWaits[s.d] = 0;
    if (this.roomParked[s.d] === 1) {
      this.roomParked[s.d] = 0;
      this.scheduleWake(s.d, t);
    }
    const end = t + Math.max(0, Math.round(r.durationMs));
    this.o.scheduler.schedule(end, this.k + K.SessionEnd, sid);
    if (r.sessionError) {
      const e = r.sessionError;
      const connectionFailure = e.phase === 'connect' || e.transportError !== undefined;
      if (connectionFailure) this.o.shaper.onConnectionError(s.pathId, t);
      // SPEC §7.1: a session failure re-routes to another path, or leaves the message pending
      const other = connectionFailure ? this.otherPathNow(s, t) : false;
      const parsed = other || e.transportError ? null : this.replies.parse(e.reply);
      for (let i = s.msgs.length - 1; i >= 0; i--) {
        const id = s.msgs[i]!;
        if (other) {
          this.counters.reroutes++;
          this.queues[s.d]!.unshift(id);
        } else this.failed(id, e, parsed, t, s.pathId, s.localIp, s.mxIp);
      }
      if (other) this.scheduleWake(s.d, t);
      return;
    }
    for (let i = 0; i < s.msgs.length; i++) {
      const id = s.msgs[i]!;
      const reply = r.replies[i] ?? { phase: 'data', reply: '', transportError: 'reset' };
      const parsed = reply.transportError ? null : this.replies.parse(reply.reply);
      if (parsed?.parseable && parsed.code !== null && parsed.code < 400)
        this.delivered(id, reply, parsed, t, s);
      else this.failed(id, reply, parsed, t, s.pathId, s.localIp, s.mxIp);
    }
  }

  private otherPathNow(s: Session, t: Millis): boolean {
    const choice = this.o.shaper.routeId(this.shaperDomain[s.d]!, t);
    return choice.pathId >= 0 && choice.pathId !== s.pathId && choice.at <= t + this.settings.rerouteWithinMs;
  }

  private sessionEnd(sid: number): void {
    const s = this.sessions[sid]!;
    const t = this.o.scheduler.now;
    this.o.shaper.close(s.slot, t);
    this.sessions[sid] = null;
    this.freeSessions.push(sid);
    if (this.queues[s.d]!.size > 0) this.scheduleWake(s.d, t);
  }

  // ------------------------------------------------------------------ outcomes

  private delivered(id: number, reply: MessageReply, parsed: ParsedReply, t: Millis, s: Session): void {
    const o = this.o;
    const addr = this.msgAddr[id]!;
    o.log.apply(id, LogEvent.Delivered, t, null, null);
    o.quarantine.onSuccess(addr, t);
    o.shaper.onReply(s.pathId, reply.reply, null, t);
    if (this.settings.asyncMatchLatest) {
      if (addr >= this.lastMsgOfAddr.length)
        this.lastMsgOfAddr = growI32(this.lastMsgOfAddr, Math.max(addr + 1, 1024), -1);
      this.lastMsgOfAddr[addr] = id;
    }
    this.counters.attempts++;
    this.counters.delivered++;
    this.record(
      id,
      t,
      reply,
      parsed.code,
      parsed.enhanced,
      reply.reply,
      DELIVERED_Q,
      'delivered',
      s.localIp,
      s.mxIp,
    );
  }

  /** `parsed`: the reply parsed (null for a transport error) */
  private failed(
    id: number,
    reply: MessageReply,
    parsed: ParsedReply | null,
    t: Millis,
    pathId: number,
    localIp: string | null,
    mxIp: string | null,
  ): void {
    const o = this.o;
    const d = this.msgDomain[id]!;
    const domain = this.domainNames[d]!;
    let q = o.qualifier.qualify(parsed?.parseable ? parsed : reply, { phase: reply.phase, domain });
    const text = reply.transportError ? transportText(reply) : reply.reply;
    let notBefore = 0;
    let heldUntil = 0;
    if (pathId >= 0) {
      const actions = o.shaper.onReply(pathId, text, q, t);
      if (actions.rewriteToTransient && q.disposition === 'permanent')
        q = { ...q, disposition: 'transient', impact: 'none' };
      notBefore = actions.retryNotBefore;
      heldUntil = actions.heldUntil;
    }
    if (o.qualificationTable) q = o.qualificationTable.record(text, q);
    const addr = this.msgAddr[id]!;
    const out = o.quarantine.onError(addr, q, text, t, 'sync');
    const logQ = out.reason === q.reason ? q : logQualification(q, out.reason);
    const del = this.deliveries[this.msgDelivery[id]!]!;
    const attemptNo = o.log.attempts(id) + 1;
    let decision = decideRetry(del.retry, q, attemptNo, del.startAt, t, domain, o.random, del.validityMs);
    let backoff = 0;
    if (isRetry(decision)) {
      backoff = decision - t;
      // SPEC §4: a message held by a suspension goes back to its normal backoff after it, spread over
      // one backoff interval, not all at the suspension's end; greylisting sets a plain minimum
      if (heldUntil > decision) decision = resumeAfterSuspension(heldUntil, decision, backoff, id);
      if (notBefore > decision) decision = notBefore;
    } else if (decision === GIVE_UP_EXPIRED) {
      // expired because the next retry passes the validity, or because the schedule ran out?
      const next = del.retry.nextAttemptAt(attemptNo, t, t, q, domain, LOWEST_DRAW, Number.POSITIVE_INFINITY);
      if (next !== null && next > t) {
        backoff = next - t;
        decision = Number.POSITIVE_INFINITY;
      }
    }
    if (decision > this.deadlineOf(id)) decision = this.lastAttemptAt(id, t, heldUntil, notBefore, backoff);
    else if (isRetry(decision))
      this.msgBackoff[id] = this.msgBackoff[id]! < 0 ? -clampI32(backoff) : clampI32(backoff);
    let outcome: AttemptOutcome;
    if (isRetry(decision)) {
      o.log.apply(id, LogEvent.SoftBounce, t, logQ, text);
      o.scheduler.schedule(decision, this.k + K.Retry, id);
      outcome = 'retry';
    } else if (decision === GIVE_UP_PERMANENT) {
      o.log.apply(id, q.type === 'ignored' ? LogEvent.IgnoredError : LogEvent.HardBounce, t, logQ, text);
      outcome = 'failed';
    } else {
      o.log.apply(id, LogEvent.SoftBounce, t, logQ, text);
      o.log.apply(id, LogEvent.Expired, t, logQ, null);
      outcome = 'expired';
    }
    this.counters.attempts++;
    this.record(
      id,
      t,
      reply,
      parsed?.code ?? null,
      parsed?.enhanced ?? null,
      text,
      logQ,
      outcome,
      localIp,
      mxIp,
    );
  }

  /**
   * SPEC §4, §8 (docs/decisions.md): a message stays in play until its validity ends. When its next
   * retry would pass the deadline it gets one last attempt, spread over the time left before the
   * deadline (no burst at it), and expires if that fails too; a hold over the deadline makes it wake
   * at the deadline to expire. Returns the time, or {@link GIVE_UP_EXPIRED}. Sets the message's
   * last-attempt mark (a negative backoff).
   */
  private lastAttemptAt(
    id: number,
    t: Millis,
    heldUntil: Millis,
    notBefore: Millis,
    backoff: Millis,
  ): number {
    const deadline = this.deadlineOf(id);
    if (this.msgBackoff[id]! < 0 || t >= deadline) return GIVE_UP_EXPIRED;
    this.msgBackoff[id] = -clampI32(Math.max(1, backoff));
    // held over the deadline: wake at it and expire then (unless the hold is lifted); greylisted past it: no try left
    if (heldUntil >= deadline) return deadline;
    const from = Math.max(t, heldUntil, notBefore);
    if (from >= deadline) return GIVE_UP_EXPIRED;
    const span = Math.max(1, Math.min(backoff, deadline - from));
    return deadline - (fmix32(id) % span);
  }

  /** A queued message past its validity fails as expired (it is never sent again). */
  private expireIfDue(id: number, t: Millis): boolean {
    const di = this.msgDelivery[id]!;
    const del = this.deliveries[di]!;
    if (t <= del.startAt + this.deliveryValidity[di]!) return false;
    this.o.log.apply(id, LogEvent.Expired, t, null, null);
    return true;
  }

  private record(
    id: number,
    t: Millis,
    reply: MessageReply,
    code: number | null,
    enhanced: string | null,
    text: string,
    q: Qualification,
    outcome: AttemptOutcome,
    localIp: string | null,
    mxIp: string | null,
  ): void {
    const del = this.deliveries[this.msgDelivery[id]!]!;
    const d = this.msgDomain[id]!;
    const log = this.o.log;
    const e = this.attemptEvent;
    e.t = t;
    e.deliveryId = del.id;
    e.recipientId = log.recipientId(id);
    e.attempt = log.attempts(id);
    e.domain = this.domainNames[d]!;
    e.localIp = localIp;
    e.mxIp = mxIp;
    e.phase = reply.phase;
    e.code = code;
    e.enhanced = enhanced;
    e.text = text;
    e.q = outcome === 'delivered' ? null : q;
    e.outcome = outcome;
    this.o.sink.attempt(e);
    this.countSlice(t, d, localIp, outcome);
  }

  // ------------------------------------------------------------------ throughput slices

  private countSlice(t: Millis, d: number, localIp: string | null, outcome: AttemptOutcome): void {
    const slice = Math.floor(t / this.settings.sliceMs);
    if (slice !== this.slice) {
      this.flushSlice();
      this.slice = slice;
    }
    const key = d * 256 + (localIp === null ? 255 : (this.localIpIndex.get(localIp) ?? 255));
    let c = this.sliceCounts.get(key);
    if (!c) {
      c = new Int32Array(4);
      this.sliceCounts.set(key, c);
    }
    c[0]!++;
    if (outcome === 'delivered') c[1]!++;
    else if (outcome === 'retry') c[2]!++;
    else c[3]!++;
  }

  private flushSlice(): void {
    if (this.slice < 0 || this.sliceCounts.size === 0) return;
    const keys = [...this.sliceCounts.keys()].sort((a, b) => a - b);
    for (const key of keys) {
      const c = this.sliceCounts.get(key)!;
      const ip = key % 256;
      this.o.sink.throughput({
        sliceMs: this.slice * this.settings.sliceMs,
        domain: this.domainNames[Math.floor(key / 256)]!,
        localIp: ip === 255 ? '' : this.o.localIps[ip]!,
        attempts: c[0]!,
        delivered: c[1]!,
        deferred: c[2]!,
        failed: c[3]!,
      });
    }
    this.sliceCounts.clear();
  }

  // ------------------------------------------------------------------ periodic jobs

  private cleanup(): void {
    if (this.cleanupSkips > 0) {
      this.cleanupSkips--;
      return;
    }
    this.o.quarantine.cleanup(this.o.scheduler.now);
  }

  private async readMailbox(): Promise<void> {
    const o = this.o;
    const t = o.scheduler.now;
    const mails = await o.mailbox!.drain(t);
    for (const raw of mails) {
      this.counters.inmailMails++;
      const results = await o.inmail!.process(raw);
      for (const r of results) {
        this.counters.inmailResults++;
        this.applyAsync(r, t);
      }
    }
  }

  /**
   * The message an async mail is about (core/mta/async-match.ts: Message-ID, per-message header, VERP,
   * then the address's latest message when `asyncMatchLatest` is on), or -1; `how` says which matched.
   */
  private matchAsync(r: InMailResult, how: { by: MatchByCode }): number {
    const st = this.settings;
    const tok = this.token;
    const o = r.origin;
    if (o.messageId && parseMessageId(o.messageId, st.messageIdDomain, tok)) {
      const id = this.sentMessage(tok);
      if (id >= 0) {
        how.by = MatchBy.MessageId;
        return id;
      }
    }
    if (o.header && parseHeaderValue(o.header, st.messageIdDomain, tok)) {
      const id = this.sentMessage(tok);
      if (id >= 0) {
        how.by = MatchBy.Header;
        return id;
      }
    }
    if (o.returnPath && parseVerp(o.returnPath, st.verpSeparator, tok)) {
      const id = this.sentMessage(tok);
      if (id >= 0) {
        how.by = MatchBy.Verp;
        return id;
      }
    }
    if (st.asyncMatchLatest && r.recipient) {
      const addr = this.o.quarantine.findId(r.recipient);
      const id = addr >= 0 && addr < this.lastMsgOfAddr.length ? this.lastMsgOfAddr[addr]! : -1;
      if (id >= 0) {
        how.by = MatchBy.Latest;
        return id;
      }
    }
    how.by = MatchBy.None;
    return -1;
  }

  /** The message a parsed token names when the log has it as sent (delivery and recipient agree), else -1. */
  private sentMessage(tok: TokenParts): number {
    const id = tok.messageId;
    const log = this.o.log;
    if (id >= log.size || this.msgDomain[id]! < 0 || log.attempts(id) === 0) return -1;
    if (log.deliveryId(id) !== tok.deliveryId || log.recipientId(id) !== tok.recipientId) return -1;
    return id;
  }

  private applyAsync(r: InMailResult, t: Millis): void {
    const o = this.o;
    const id = this.matchAsync(r, this.how);
    const by = this.how.by;
    let q = r.qualification;
    o.sink.inmail({
      t,
      recipient: r.recipient,
      kind: r.kind,
      q,
      status: r.status,
      text: r.text,
      matchedBy: by,
      deliveryId: id < 0 ? null : o.log.deliveryId(id),
      recipientId: id < 0 ? null : o.log.recipientId(id),
    });
    if (id < 0) {
      this.counters.inmailUnmatched++;
      return;
    }
    // the message's own address: a complaint often names no recipient (redacted feedback loops)
    const addr = this.msgAddr[id]!;
    if (r.kind === 'arf') {
      const status = o.quarantine.onComplaint(addr, r.text, t);
      // SPEC §8: a complaint counts as Failed with reason 8 (an allowlisted address keeps 25, Error ignored)
      if (this.settings.complaintFailsMessage)
        o.log.apply(
          id,
          LogEvent.AsyncBounce,
          t,
          status === AddressStatus.Allowlisted ? COMPLAINT_ALLOWLISTED_Q : COMPLAINT_Q,
          r.text,
        );
      const ip = this.msgIp[id]!;
      if (ip >= 0) o.shaper.onComplaint(o.localIps[ip]!, this.domainNames[this.msgDomain[id]!]!, t);
      return;
    }
    if (r.kind !== 'dsn' || q.impact === 'ok') return;
    // an Ignore entry of the qualification table: the bounce never quarantines (SPEC §6.1)
    const tq = o.qualificationTable;
    if (tq && r.text !== null) q = tq.apply(r.text, q);
    // the quarantine first: an allowlisted address's error is logged as 25, Error ignored (SPEC §3, §5)
    const out = o.quarantine.onError(addr, q, r.text, t, 'async');
    if (q.disposition === 'permanent')
      o.log.apply(
        id,
        LogEvent.AsyncBounce,
        t,
        out.reason === q.reason ? q : logQualification(q, out.reason),
        r.text,
      );
  }
}

/** The validity a delivery's messages live by: the policy's, or the delivery's own when the policy sets none. */
export function effectiveValidity(d: Pick<MtaDelivery, 'retry' | 'validityMs'>): Millis {
  const v = d.retry.effectiveValidity(d.validityMs);
  return Number.isFinite(v) ? v : d.validityMs;
}

/**
 * The qualification the delivery log shows when the quarantine table gives another reason: 25 (an
 * allowlisted address) is of type Ignored (SPEC §3; seed 000 line 100: "Erreur ignorée | Ignoré").
 */
function logQualification(q: Qualification, reason: number): Qualification {
  return { ...q, reason, type: reason === Reason.ErrorIgnored ? 'ignored' : q.type };
}

function clampI32(ms: number): number {
  return ms > 0x7fffffff ? 0x7fffffff : ms;
}

function transportText(reply: MessageReply): string {
  const base = TRANSPORT_ERROR_TEXT[reply.transportError!];
  return reply.reply ? `${base}: ${reply.reply}` : base;
}
