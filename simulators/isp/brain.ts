/**
 * The ISP brain: a pure decision engine answering `(phase, envelope, client IP, MX IP, t)` with a
 * reply, a latency and asynchronous follow-ups, compiled from one profile. It holds no socket: the
 * in-process transport loops over it, and a fake MX over real SMTP can call the same methods.
 * State it keeps (all O(1) per message): hourly counters per client IP, complaint counters, the
 * greylist triplets seen.
 */
import type { RandomSource, TransportErrorKind } from '../../core/ports.ts';
import type { Millis } from '../../core/types.ts';
import type { RecipientTruth } from '../population/truth.ts';
import type { FollowUp, FollowUpKind, FollowUpSink, OriginalHeaders } from './follow-up.ts';
import { magicAction } from './magic.ts';
import type { Delay, IspProfile, ScriptPhase, ScriptTruth } from './profile-schema.ts';
import { sampleDelay } from './sample-delay.ts';

/** The brain's answer, written into a caller-owned object to avoid allocation. */
export class BrainReply {
  /** SMTP code, or 0 for a transport error */
  code = 0;
  /** full reply text (placeholders filled), '' for a transport error */
  text = '';
  latencyMs = 0;
  /** the server closes the connection after this reply (any 421, refused, timeout) */
  close = false;
  transportError: TransportErrorKind | null = null;

  set(code: number, text: string, latencyMs: number): void {
    this.code = code;
    this.text = text;
    this.latencyMs = latencyMs;
    this.close = code === 421;
    this.transportError = null;
  }

  fail(kind: TransportErrorKind, latencyMs: number): void {
    this.code = 0;
    this.text = '';
    this.latencyMs = latencyMs;
    this.close = true;
    this.transportError = kind;
  }
}

/** Per-connection state; reuse one object across sessions with `reset`. */
export class SessionState {
  clientIp = '';
  mxHost = '';
  mxIp = '';
  from = '';
  /** truth of the current recipient (set at RCPT) */
  truth: RecipientTruth | null = null;
  /** reply deferred to DATA by a truth script with phase data */
  dataReply: string | null = null;
  /** DSN text to send after acceptance (accept-then-bounce) */
  pendingBounce: string | null = null;
  /** follow-up requested by a magic local part */
  magicFollowUp: FollowUpKind | null = null;

  reset(clientIp: string, mxHost: string, mxIp: string): this {
    this.clientIp = clientIp;
    this.mxHost = mxHost;
    this.mxIp = mxIp;
    this.from = '';
    this.resetMessage();
    return this;
  }

  resetMessage(): void {
    this.truth = null;
    this.dataReply = null;
    this.pendingBounce = null;
    this.magicFollowUp = null;
  }
}

/** Message details the DATA phase needs for follow-ups. */
export interface Envelope {
  from: string;
  to: string;
  messageId: string;
  /** the message's Subject and Date as received (wire mode); follow-ups quote them */
  original?: OriginalHeaders;
}

/** Options of an `IspBrain`. */
export interface BrainOptions {
  profile: IspProfile;
  /** ground truth lookup by address (a population's `truthOf`); null for strangers */
  truthOf: (address: string) => RecipientTruth | null;
  /** the brain's own named random stream */
  random: RandomSource;
  /** where DSNs, ARFs and auto-replies go */
  followUps?: FollowUpSink;
}

interface IpCounter {
  hour: number;
  count: number;
  delivered: number;
  complaints: number;
  blockedUntil: Millis;
}

/** A time window of a profile (its times already in ms). */
export type Window = IspProfile['windows'][number];
const HOUR_MS = 3_600_000;
/** when the DSN of a magic `bounce@` arrives after the rejection */
const MAGIC_BOUNCE_DELAY: Delay = { minMs: 30_000, maxMs: 300_000 };
const PHASES: readonly ScriptPhase[] = ['connect', 'ehlo', 'mail', 'rcpt', 'data'];

