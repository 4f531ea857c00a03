/**
 * The shaper: "may I send on this path now, and if not, when?" for the MTA loop (SPEC §7). It wires
 * the MX rules (buckets, slices, connections, error-rate block, path unavailability, site delay) and,
 * in `enhanced` mode, adaptive shaping per (sending IP, domain): response rules, rate rules, warm-up,
 * suspensions, throttles and the positive adjustment. Pure and deterministic: every call takes the
 * time (integer ms); nothing schedules timers. The checks ({@link Shaper.nextSendAt}, {@link Shaper.route})
 * allocate nothing: ids are dense integers and the state lives in typed arrays, one table per entity.
 *
 * Ids: a *path* is (recipient domain, local IP, MX IP) (path-table.ts); a *link* is (local IP, MX IP),
 * the unit that goes down after connection errors (link-table.ts); a *bucket* is where MX-rule limits
 * hold: (local IP, rule) when the rule is shared, (local IP, MX IP, rule) otherwise (bucket-table.ts); a
 * *pair* is (local IP, domain), the unit of adaptive shaping (pair-table.ts); domains in
 * domain-table.ts, open connections in session-table.ts; IPs and domain names are interned to ids by core's StringInterner.
 */

import type { MxHost } from '../ports.ts';
import { StringInterner } from '../quarantine/interner.ts';
import { HOUR, type Qualification } from '../types.ts';
import type { AdaptiveRules } from './adaptive-rules.ts';
import { BucketTable } from './bucket-table.ts';
import { DomainTable } from './domain-table.ts';
import { LinkTable } from './link-table.ts';
import { type MxRuleSet, matchMxRule, type TlsMode } from './mx-rules.ts';
import { type PairContext, PairTable } from './pair-table.ts';
import { PathTable } from './path-table.ts';
import type { ReplyActions } from './reply-actions.ts';
import { SessionTable } from './session-table.ts';
import {
  type Suspension,
  type SuspensionKind,
  type SuspensionListener,
  SuspensionLog,
} from './suspensions.ts';
import { applyThroughputLevel, type LevelTable, type ThroughputLevel } from './throughput-levels.ts';
import type { WarmupCurves } from './warmup.ts';

const INF = Number.POSITIVE_INFINITY;

/** Options of {@link createShaper}. */
export interface ShaperOptions {
  /** `legacy`: MX rules and the error-rate block; `enhanced`: plus adaptive shaping per (IP, domain) */
  mode: 'legacy' | 'enhanced';
  mxRules: MxRuleSet;
  /** throughput level applied over the MX rules, with the level table (both or neither) */
  level?: ThroughputLevel;
  levels?: LevelTable;
  /** enhanced mode: response and rate rules (none when omitted) */
  adaptiveRules?: AdaptiveRules;
  /** enhanced mode: warm-up curves, and each local IP's days of sending before the run (default 0) */
  warmup?: WarmupCurves;
  ipAges?: Readonly<Record<string, number>>;
  /** sender identifier for MX rules with a sender range */
  senderId?: number;
  /** receives every suspension, block, throttle, path-down and delayed queue, and their cancellations */
  listener?: SuspensionListener;
}

/** Result of {@link Shaper.route}. One object per shaper, overwritten by the next call. */
export interface RouteChoice {
  /** chosen path id, or -1 when the domain has no path at all */
  pathId: number;
  /** when the path may send: `t` itself if now, later otherwise (Infinity if never) */
  at: number;
}

export type { ReplyActions };

/** Session settings of a path: messages per connection, timeouts, TLS. */
export interface SessionLimits {
  maxMessagesPerConnection: number;
  connectTimeoutMs: number;
  dataTimeoutMs: number;
  timeoutMs: number;
  tls: TlsMode;
  rule: string;
}

/** Creates a shaper. Apply a throughput level by passing `level` and `levels`. */
export function createShaper(opts: ShaperOptions): Shaper {
  return new Shaper(opts);
}

export class Shaper {
  readonly mode: 'legacy' | 'enhanced';
  /** the MX rules in force (level applied); {@link useMxRules} swaps them */
  rules: MxRuleSet;
  private readonly enhanced: boolean;
  private readonly adaptive: AdaptiveRules | null;
  private readonly log: SuspensionLog;

  private readonly ips = new StringInterner();
  private readonly mxIps = new StringInterner();
  private readonly domains: DomainTable;
  private readonly links = new LinkTable();
  private readonly buckets: BucketTable;
  private readonly paths = new PathTable();
  private readonly pairs: PairTable;
  private readonly pairCtx: PairContext;
  private readonly sessions = new SessionTable();

  private readonly routeOut: RouteChoice = { pathId: -1, at: INF };
  private readonly replyOut: ReplyActions = {
    rewriteToTransient: false,
    retryNotBefore: 0,
    heldUntil: 0,
    rule: null,
  };

  constructor(private readonly opts: ShaperOptions) {
    this.mode = opts.mode;
    this.enhanced = opts.mode === 'enhanced';
    if ((opts.level === undefined) !== (opts.levels === undefined))
      throw Object.assign(new Error('MXLAB_SHAPER: pass both `level` and `levels`, or neither'), {
        code: 'MXLAB_SHAPER',
      });
    this.rules =
      opts.level && opts.levels ? applyThroughputLevel(opts.mxRules, opts.level, opts.levels) : opts.mxRules;
    const st = this.rules.settings;
    const slice = HOUR / st.slicesPerHour;
    this.buckets = new BucketTable(slice, st.sliceRounding);
    this.domains = new DomainTable(st.errorBlock.windowMs);
    this.adaptive = this.enhanced ? (opts.adaptiveRules ?? null) : null;
    this.log = new SuspensionLog(opts.listener ?? null);
    this.pairCtx = {
      enhanced: this.enhanced,
      rules: this.rules,
      adaptive: this.adaptive,
      warmup: opts.warmup,
      ipAges: opts.ipAges,
      ipNames: this.ips.list,
      domainNames: this.domains.names.list,
      log: this.log,
    };
    this.pairs = new PairTable(this.pairCtx, slice, st.sliceRounding);
  }

  // ---------------------------------------------------------------- registration (not hot)

  /** Dense id of a recipient domain (lower-cased), created on first use. */
  domainId(domain: string): number {
    return this.domains.idOf(domain.toLowerCase());
  }

  /**
   * Registers (or replaces) the paths of a domain: every (local IP × MX IP) of its MX hosts, lowest
   * preference first. Returns the domain id. Call again after a new MX resolution.
   */
  registerSite(domain: string, mxHosts: readonly MxHost[], localIps: readonly string[]): number {
    const d = this.domainId(domain);
    const hosts = [...mxHosts].sort((a, b) => a.preference - b.preference);
    const paths: number[] = [];
    // a pair's ceiling is the rule of the domain's primary MX host, whichever path it is reached by
    const pairRule = hosts.length > 0 ? matchMxRule(this.rules, hosts[0]!.host, this.opts.senderId) : -1;
    for (const h of hosts) {
      const rule = matchMxRule(this.rules, h.host, this.opts.senderId);
      for (const mxIp of h.ips) {
        for (const ip of localIps) paths.push(this.addPath(d, ip, mxIp, rule, h.preference, pairRule));
      }
    }
    this.domains.paths[d] = Int32Array.from(paths);
    this.domains.sites[d] = { hosts: mxHosts, localIps };
    return d;
  }