/** A compiled profile (see the file comment). */
export class IspBrain {
  readonly profile: IspProfile;
  readonly name: string;
  private readonly truthOf: BrainOptions['truthOf'];
  private readonly random: RandomSource;
  private readonly sink: FollowUpSink | null;
  private readonly windows: Record<ScriptPhase, Window[]>;
  private readonly dnsWindows: Window[];
  private readonly randomByPhase: Record<ScriptPhase, IspProfile['random']>;
  private readonly rateByPhase: Record<ScriptPhase, IspProfile['rateLimits']>;
  private readonly counters = new Map<string, IpCounter>();
  /** greylist triplets first seen, in two generations (see {@link IspBrain.greylistFirstSeen}) */
  private greylist = new Map<string, Millis>();
  private greylistOld = new Map<string, Millis>();
  private greylistRotateAt = Number.NEGATIVE_INFINITY;
  private readonly acceptCode: Record<'mail' | 'rcpt' | 'data', number>;
  private readonly reportingMta: string;
  /** the reporting host names the recipient domain (`mx1.{domain}`), filled in as the resolver does */
  private readonly reportingPerDomain: boolean;
  private readonly exact: Set<string>;
  private readonly patterns: RegExp[];

  constructor(opts: BrainOptions) {
    const p = opts.profile;
    this.profile = p;
    this.name = p.name;
    this.truthOf = opts.truthOf;
    this.random = opts.random;
    this.sink = opts.followUps ?? null;
    this.windows = byPhase(
      p.windows.filter((w) => w.action === 'reply' || w.action === 'refuse' || w.action === 'timeout'),
    );
    this.dnsWindows = p.windows.filter((w) => w.action === 'nxdomain' || w.action === 'servfail');
    this.randomByPhase = byPhase(p.random);
    this.rateByPhase = byPhase(p.rateLimits);
    this.acceptCode = { mail: code(p.accept.mail), rcpt: code(p.accept.rcpt), data: code(p.accept.data) };
    this.reportingMta = p.reportingMta ?? p.mx[0]!.host;
    this.reportingPerDomain = this.reportingMta.includes('{domain}');
    this.exact = new Set(p.domains.map((d) => d.toLowerCase()));
    this.patterns = p.domainPatterns.map(globToRegExp);
  }

  /** True when this profile serves `domain` by name or pattern (catch-all not included). */
  serves(domain: string): boolean {
    if (this.exact.has(domain)) return true;
    for (const re of this.patterns) if (re.test(domain)) return true;
    return false;
  }

  /** A DNS failure scripted for `domain` at time `t`, or null. */
  dnsFailure(domain: string, t: Millis): 'nxdomain' | 'servfail' | null {
    for (const w of this.dnsWindows) {
      if (t >= w.from && t < w.to && (!w.domains || w.domains.includes(domain)) && this.roll(w.probability))
        return w.action as 'nxdomain' | 'servfail';
    }
    return null;
  }

  /** Connection and greeting. */
  connect(s: SessionState, t: Millis, out: BrainReply): void {
    const lat = sampleDelay(this.profile.latency.connect, this.random);
    if (this.scripted('connect', s, '', '', null, t, lat, out)) return;
    out.set(220, this.profile.greeting.replace('<mx>', s.mxHost), lat);
  }

  /** EHLO. */
  ehlo(s: SessionState, t: Millis, out: BrainReply): void {
    const lat = sampleDelay(this.profile.latency.ehlo, this.random);
    if (this.scripted('ehlo', s, '', '', null, t, lat, out)) return;
    out.set(250, this.profile.ehlo.replace('<mx>', s.mxHost), lat);
  }

  /** MAIL FROM. */
  mail(s: SessionState, from: string, t: Millis, out: BrainReply): void {
    s.resetMessage();
    s.from = from;
    const lat = sampleDelay(this.profile.latency.mail, this.random);
    if (this.scripted('mail', s, '', '', null, t, lat, out)) return;
    out.set(this.acceptCode.mail, this.profile.accept.mail, lat);
  }