  /**
   * Puts `set` in force (an MX-rule refresh, SPEC §7.1): every registered site gets its paths again
   * under the new rules. A bucket is keyed by its rule's name, mask and sender range, so a rule that
   * keeps them keeps its bucket, with its slice counter and open connections, under the new limits;
   * a new rule starts a bucket. Sessions open on the old paths finish there. The slice length and the
   * error-block window stay those the shaper was made with. Returns the number of sites.
   */
  useMxRules(set: MxRuleSet): number {
    this.rules = set;
    this.pairCtx.rules = set;
    this.pairs.rulesReplaced();
    const sites = this.domains.sites;
    let n = 0;
    for (let d = 0; d < sites.length; d++) {
      const a = sites[d];
      if (a === undefined) continue;
      this.registerSite(this.domains.names.list[d]!, a.hosts, a.localIps);
      n++;
    }
    return n;
  }

  private addPath(d: number, ip: string, mxIp: string, rule: number, pref: number, pairRule: number): number {
    const ipId = this.ips.idOf(ip);
    const mxId = this.mxIps.idOf(mxIp);
    const link = this.links.idOf(ipId, mxId);
    const r = this.rules.rules[rule]!;
    const bucket = this.buckets.idOf(ipId, mxId, r);
    const pair = this.pairs.idOf(ipId, d, pairRule);
    // a refreshed set: the pair's limits come from its new rule from now on
    this.pairs.setRule(pair, pairRule);
    return this.paths.add(d, link, bucket, pair, r, pref);
  }

  // ---------------------------------------------------------------- hot path

  /** The earliest time ≥ t at which `pathId` may send one message (Infinity: never, e.g. closed). Allocation-free. */
  nextSendAt(pathId: number, t: number): number {
    const paths = this.paths;
    let at = t;
    let x = this.domains.until[paths.domain[pathId]];
    if (x > at) at = x;
    x = this.links.downUntil[paths.link[pathId]];
    if (x > at) at = x;
    at = this.buckets.limiter.nextAt(paths.bucket[pathId], at);
    if (this.enhanced) {
      const pairs = this.pairs;
      const q = paths.pair[pathId];
      if (at >= pairs.recheckAt[q]) pairs.refresh(q, at);
      x = pairs.suspendedUntil[q];
      if (x > at) at = x;
      at = pairs.limiter.nextAt(q, at);
      at = pairs.warmLimiter.nextAt(q, at);
    }
    return at;
  }

  /**
   * Chooses a path for `domain`: among the paths of the best MX preference that has a path not down,
   * the one that may send soonest (ties rotate over local IPs); backups are used only when every better
   * path is down. Registers the site on first use. Returns a shared object overwritten by the next call.
   */
  route(domain: string, mxHosts: readonly MxHost[], localIps: readonly string[], t: number): RouteChoice {
    let d = this.domains.names.find(domain);
    if (d < 0 || this.domains.paths[d]!.length === 0) d = this.registerSite(domain, mxHosts, localIps);
    return this.routeId(d, t);
  }

  /** {@link route} for a registered domain id. Allocation-free. */
  routeId(domainId: number, t: number): RouteChoice {
    const out = this.routeOut;
    const paths = this.domains.paths[domainId]!;
    const pathLink = this.paths.link;
    const pathPref = this.paths.pref;
    const downUntil = this.links.downUntil;
    const n = paths.length;
    out.pathId = -1;
    out.at = INF;
    if (n === 0) return out;
    let g0 = -1;
    for (let i = 0; i < n; i++) {
      if (downUntil[pathLink[paths[i]]] <= t) {
        g0 = i;
        break;
      }
    }
    if (g0 === -1) {
      for (let i = 0; i < n; i++) {
        const at = this.nextSendAt(paths[i], t);
        if (at < out.at) {
          out.at = at;
          out.pathId = paths[i];
        }
      }
      return out;
    }
    const pref = pathPref[paths[g0]];
    let g1 = g0;
    while (g1 < n && pathPref[paths[g1]] === pref) g1++;
    const len = g1 - g0;
    const rr = this.domains.siteRr;
    const start = rr[domainId] % len;
    for (let k = 0; k < len; k++) {
      const p = paths[g0 + ((start + k) % len)];
      if (downUntil[pathLink[p]] > t) continue;
      const at = this.nextSendAt(p, t);
      if (at < out.at) {
        out.at = at;
        out.pathId = p;
        if (at === t) break;
      }
    }
    if (out.at === t) rr[domainId] = (rr[domainId] + 1) % 1_000_000_007;
    return out;
  }

  /**
   * Records one message sent on `pathId` at t (inside session `session` when ≥ 0). Returns false when
   * the send broke a limit (rate, or the session's messages-per-connection); it is counted anyway.
   */
  onSend(pathId: number, t: number, session = -1): boolean {
    const paths = this.paths;
    let ok = this.buckets.limiter.consume(paths.bucket[pathId], t);
    if (this.enhanced) {
      const pairs = this.pairs;
      const q = paths.pair[pathId];
      if (t >= pairs.recheckAt[q]) pairs.refresh(q, t);
      if (pairs.suspendedUntil[q] > t) ok = false;
      ok = pairs.limiter.consume(q, t) && ok;
      ok = pairs.warmLimiter.consume(q, t) && ok;
    }
    if (this.domains.until[paths.domain[pathId]] > t || this.links.downUntil[paths.link[pathId]] > t)
      ok = false;
    if (session >= 0 && !this.sessions.send(session)) ok = false;
    return ok;
  }

  // ---------------------------------------------------------------- connections

  /** t when a connection may open on `pathId` now; Infinity when all slots are taken (wait for a close). */
  nextSlotAt(pathId: number, t: number): number {
    if (!this.buckets.conns.canOpen(this.paths.bucket[pathId])) return INF;
    if (this.enhanced) {
      const pairs = this.pairs;
      const q = this.paths.pair[pathId];
      if (t >= pairs.recheckAt[q]) pairs.refresh(q, t);
      if (!pairs.conns.canOpen(q)) return INF;
    }
    return t;
  }

  /**
   * Opens a connection slot on `pathId` (bucket and, in enhanced mode, pair). Returns a session id, or
   * -1 when no slot is free or the path is down, blocked or suspended. Close it with {@link close}.
   */
  tryOpen(pathId: number, t: number): number {
    const paths = this.paths;
    if (this.domains.until[paths.domain[pathId]] > t || this.links.downUntil[paths.link[pathId]] > t)
      return -1;
    const b = paths.bucket[pathId];
    const q = paths.pair[pathId];
    const pairs = this.pairs;
    if (this.enhanced) {
      if (t >= pairs.recheckAt[q]) pairs.refresh(q, t);
      if (pairs.suspendedUntil[q] > t || !pairs.conns.canOpen(q)) return -1;
    }
    if (!this.buckets.conns.tryAcquire(b)) return -1;
    if (this.enhanced) pairs.conns.tryAcquire(q);
    return this.sessions.open(pathId, this.maxMessagesPerConnection(pathId, t));
  }

  /** Messages session `session` may still carry before it must reconnect. */
  sessionRemaining(session: number): number {
    return this.sessions.remaining(session);
  }

  /** Closes a session and frees its slots. False when it was not open. */
  close(session: number, _t: number): boolean {
    const p = this.sessions.close(session);
    if (p < 0) return false;
    this.buckets.conns.release(this.paths.bucket[p]);
    if (this.enhanced) this.pairs.conns.release(this.paths.pair[p]);
    return true;
  }

  /** Open connections on the bucket of `pathId` (and the pair's, enhanced mode). */
  openConnections(pathId: number): { bucket: number; pair: number } {
    return {
      bucket: this.buckets.conns.openCount(this.paths.bucket[pathId]),
      pair: this.enhanced ? this.pairs.conns.openCount(this.paths.pair[pathId]) : 0,
    };
  }