  /** RCPT TO: the main decision point. */
  rcpt(s: SessionState, to: string, t: Millis, out: BrainReply): void {
    const p = this.profile;
    const lat = sampleDelay(p.latency.rcpt, this.random);
    const at = to.lastIndexOf('@');
    const domain = to.slice(at + 1).toLowerCase();
    const truth = this.truthOf(to);
    s.truth = truth;
    this.count(s.clientIp, t);
    const kind = this.effectiveKind(truth, t);
    if (this.scripted('rcpt', s, to, domain, kind, t, lat, out)) return;
    if (p.magicLocalParts) {
      const magic = magicAction(to);
      if (magic) {
        s.magicFollowUp = magic.followUp;
        if (magic.reply !== null) {
          out.set(code(magic.reply), fill(magic.reply, to, domain, s.clientIp), lat);
          if (magic.followUp === 'dsn')
            this.followUp('dsn', s, to, '', t, MAGIC_BOUNCE_DELAY, out.text, undefined, true);
          return;
        }
        if (magic.forceAccept) {
          out.set(this.acceptCode.rcpt, p.accept.rcpt, lat);
          return;
        }
      }
    }
    if (p.greylisting) {
      const first = this.greylistFirstSeen(`${s.clientIp}|${s.from}|${to}`, t, p.greylisting.retainMs);
      if (first === undefined || t < first + p.greylisting.delayMs) {
        out.set(code(p.greylisting.reply), fill(p.greylisting.reply, to, domain, s.clientIp), lat);
        return;
      }
    }
    const script = p.truth[kind];
    if (script) {
      const text = fill(script.reply, to, domain, s.clientIp);
      const atb = p.acceptThenBounce;
      if (atb && code(text) >= 500 && atb.truths.includes(kind) && this.roll(atb.probability)) {
        s.pendingBounce = text;
      } else if (script.phase === 'data') {
        s.dataReply = text;
      } else {
        out.set(code(text), text, lat);
        return;
      }
    }
    out.set(this.acceptCode.rcpt, p.accept.rcpt, lat);
  }

  /** DATA (end of data): accept, or reject; schedules follow-ups of accepted mail. */
  data(s: SessionState, env: Envelope, t: Millis, out: BrainReply): void {
    const p = this.profile;
    const lat = sampleDelay(p.latency.data, this.random);
    const to = env.to;
    const domain = to.slice(to.lastIndexOf('@') + 1).toLowerCase();
    const kind = this.effectiveKind(s.truth, t);
    if (this.scripted('data', s, to, domain, kind, t, lat, out)) return;
    if (s.dataReply !== null) {
      out.set(code(s.dataReply), s.dataReply, lat);
      return;
    }
    out.set(this.acceptCode.data, p.accept.data, lat);
    const done = t + lat;
    const c = this.counter(s.clientIp, done);
    c.delivered++;
    if (s.pendingBounce !== null) {
      // a relay that rewrote the Message-ID returns a header the sender never wrote
      const returned = p.acceptThenBounce?.returnsMessageId === false ? '' : env.messageId;
      this.followUp('dsn', s, to, returned, done, p.acceptThenBounce?.delay, s.pendingBounce, env.original);
      return;
    }
    if (s.magicFollowUp === 'autoReply' || kind === 'autoResponder')
      this.followUp('autoReply', s, to, env.messageId, done, p.autoReply.delay, '', env.original);
    // a postmaster's technical notice names no message and no recipient (seed 000 line 44)
    const pn = p.postmasterNotice;
    if (pn && this.roll(pn.probability)) this.followUp('postmaster', s, to, '', done, pn.delay, '');
    const truth = s.truth;
    if (s.magicFollowUp === 'arf' || (truth?.complainer && this.roll(truth.complaintProbability))) {
      c.complaints++;
      const base = s.magicFollowUp === 'arf' ? 0 : (truth?.complaintDelayMs ?? 0);
      this.followUp('arf', s, to, env.messageId, done + base, p.complaintReportDelay, '', env.original);
      const cb = p.complaintBlock;
      if (cb && c.delivered >= cb.minMessages && c.complaints / c.delivered >= cb.rate)
        c.blockedUntil = done + cb.durationMs;
    }
  }