  private maxMessagesPerConnection(pathId: number, t: number): number {
    const mpc = this.paths.rule[pathId]!.maxMessagesPerConnection;
    if (!this.enhanced) return mpc;
    const o = this.pairs.overrideMpcAt(this.paths.pair[pathId], t);
    return o > 0 ? Math.min(o, mpc) : mpc;
  }

  /** Session settings of `pathId`: messages per connection (after adaptive overrides), timeouts, TLS. */
  sessionLimits(pathId: number, t = 0): SessionLimits {
    const r = this.paths.rule[pathId]!;
    return {
      maxMessagesPerConnection: this.maxMessagesPerConnection(pathId, t),
      connectTimeoutMs: r.connectTimeoutMs,
      dataTimeoutMs: r.dataTimeoutMs,
      timeoutMs: r.timeoutMs,
      tls: r.tls,
      rule: r.name,
    };
  }

  // ---------------------------------------------------------------- outcomes

  /**
   * Feeds one reply. `qualification` null (or impact `ok`) means delivered. Legacy: counts toward the
   * domain's error-rate block. Enhanced: response rules, rate rules, positive adjustment. Returns a
   * shared object overwritten by the next call.
   */
  onReply(pathId: number, replyText: string, qualification: Qualification | null, t: number): ReplyActions {
    const out = this.replyOut;
    out.rewriteToTransient = false;
    out.retryNotBefore = 0;
    out.heldUntil = 0;
    out.rule = null;
    const d = this.paths.domain[pathId];
    const domains = this.domains;
    this.links.err[this.paths.link[pathId]] = 0;
    domains.siteErr[d] = 0;
    if (!this.enhanced) {
      const failed = qualification !== null && qualification.impact !== 'ok';
      const eb = this.rules.settings.errorBlock;
      const counter = domains.errCounter;
      counter.inc(d, 0, t);
      if (failed) counter.inc(d, 1, t);
      const total = counter.sum(d, 0, t);
      if (total >= eb.minMessages && counter.sum(d, 1, t) >= eb.errorRate * total) {
        const until = t + eb.durationMs;
        const rate = counter.sum(d, 1, t) / total;
        counter.reset(d);
        if (until > domains.until[d]) domains.until[d] = until;
        out.heldUntil = until;
        out.rule = 'errorBlock';
        this.log.add(
          {
            kind: 'block',
            domain: domains.names.list[d]!,
            localIp: null,
            mxIp: null,
            startMs: t,
            endMs: until,
            rule: 'errorBlock',
            text: `error rate ${(rate * 100).toFixed(1)}% over ${total} messages`,
          },
          { domainId: d, pairId: -1, linkId: -1 },
        );
      }
      return out;
    }
    if (!this.adaptive) return out;
    this.pairs.onReply(this.paths.pair[pathId], replyText, qualification, t, out);
    return out;
  }

  /** Records a feedback-loop complaint for (local IP, domain) at t (enhanced mode: complaint-rate rules). */
  onComplaint(localIp: string, domain: string, t: number): void {
    const ipId = this.ips.find(localIp);
    const d = this.domains.names.find(domain.toLowerCase());
    if (ipId < 0 || d < 0 || !this.adaptive) return;
    const q = this.pairs.find(ipId, d);
    if (q === undefined) return;
    this.replyOut.rule = null;
    this.pairs.onComplaint(q, t, this.replyOut);
  }

  /**
   * Records a connection error on `pathId` at t. After `pathDown.afterErrors` consecutive errors the
   * link (local IP, MX IP) is down for `pathDown.duration`; after `siteDelay.afterErrors` consecutive
   * errors over all the domain's paths the domain's whole queue waits `siteDelay.duration`. Returns
   * the time the path is usable again (t when it is not down).
   */
  onConnectionError(pathId: number, t: number): number {
    const st = this.rules.settings;
    const links = this.links;
    const domains = this.domains;
    const l = this.paths.link[pathId];
    const d = this.paths.domain[pathId];
    if (++links.err[l] >= st.pathDown.afterErrors) {
      links.err[l] = 0;
      const until = t + st.pathDown.durationMs;
      if (until > links.downUntil[l]) links.downUntil[l] = until;
      this.log.add(
        {
          kind: 'pathDown',
          domain: domains.names.list[d]!,
          localIp: this.ips.list[links.ip[l]]!,
          mxIp: this.mxIps.list[links.mx[l]]!,
          startMs: t,
          endMs: until,
          rule: 'pathDown',
          text: `${st.pathDown.afterErrors} consecutive connection errors`,
        },
        { domainId: d, pairId: -1, linkId: l },
      );
    }
    if (++domains.siteErr[d] >= st.siteDelay.afterErrors) {
      domains.siteErr[d] = 0;
      const until = t + st.siteDelay.durationMs;
      if (until > domains.until[d]) domains.until[d] = until;
      this.log.add(
        {
          kind: 'delayQueue',
          domain: domains.names.list[d]!,
          localIp: null,
          mxIp: null,
          startMs: t,
          endMs: until,
          rule: 'siteDelay',
          text: `${st.siteDelay.afterErrors} consecutive connection errors to every MX`,
        },
        { domainId: d, pairId: -1, linkId: -1 },
      );
    }
    return Math.max(t, links.downUntil[l]);
  }

  // ---------------------------------------------------------------- state queries

  /** Until when the whole domain is blocked (error-rate block or delayed queue); 0 when it is not at t. */
  isBlocked(domain: number | string, t: number): number {
    const d = typeof domain === 'number' ? domain : this.domains.names.find(domain.toLowerCase());
    if (d < 0) return 0;
    const until = this.domains.until;
    return until[d] > t ? until[d] : 0;
  }

  /**
   * Legacy error-rate block (SPEC §7.1): the fewest further replies from `domainId` at t that could
   * trip the block, were they all errors (at least 1); Infinity when no run of replies can (enhanced
   * mode has no error-rate block). The MTA keeps the messages whose replies it does not know yet
   * within this, so the reply that trips the block is the last one sent before it. Allocation-free.
   */
  errorBlockRoom(domainId: number, t: number): number {
    if (this.enhanced) return INF;
    const eb = this.rules.settings.errorBlock;
    const total = this.domains.errCounter.sum(domainId, 0, t);
    const errors = this.domains.errCounter.sum(domainId, 1, t);
    const rate = eb.errorRate;
    // after j more error replies: total + j >= minMessages and errors + j >= rate * (total + j), the
    // test onReply makes; errors + j - rate * (total + j) grows with j (rate <= 1)
    let j = Math.max(1, eb.minMessages - total);
    if (rate >= 1) return errors + j >= rate * (total + j) ? j : INF;
    j = Math.max(j, Math.ceil((rate * total - errors) / (1 - rate)));
    // the same floating-point test as onReply decides, not the rounded formula
    while (j > 1 && total + j - 1 >= eb.minMessages && errors + j - 1 >= rate * (total + j - 1)) j--;
    while (errors + j < rate * (total + j)) j++;
    return j;
  }

  /**
   * Until when the whole domain is held at t: by an error-rate block, or because every one of its paths'
   * (local IP, domain) pairs is suspended; 0 when some path may still send. Allocation-free.
   */
  heldUntil(domainId: number, t: number): number {
    const until = this.domains.until;
    const block = until[domainId] > t ? until[domainId] : 0;
    if (!this.enhanced) return block;
    const paths = this.domains.paths[domainId]!;
    const pathPair = this.paths.pair;
    const suspended = this.pairs.suspendedUntil;
    let free = paths.length === 0 ? 0 : INF;
    for (let i = 0; i < paths.length && free > 0; i++) {
      const x = suspended[pathPair[paths[i]]];
      free = x > t ? Math.min(free, x) : 0;
    }
    return Math.max(block, free);
  }