  /** Forgets counters and greylist (e.g. between independent runs). */
  reset(): void {
    this.counters.clear();
    this.greylist.clear();
    this.greylistOld.clear();
    this.greylistRotateAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * When the greylist triplet `key` was first seen (undefined, and remembered from `t`, when it is
   * new). The table has two generations that rotate at each multiple of `retainMs` of run time; a
   * triplet found in the old one moves to the current one. So a triplet seen again less than
   * `retainMs` after its last attempt is always remembered, one not seen for `2 * retainMs` never is,
   * and the table holds the triplets of at most two periods.
   */
  private greylistFirstSeen(key: string, t: Millis, retainMs: number): Millis | undefined {
    if (t >= this.greylistRotateAt) {
      // periods are fixed multiples of retainMs; crossing two boundaries forgets both generations
      if (t >= this.greylistRotateAt + retainMs) this.greylist.clear();
      const old = this.greylistOld;
      old.clear();
      this.greylistOld = this.greylist;
      this.greylist = old;
      this.greylistRotateAt = (Math.floor(t / retainMs) + 1) * retainMs;
    }
    let first = this.greylist.get(key);
    if (first === undefined) {
      first = this.greylistOld.get(key);
      this.greylist.set(key, first ?? t);
      if (first !== undefined) this.greylistOld.delete(key);
    }
    return first;
  }

  /** Greylist triplets remembered now (both generations). */
  get greylistSize(): number {
    return this.greylist.size + this.greylistOld.size;
  }

  /**
   * Adds a window while the brain runs (serve's control API: an outage or a reply script started
   * now); it is matched after the profile's own windows. `removeWindow` takes it away again.
   */
  addWindow(w: Window): void {
    if (w.action === 'nxdomain' || w.action === 'servfail') this.dnsWindows.push(w);
    else this.windows[w.phase].push(w);
  }

  /** Removes a window `addWindow` added (or a profile's); false when it was not there. */
  removeWindow(w: Window): boolean {
    const list = w.action === 'nxdomain' || w.action === 'servfail' ? this.dnsWindows : this.windows[w.phase];
    const i = list.indexOf(w);
    if (i >= 0) list.splice(i, 1);
    return i >= 0;
  }

  /** Every window in force, the profile's and those added. */
  allWindows(): Window[] {
    return [...this.dnsWindows, ...PHASES.flatMap((ph) => this.windows[ph])];
  }

  /** Time windows, rate limits, complaint blocks and random replies for a phase. */
  private scripted(
    phase: ScriptPhase,
    s: SessionState,
    to: string,
    domain: string,
    kind: ScriptTruth | null,
    t: Millis,
    lat: number,
    out: BrainReply,
  ): boolean {
    const ws = this.windows[phase];
    for (let k = 0; k < ws.length; k++) {
      const w = ws[k]!;
      if (t < w.from || t >= w.to) continue;
      if (w.truths && (kind === null || !w.truths.includes(kind))) continue;
      if (w.domains && domain !== '' && !w.domains.includes(domain)) continue;
      if (w.probability < 1 && !this.roll(w.probability)) continue;
      if (w.action === 'refuse') out.fail('refused', lat);
      else if (w.action === 'timeout') out.fail('timeout', lat);
      else out.set(code(w.reply!), fill(w.reply!, to, domain, s.clientIp), lat);
      return true;
    }
    const rl = this.rateByPhase[phase];
    if (rl.length > 0) {
      const c = this.counter(s.clientIp, t);
      for (const r of rl) {
        if (c.count > r.perHour) {
          out.set(code(r.reply), fill(r.reply, to, domain, s.clientIp), lat);
          return true;
        }
      }
    }
    const cb = this.profile.complaintBlock;
    if (cb && cb.phase === phase) {
      const c = this.counters.get(s.clientIp);
      if (c && t < c.blockedUntil) {
        out.set(code(cb.reply), fill(cb.reply, to, domain, s.clientIp), lat);
        return true;
      }
    }
    const rs = this.randomByPhase[phase];
    for (let k = 0; k < rs.length; k++) {
      const r = rs[k]!;
      if (this.random.next() < r.probability) {
        out.set(code(r.reply), fill(r.reply, to, domain, s.clientIp), lat);
        return true;
      }
    }
    return false;
  }

  private effectiveKind(truth: RecipientTruth | null, t: Millis): ScriptTruth {
    if (truth === null) return 'stranger';
    const k = truth.kind;
    if ((k === 'mailboxFull' || k === 'disabled') && t >= truth.recoversAtMs) return 'valid';
    return k;
  }

  private counter(ip: string, t: Millis): IpCounter {
    let c = this.counters.get(ip);
    if (!c) {
      c = { hour: Math.floor(t / HOUR_MS), count: 0, delivered: 0, complaints: 0, blockedUntil: 0 };
      this.counters.set(ip, c);
    }
    return c;
  }

  /** Counts one arriving message in the client IP's current clock hour. */
  private count(ip: string, t: Millis): void {
    const c = this.counter(ip, t);
    const hour = Math.floor(t / HOUR_MS);
    if (hour !== c.hour) {
      c.hour = hour;
      c.count = 0;
    }
    c.count++;
  }

  private roll(p: number): boolean {
    return p >= 1 || (p > 0 && this.random.next() < p);
  }

  /** The reporting host for a recipient: `{domain}` becomes its domain with dots as dashes. */
  private reportingHostFor(to: string): string {
    const dashed = to
      .slice(to.lastIndexOf('@') + 1)
      .toLowerCase()
      .replaceAll('.', '-');
    return this.reportingMta.replaceAll('{domain}', dashed);
  }

  private followUp(
    kind: FollowUpKind,
    s: SessionState,
    to: string,
    messageId: string,
    t: Millis,
    delay: Delay | undefined,
    diagnostic: string,
    original?: OriginalHeaders,
    atRcpt = false,
  ): void {
    if (!this.sink) return;
    const ar = this.profile.autoReply;
    const pn = this.profile.postmasterNotice;
    const f: FollowUp = {
      kind,
      atMs: t + (delay ? sampleDelay(delay, this.random) : 0),
      isp: this.name,
      reportingMta: this.reportingPerDomain ? this.reportingHostFor(to) : this.reportingMta,
      from: s.from,
      to,
      messageId,
      sentAtMs: t,
      status: kind === 'dsn' ? enhancedOf(diagnostic) : '',
      diagnostic,
      remoteMta: s.mxHost,
      sourceIp: s.clientIp,
      subject: kind === 'autoReply' ? ar.subject : kind === 'postmaster' ? (pn?.subject ?? '') : '',
      text: kind === 'autoReply' ? ar.text : kind === 'postmaster' ? (pn?.text ?? '') : '',
      original,
      atRcpt,
    };
    this.sink.schedule(f);
  }
}

/**
 * Fills `<rcpt>`, `<domain>` and `x.x.x.x` in a reply template; the values go in through replacer
 * functions, so a local part holding `$&` or `$'` (legal atext) is written as it is.
 */
export function fill(template: string, rcpt: string, domain: string, clientIp: string): string {
  if (template.indexOf('<') < 0 && template.indexOf('x.x.x.x') < 0) return template;
  return template
    .replaceAll('<rcpt>', () => rcpt)
    .replaceAll('<domain>', () => domain)
    .replaceAll('x.x.x.x', () => clientIp);
}

/** Enhanced status code of a reply (`5.1.1`), or one derived from the basic code (`5.0.0`). */
export function enhancedOf(reply: string): string {
  const m = /^[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply);
  return m ? m[1]! : `${reply[0] === '4' ? 4 : 5}.0.0`;
}

function code(reply: string): number {
  return (reply.charCodeAt(0) - 48) * 100 + (reply.charCodeAt(1) - 48) * 10 + (reply.charCodeAt(2) - 48);
}

function byPhase<T extends { phase: ScriptPhase }>(items: readonly T[]): Record<ScriptPhase, T[]> {
  const out = {} as Record<ScriptPhase, T[]>;
  for (const ph of PHASES) out[ph] = items.filter((i) => i.phase === ph);
  return out;
}

/** `*` matches any run of characters, `?` one character; the whole name must match. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