  /** Until when the (local IP, domain) pair of `pathId` is suspended; 0 when it is not at t. */
  suspendedUntil(pathId: number, t: number): number {
    const x = this.pairs.suspendedUntil[this.paths.pair[pathId]];
    return x > t ? x : 0;
  }

  /** Current hourly rate of the pair of `pathId` (enhanced; after throttles, overrides and warm-up). */
  pairRate(pathId: number, t: number): { count: number; periodMs: number } {
    const pairs = this.pairs;
    const q = this.paths.pair[pathId];
    if (t >= pairs.recheckAt[q]) pairs.refresh(q, t);
    if (pairs.overrideUntil[q] > t && pairs.overrideCount[q] > 0)
      return { count: pairs.overrideCount[q], periodMs: pairs.overridePeriod[q] };
    return { count: pairs.hourly(q), periodMs: HOUR };
  }

  /** Max connections of the pair of `pathId` now (enhanced). */
  pairMaxConnections(pathId: number, t: number): number {
    const pairs = this.pairs;
    const q = this.paths.pair[pathId];
    if (t >= pairs.recheckAt[q]) pairs.refresh(q, t);
    return pairs.conns.maxOf(q);
  }

  /** Names behind a path id. */
  describePath(pathId: number): { domain: string; localIp: string; mxIp: string; rule: string } {
    const l = this.paths.link[pathId];
    return {
      domain: this.domains.names.list[this.paths.domain[pathId]]!,
      localIp: this.ips.list[this.links.ip[l]]!,
      mxIp: this.mxIps.list[this.links.mx[l]]!,
      rule: this.paths.rule[pathId]!.name,
    };
  }

  /** Path ids of a domain, best preference first. */
  pathsOf(domain: string): readonly number[] {
    const d = this.domains.names.find(domain.toLowerCase());
    return d < 0 ? [] : Array.from(this.domains.paths[d]!);
  }

  /** Shaping decisions in force at t, or all of them when t is omitted. */
  suspensions(t?: number): Suspension[] {
    return this.log.list(t);
  }

  /**
   * An operator suspends a domain from `t` to `until` (every path of it; a `block` with the given rule
   * name). Returns the suspension's id.
   */
  holdDomain(domain: string, t: number, until: number, rule: string, text: string | null): number {
    const d = this.domainId(domain);
    const held = this.domains.until;
    if (until > held[d]) held[d] = until;
    return this.log.add(
      {
        kind: 'block',
        domain: this.domains.names.list[d]!,
        localIp: null,
        mxIp: null,
        startMs: t,
        endMs: until,
        rule,
        text,
      },
      { domainId: d, pairId: -1, linkId: -1 },
    ).id;
  }

  /** Cancels a decision at t (default: its start, i.e. as if it never held). False when unknown or over. */
  cancelSuspension(id: number, t?: number): boolean {
    const rec = this.log.get(id);
    if (!rec) return false;
    const at = t ?? rec.startMs;
    const s = this.log.cancel(id, at);
    if (!s) return false;
    const k = this.log.keysOf(id)!;
    switch (s.kind) {
      case 'suspend':
        this.pairs.suspendedUntil[k.pairId] = this.log.latestEnd(
          at,
          (o, ok) => o.kind === 'suspend' && ok.pairId === k.pairId,
        );
        break;
      case 'block':
      case 'delayQueue':
        this.domains.until[k.domainId] = this.log.latestEnd(
          at,
          (o, ok) => (o.kind === 'block' || o.kind === 'delayQueue') && ok.domainId === k.domainId,
        );
        break;
      case 'pathDown':
        this.links.downUntil[k.linkId] = this.log.latestEnd(
          at,
          (o, ok) => o.kind === 'pathDown' && ok.linkId === k.linkId,
        );
        break;
      case 'throttle':
        this.pairs.clearThrottle(k.pairId, at);
        break;
    }
    return true;
  }
}

export type { SuspensionKind };
