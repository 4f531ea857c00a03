/**
 * The shaper: "may I send on this path now, and if not, when?" for the MTA loop (SPEC §7). It wires
 * the MX rules (buckets, slices, connections, error-rate block, path unavailability, site delay) and,
 * in `enhanced` mode, adaptive shaping per (sending IP, domain): response rules, rate rules, warm-up,
 * suspensions, throttles and the positive adjustment. Pure and deterministic: every call takes the
 * time (integer ms); nothing schedules timers. The checks ({@link Shaper.nextSendAt}, {@link Shaper.route})
 * allocate nothing: ids are dense integers and the state lives in typed arrays.
 *
 * Ids: a *path* is (recipient domain, local IP, MX IP); a *link* is (local IP, MX IP), the unit that
 * goes down after connection errors; a *bucket* is where MX-rule limits hold: (local IP, rule) when the
 * rule is shared, (local IP, MX IP) otherwise; a *pair* is (local IP, domain), the unit of adaptive shaping.
 */

import { growF64, growI32 } from '../grow.ts';
import type { MxHost } from '../ports.ts';
import { DAY, HOUR, type Qualification } from '../types.ts';
import { type AdaptiveRules, METRICS, type Metric, type ShapingAction } from './adaptive-rules.ts';
import { ConnectionPool } from './connection-pool.ts';
import { type MxRule, type MxRuleSet, matchMxRule, type TlsMode } from './mx-rules.ts';
import { RollingCounter } from './rolling-counter.ts';
import { SliceLimiter } from './slice-limiter.ts';
import {
  type Suspension,
  type SuspensionKind,
  type SuspensionListener,
  SuspensionLog,
} from './suspensions.ts';
import { applyThroughputLevel, type LevelTable, type ThroughputLevel } from './throughput-levels.ts';
import { findWarmupCurve, ipDay, type WarmupCurves, warmupRate } from './warmup.ts';

const INF = Number.POSITIVE_INFINITY;
const M_ATTEMPTS = METRICS.indexOf('attempts');
const M_REJECTIONS = METRICS.indexOf('rejections');
const M_HARD = METRICS.indexOf('hardOrTimeout');
const M_DELIVERIES = METRICS.indexOf('deliveries');
const M_COMPLAINTS = METRICS.indexOf('complaints');
const TIMEOUT_RE = /timed? ?out/i;

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

/** Result of {@link Shaper.onReply}. One object per shaper, overwritten by the next call. */
export interface ReplyActions {
  /** a rule said: treat this permanent reply as transient (retry, no address impact) */
  rewriteToTransient: boolean;
  /** greylisting: do not retry before this time (0 = the retry policy decides) */
  retryNotBefore: number;
  /** the pair or domain is held until this time because of this reply (0 = not held) */
  heldUntil: number;
  /** the rule that fired on this reply, or null */
  rule: string | null;
}

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

  private readonly ipIds = new Map<string, number>();
  private readonly ipNames: string[] = [];
  private readonly mxIpIds = new Map<string, number>();
  private readonly mxIpNames: string[] = [];
  private readonly domainIds = new Map<string, number>();
  private readonly domainNames: string[] = [];
  private readonly linkIds = new Map<string, number>();
  private readonly bucketIds = new Map<string, number>();
  private readonly pairIds = new Map<string, number>();

  // domains
  private domainUntil = new Float64Array(16);
  private siteErr = new Int32Array(16);
  private siteRr = new Int32Array(16);
  private readonly sitePaths: Int32Array[] = [];
  /** what each site was registered with, to register it again under new MX rules */
  private readonly siteArgs: { hosts: readonly MxHost[]; localIps: readonly string[] }[] = [];
  private readonly errCounter: RollingCounter;
  // links
  private linkErr = new Int32Array(16);
  private linkDownUntil = new Float64Array(16);
  private linkIp = new Int32Array(16);
  private linkMx = new Int32Array(16);
  private nLinks = 0;
  // buckets
  private readonly bucketLimiter: SliceLimiter;
  private readonly bucketConns = new ConnectionPool();
  /** the rule each bucket's limits come from */
  private readonly bucketRule: MxRule[] = [];
  // paths
  private pathDomain = new Int32Array(16);
  private pathLink = new Int32Array(16);
  private pathBucket = new Int32Array(16);
  private pathPair = new Int32Array(16);
  /** the rule of each path, from the set in force when it was made (a refresh makes new paths) */
  private readonly pathRule: MxRule[] = [];
  private pathPref = new Float64Array(16);
  private nPaths = 0;
  // pairs (enhanced)
  private readonly pairLimiter: SliceLimiter;
  private readonly warmLimiter: SliceLimiter;
  private readonly pairConns = new ConnectionPool();
  private pairIp = new Int32Array(16);
  private pairDomain = new Int32Array(16);
  private pairRule = new Int32Array(16);
  private pairCurve = new Int32Array(16);
  private pairSuspendedUntil = new Float64Array(16);
  private pairRecheckAt = new Float64Array(16);
  private pairFactor = new Float64Array(16);
  private pairConnFactor = new Float64Array(16);
  private pairWarmHourly = new Float64Array(16);
  private pairOverrideUntil = new Float64Array(16);
  private pairOverrideCount = new Float64Array(16);
  private pairOverridePeriod = new Float64Array(16);
  private pairOverrideConns = new Int32Array(16);
  private pairOverrideMpc = new Int32Array(16);
  private pairLastAdjust = new Float64Array(16);
  private pairLastNegative = new Float64Array(16);
  private trigStart = new Float64Array(0);
  private trigCount = new Int32Array(0);
  private rateFired = new Float64Array(0);
  private readonly rateCounters: RollingCounter[] = [];
  private readonly rateCounterOf: number[] = [];
  private nPairs = 0;
  // sessions
  private sessPath = new Int32Array(16);
  private sessSent = new Int32Array(16);
  private sessBudget = new Int32Array(16);
  private sessAlive = new Uint8Array(16);
  private sessFree = new Int32Array(16);
  private nFree = 0;
  private nSess = 0;

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
    this.bucketLimiter = new SliceLimiter(slice, st.sliceRounding);
    this.pairLimiter = new SliceLimiter(slice, st.sliceRounding);
    this.warmLimiter = new SliceLimiter(slice, st.sliceRounding);
    this.errCounter = new RollingCounter(2, st.errorBlock.windowMs, 12);
    this.adaptive = this.enhanced ? (opts.adaptiveRules ?? null) : null;
    this.log = new SuspensionLog(opts.listener ?? null);
    if (this.adaptive) {
      const windows: number[] = [];
      for (const r of this.adaptive.rateRules) {
        let w = windows.indexOf(r.windowMs);
        if (w === -1) {
          w = windows.push(r.windowMs) - 1;
          this.rateCounters.push(new RollingCounter(METRICS.length, r.windowMs, 12));
        }
        this.rateCounterOf.push(w);
      }
    }
  }

  // ---------------------------------------------------------------- registration (not hot)

  /** Dense id of a recipient domain (lower-cased), created on first use. */
  domainId(domain: string): number {
    const name = domain.toLowerCase();
    let d = this.domainIds.get(name);
    if (d === undefined) {
      d = this.domainNames.push(name) - 1;
      this.domainIds.set(name, d);
      this.domainUntil = growF64(this.domainUntil, d + 1);
      this.siteErr = growI32(this.siteErr, d + 1);
      this.siteRr = growI32(this.siteRr, d + 1);
      this.sitePaths.push(new Int32Array(0));
      this.errCounter.add();
    }
    return d;
  }

  private intern(map: Map<string, number>, names: string[], key: string): number {
    let id = map.get(key);
    if (id === undefined) {
      id = names.push(key) - 1;
      map.set(key, id);
    }
    return id;
  }

  /**
   * Registers (or replaces) the paths of a domain: every (local IP × MX IP) of its MX hosts, lowest
   * preference first. Returns the domain id. Call again after a new MX resolution.
   */
  registerSite(domain: string, mxHosts: readonly MxHost[], localIps: readonly string[]): number {
    const d = this.domainId(domain);
    const hosts = [...mxHosts].sort((a, b) => a.preference - b.preference);
    const paths: number[] = [];
    for (const h of hosts) {
      const rule = matchMxRule(this.rules, h.host, this.opts.senderId);
      for (const mxIp of h.ips) {
        for (const ip of localIps) paths.push(this.addPath(d, ip, mxIp, rule, h.preference, hosts[0]!.host));
      }
    }
    this.sitePaths[d] = Int32Array.from(paths);
    this.siteArgs[d] = { hosts: mxHosts, localIps };
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
    let n = 0;
    for (let d = 0; d < this.siteArgs.length; d++) {
      const a = this.siteArgs[d];
      if (a === undefined) continue;
      this.registerSite(this.domainNames[d]!, a.hosts, a.localIps);
      n++;
    }
    return n;
  }

  private addPath(
    d: number,
    ip: string,
    mxIp: string,
    rule: number,
    pref: number,
    primaryHost: string,
  ): number {
    const ipId = this.intern(this.ipIds, this.ipNames, ip);
    const mxId = this.intern(this.mxIpIds, this.mxIpNames, mxIp);
    const link = this.linkId(ipId, mxId);
    const r = this.rules.rules[rule]!;
    // the rule by what it covers (one rule set: as its index, first match wins), so a refreshed set keeps the bucket
    const rKey = `${r.name}|${r.mask}|${r.senderIds ? `${r.senderIds.from}-${r.senderIds.to}` : ''}`;
    const bKey = r.shared ? `${ipId}|r${rKey}` : `${ipId}|m${mxId}|r${rKey}`;
    let bucket = this.bucketIds.get(bKey);
    if (bucket === undefined) {
      bucket = this.bucketLimiter.add();
      this.bucketConns.add(r.maxConnections);
      if (r.messagesPerHour > 0) this.bucketLimiter.setRate(bucket, r.messagesPerHour, HOUR);
      this.bucketIds.set(bKey, bucket);
      this.bucketRule[bucket] = r;
    } else if (this.bucketRule[bucket] !== r) {
      // the same rule from a refreshed set: its new limits, the slice's counter kept
      const old = this.bucketRule[bucket]!;
      this.bucketRule[bucket] = r;
      if (r.maxConnections !== old.maxConnections) this.bucketConns.setMax(bucket, r.maxConnections);
      if (r.messagesPerHour !== old.messagesPerHour) {
        if (r.messagesPerHour > 0) this.bucketLimiter.setRate(bucket, r.messagesPerHour, HOUR);
        else this.bucketLimiter.setUnlimited(bucket);
      }
    }
    const pairRule = matchMxRule(this.rules, primaryHost, this.opts.senderId);
    const pair = this.pairId(ipId, d, pairRule);
    if (this.pairRule[pair] !== pairRule) {
      // a refreshed set: the pair's limits come from its new rule from now on
      this.pairRule[pair] = pairRule;
      this.pairRecheckAt[pair] = 0;
    }
    const p = this.nPaths++;
    const n = p + 1;
    this.pathDomain = growI32(this.pathDomain, n);
    this.pathLink = growI32(this.pathLink, n);
    this.pathBucket = growI32(this.pathBucket, n);
    this.pathPair = growI32(this.pathPair, n);
    this.pathPref = growF64(this.pathPref, n);
    this.pathDomain[p] = d;
    this.pathLink[p] = link;
    this.pathBucket[p] = bucket;
    this.pathPair[p] = pair;
    this.pathRule[p] = r;
    this.pathPref[p] = pref;
    return p;
  }

  private linkId(ipId: number, mxId: number): number {
    const key = `${ipId}|${mxId}`;
    let l = this.linkIds.get(key);
    if (l === undefined) {
      l = this.nLinks++;
      this.linkErr = growI32(this.linkErr, l + 1);
      this.linkDownUntil = growF64(this.linkDownUntil, l + 1);
      this.linkIp = growI32(this.linkIp, l + 1);
      this.linkMx = growI32(this.linkMx, l + 1);
      this.linkIp[l] = ipId;
      this.linkMx[l] = mxId;
      this.linkIds.set(key, l);
    }
    return l;
  }

  private pairId(ipId: number, d: number, rule: number): number {
    const key = `${ipId}|${d}`;
    const known = this.pairIds.get(key);
    if (known !== undefined) return known;
    const q = this.nPairs++;
    const n = q + 1;
    this.pairIds.set(key, q);
    this.pairLimiter.add();
    this.warmLimiter.add();
    this.pairConns.add(1);
    this.pairIp = growI32(this.pairIp, n);
    this.pairDomain = growI32(this.pairDomain, n);
    this.pairRule = growI32(this.pairRule, n);
    this.pairCurve = growI32(this.pairCurve, n, -1);
    this.pairSuspendedUntil = growF64(this.pairSuspendedUntil, n);
    this.pairRecheckAt = growF64(this.pairRecheckAt, n);
    this.pairFactor = growF64(this.pairFactor, n, 1);
    this.pairConnFactor = growF64(this.pairConnFactor, n, 1);
    this.pairWarmHourly = growF64(this.pairWarmHourly, n, INF);
    this.pairOverrideUntil = growF64(this.pairOverrideUntil, n);
    this.pairOverrideCount = growF64(this.pairOverrideCount, n);
    this.pairOverridePeriod = growF64(this.pairOverridePeriod, n);
    this.pairOverrideConns = growI32(this.pairOverrideConns, n);
    this.pairOverrideMpc = growI32(this.pairOverrideMpc, n);
    this.pairLastAdjust = growF64(this.pairLastAdjust, n);
    this.pairLastNegative = growF64(this.pairLastNegative, n);
    this.pairIp[q] = ipId;
    this.pairDomain[q] = d;
    this.pairRule[q] = rule;
    this.pairFactor[q] = 1;
    this.pairConnFactor[q] = 1;
    this.pairWarmHourly[q] = INF;
    this.pairCurve[q] = this.opts.warmup ? findWarmupCurve(this.opts.warmup, this.domainNames[d]!) : -1;
    const nr = this.adaptive?.responseRules.length ?? 0;
    this.trigStart = growF64(this.trigStart, n * nr);
    this.trigCount = growI32(this.trigCount, n * nr);
    const nrr = this.adaptive?.rateRules.length ?? 0;
    this.rateFired = growF64(this.rateFired, n * nrr, Number.NEGATIVE_INFINITY);
    for (const c of this.rateCounters) c.add();
    this.refreshPair(q, 0);
    return q;
  }

  // ---------------------------------------------------------------- hot path

  /** The earliest time ≥ t at which `pathId` may send one message (Infinity: never, e.g. closed). Allocation-free. */
  nextSendAt(pathId: number, t: number): number {
    let at = t;
    let x = this.domainUntil[this.pathDomain[pathId]];
    if (x > at) at = x;
    x = this.linkDownUntil[this.pathLink[pathId]];
    if (x > at) at = x;
    at = this.bucketLimiter.nextAt(this.pathBucket[pathId], at);
    if (this.enhanced) {
      const q = this.pathPair[pathId];
      if (at >= this.pairRecheckAt[q]) this.refreshPair(q, at);
      x = this.pairSuspendedUntil[q];
      if (x > at) at = x;
      at = this.pairLimiter.nextAt(q, at);
      at = this.warmLimiter.nextAt(q, at);
    }
    return at;
  }

  /**
   * Chooses a path for `domain`: among the paths of the best MX preference that has a path not down,
   * the one that may send soonest (ties rotate over local IPs); backups are used only when every better
   * path is down. Registers the site on first use. Returns a shared object overwritten by the next call.
   */
  route(domain: string, mxHosts: readonly MxHost[], localIps: readonly string[], t: number): RouteChoice {
    let d = this.domainIds.get(domain);
    if (d === undefined || this.sitePaths[d]!.length === 0) d = this.registerSite(domain, mxHosts, localIps);
    return this.routeId(d, t);
  }

  /** {@link route} for a registered domain id. Allocation-free. */
  routeId(domainId: number, t: number): RouteChoice {
    const out = this.routeOut;
    const paths = this.sitePaths[domainId]!;
    const n = paths.length;
    out.pathId = -1;
    out.at = INF;
    if (n === 0) return out;
    let g0 = -1;
    for (let i = 0; i < n; i++) {
      if (this.linkDownUntil[this.pathLink[paths[i]]] <= t) {
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
    const pref = this.pathPref[paths[g0]];
    let g1 = g0;
    while (g1 < n && this.pathPref[paths[g1]] === pref) g1++;
    const len = g1 - g0;
    const start = this.siteRr[domainId] % len;
    for (let k = 0; k < len; k++) {
      const p = paths[g0 + ((start + k) % len)];
      if (this.linkDownUntil[this.pathLink[p]] > t) continue;
      const at = this.nextSendAt(p, t);
      if (at < out.at) {
        out.at = at;
        out.pathId = p;
        if (at === t) break;
      }
    }
    if (out.at === t) this.siteRr[domainId] = (this.siteRr[domainId] + 1) % 1_000_000_007;
    return out;
  }

  /**
   * Records one message sent on `pathId` at t (inside session `session` when ≥ 0). Returns false when
   * the send broke a limit (rate, or the session's messages-per-connection); it is counted anyway.
   */
  onSend(pathId: number, t: number, session = -1): boolean {
    let ok = this.bucketLimiter.consume(this.pathBucket[pathId], t);
    if (this.enhanced) {
      const q = this.pathPair[pathId];
      if (t >= this.pairRecheckAt[q]) this.refreshPair(q, t);
      if (this.pairSuspendedUntil[q] > t) ok = false;
      ok = this.pairLimiter.consume(q, t) && ok;
      ok = this.warmLimiter.consume(q, t) && ok;
    }
    if (this.domainUntil[this.pathDomain[pathId]] > t || this.linkDownUntil[this.pathLink[pathId]] > t)
      ok = false;
    if (session >= 0) {
      if (!this.sessAlive[session] || this.sessSent[session] >= this.sessBudget[session]) ok = false;
      this.sessSent[session]++;
    }
    return ok;
  }

  // ---------------------------------------------------------------- connections

  /** t when a connection may open on `pathId` now; Infinity when all slots are taken (wait for a close). */
  nextSlotAt(pathId: number, t: number): number {
    if (!this.bucketConns.canOpen(this.pathBucket[pathId])) return INF;
    if (this.enhanced) {
      const q = this.pathPair[pathId];
      if (t >= this.pairRecheckAt[q]) this.refreshPair(q, t);
      if (!this.pairConns.canOpen(q)) return INF;
    }
    return t;
  }

  /**
   * Opens a connection slot on `pathId` (bucket and, in enhanced mode, pair). Returns a session id, or
   * -1 when no slot is free or the path is down, blocked or suspended. Close it with {@link close}.
   */
  tryOpen(pathId: number, t: number): number {
    if (this.domainUntil[this.pathDomain[pathId]] > t || this.linkDownUntil[this.pathLink[pathId]] > t)
      return -1;
    const b = this.pathBucket[pathId];
    const q = this.pathPair[pathId];
    if (this.enhanced) {
      if (t >= this.pairRecheckAt[q]) this.refreshPair(q, t);
      if (this.pairSuspendedUntil[q] > t || !this.pairConns.canOpen(q)) return -1;
    }
    if (!this.bucketConns.tryAcquire(b)) return -1;
    if (this.enhanced) this.pairConns.tryAcquire(q);
    let s: number;
    if (this.nFree > 0) s = this.sessFree[--this.nFree];
    else {
      s = this.nSess++;
      const n = s + 1;
      this.sessPath = growI32(this.sessPath, n);
      this.sessSent = growI32(this.sessSent, n);
      this.sessBudget = growI32(this.sessBudget, n);
      if (n > this.sessAlive.length) {
        const a = new Uint8Array(this.sessAlive.length * 2);
        a.set(this.sessAlive);
        this.sessAlive = a;
      }
    }
    this.sessPath[s] = pathId;
    this.sessSent[s] = 0;
    this.sessBudget[s] = this.maxMessagesPerConnection(pathId, t);
    this.sessAlive[s] = 1;
    return s;
  }

  /** Messages session `session` may still carry before it must reconnect. */
  sessionRemaining(session: number): number {
    return this.sessAlive[session] ? Math.max(0, this.sessBudget[session] - this.sessSent[session]) : 0;
  }

  /** Closes a session and frees its slots. False when it was not open. */
  close(session: number, _t: number): boolean {
    if (session < 0 || session >= this.nSess || !this.sessAlive[session]) return false;
    this.sessAlive[session] = 0;
    const p = this.sessPath[session];
    this.bucketConns.release(this.pathBucket[p]);
    if (this.enhanced) this.pairConns.release(this.pathPair[p]);
    if (this.nFree >= this.sessFree.length) this.sessFree = growI32(this.sessFree, this.nFree + 1);
    this.sessFree[this.nFree++] = session;
    return true;
  }

  /** Open connections on the bucket of `pathId` (and the pair's, enhanced mode). */
  openConnections(pathId: number): { bucket: number; pair: number } {
    return {
      bucket: this.bucketConns.openCount(this.pathBucket[pathId]),
      pair: this.enhanced ? this.pairConns.openCount(this.pathPair[pathId]) : 0,
    };
  }

  private maxMessagesPerConnection(pathId: number, t: number): number {
    const mpc = this.pathRule[pathId]!.maxMessagesPerConnection;
    if (!this.enhanced) return mpc;
    const q = this.pathPair[pathId];
    const o = this.pairOverrideUntil[q] > t ? this.pairOverrideMpc[q] : 0;
    return o > 0 ? Math.min(o, mpc) : mpc;
  }

  /** Session settings of `pathId`: messages per connection (after adaptive overrides), timeouts, TLS. */
  sessionLimits(pathId: number, t = 0): SessionLimits {
    const r = this.pathRule[pathId]!;
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
    const d = this.pathDomain[pathId];
    this.linkErr[this.pathLink[pathId]] = 0;
    this.siteErr[d] = 0;
    const failed = qualification !== null && qualification.impact !== 'ok';
    if (!this.enhanced) {
      const eb = this.rules.settings.errorBlock;
      this.errCounter.inc(d, 0, t);
      if (failed) this.errCounter.inc(d, 1, t);
      const total = this.errCounter.sum(d, 0, t);
      if (total >= eb.minMessages && this.errCounter.sum(d, 1, t) >= eb.errorRate * total) {
        const until = t + eb.durationMs;
        const rate = this.errCounter.sum(d, 1, t) / total;
        this.errCounter.reset(d);
        if (until > this.domainUntil[d]) this.domainUntil[d] = until;
        out.heldUntil = until;
        out.rule = 'errorBlock';
        this.log.add(
          {
            kind: 'block',
            domain: this.domainNames[d]!,
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
    const a = this.adaptive;
    if (!a) return out;
    const q = this.pathPair[pathId];
    const hard =
      failed &&
      (qualification.type === 'hard' || qualification.bounceClass === 24 || TIMEOUT_RE.test(replyText));
    for (const c of this.rateCounters) {
      c.inc(q, M_ATTEMPTS, t);
      if (failed) c.inc(q, M_REJECTIONS, t);
      else c.inc(q, M_DELIVERIES, t);
      if (hard) c.inc(q, M_HARD, t);
    }
    if (failed && replyText) {
      const rules = a.responseRules;
      const domain = this.domainNames[d]!;
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i]!;
        if (r.domains && !r.domains.some((re) => re.test(domain))) continue;
        if (!r.regex.test(replyText)) continue;
        const k = q * rules.length + i;
        if (this.trigCount[k] === 0 || t - this.trigStart[k] > r.withinMs) {
          this.trigStart[k] = t;
          this.trigCount[k] = 0;
        }
        this.trigCount[k]++;
        if (this.trigCount[k] >= r.count) {
          this.trigCount[k] = 0;
          this.apply(q, r.action, r.name, replyText, t, out);
        } else if (r.action.rewriteToTransient) {
          out.rewriteToTransient = true;
        }
        break;
      }
    }
    this.checkRateRules(q, t, out);
    this.positiveAdjust(q, t);
    return out;
  }

  /** Records a feedback-loop complaint for (local IP, domain) at t (enhanced mode: complaint-rate rules). */
  onComplaint(localIp: string, domain: string, t: number): void {
    const ipId = this.ipIds.get(localIp);
    const d = this.domainIds.get(domain.toLowerCase());
    if (ipId === undefined || d === undefined || !this.adaptive) return;
    const q = this.pairIds.get(`${ipId}|${d}`);
    if (q === undefined) return;
    for (const c of this.rateCounters) c.inc(q, M_COMPLAINTS, t);
    this.replyOut.rule = null;
    this.checkRateRules(q, t, this.replyOut);
  }

  /**
   * Records a connection error on `pathId` at t. After `pathDown.afterErrors` consecutive errors the
   * link (local IP, MX IP) is down for `pathDown.duration`; after `siteDelay.afterErrors` consecutive
   * errors over all the domain's paths the domain's whole queue waits `siteDelay.duration`. Returns
   * the time the path is usable again (t when it is not down).
   */
  onConnectionError(pathId: number, t: number): number {
    const st = this.rules.settings;
    const l = this.pathLink[pathId];
    const d = this.pathDomain[pathId];
    if (++this.linkErr[l] >= st.pathDown.afterErrors) {
      this.linkErr[l] = 0;
      const until = t + st.pathDown.durationMs;
      if (until > this.linkDownUntil[l]) this.linkDownUntil[l] = until;
      this.log.add(
        {
          kind: 'pathDown',
          domain: this.domainNames[d]!,
          localIp: this.ipNames[this.linkIp[l]]!,
          mxIp: this.mxIpNames[this.linkMx[l]]!,
          startMs: t,
          endMs: until,
          rule: 'pathDown',
          text: `${st.pathDown.afterErrors} consecutive connection errors`,
        },
        { domainId: d, pairId: -1, linkId: l },
      );
    }
    if (++this.siteErr[d] >= st.siteDelay.afterErrors) {
      this.siteErr[d] = 0;
      const until = t + st.siteDelay.durationMs;
      if (until > this.domainUntil[d]) this.domainUntil[d] = until;
      this.log.add(
        {
          kind: 'delayQueue',
          domain: this.domainNames[d]!,
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
    return Math.max(t, this.linkDownUntil[l]);
  }

  // ---------------------------------------------------------------- state queries

  /** Until when the whole domain is blocked (error-rate block or delayed queue); 0 when it is not at t. */
  isBlocked(domain: number | string, t: number): number {
    const d = typeof domain === 'number' ? domain : this.domainIds.get(domain.toLowerCase());
    if (d === undefined) return 0;
    return this.domainUntil[d] > t ? this.domainUntil[d] : 0;
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
    const total = this.errCounter.sum(domainId, 0, t);
    const errors = this.errCounter.sum(domainId, 1, t);
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
    const block = this.domainUntil[domainId] > t ? this.domainUntil[domainId] : 0;
    if (!this.enhanced) return block;
    const paths = this.sitePaths[domainId]!;
    let free = paths.length === 0 ? 0 : INF;
    for (let i = 0; i < paths.length && free > 0; i++) {
      const x = this.pairSuspendedUntil[this.pathPair[paths[i]]];
      free = x > t ? Math.min(free, x) : 0;
    }
    return Math.max(block, free);
  }

  /** Until when the (local IP, domain) pair of `pathId` is suspended; 0 when it is not at t. */
  suspendedUntil(pathId: number, t: number): number {
    const x = this.pairSuspendedUntil[this.pathPair[pathId]];
    return x > t ? x : 0;
  }

  /** Current hourly rate of the pair of `pathId` (enhanced; after throttles, overrides and warm-up). */
  pairRate(pathId: number, t: number): { count: number; periodMs: number } {
    const q = this.pathPair[pathId];
    if (t >= this.pairRecheckAt[q]) this.refreshPair(q, t);
    if (this.pairOverrideUntil[q] > t && this.pairOverrideCount[q] > 0)
      return { count: this.pairOverrideCount[q], periodMs: this.pairOverridePeriod[q] };
    return { count: this.pairHourly(q), periodMs: HOUR };
  }

  /** Max connections of the pair of `pathId` now (enhanced). */
  pairMaxConnections(pathId: number, t: number): number {
    const q = this.pathPair[pathId];
    if (t >= this.pairRecheckAt[q]) this.refreshPair(q, t);
    return this.pairConns.maxOf(q);
  }

  /** Names behind a path id. */
  describePath(pathId: number): { domain: string; localIp: string; mxIp: string; rule: string } {
    const l = this.pathLink[pathId];
    return {
      domain: this.domainNames[this.pathDomain[pathId]]!,
      localIp: this.ipNames[this.linkIp[l]]!,
      mxIp: this.mxIpNames[this.linkMx[l]]!,
      rule: this.pathRule[pathId]!.name,
    };
  }

  /** Path ids of a domain, best preference first. */
  pathsOf(domain: string): readonly number[] {
    const d = this.domainIds.get(domain.toLowerCase());
    return d === undefined ? [] : Array.from(this.sitePaths[d]!);
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
    if (until > this.domainUntil[d]) this.domainUntil[d] = until;
    return this.log.add(
      {
        kind: 'block',
        domain: this.domainNames[d]!,
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
        this.pairSuspendedUntil[k.pairId] = this.log.latestEnd(
          at,
          (o, ok) => o.kind === 'suspend' && ok.pairId === k.pairId,
        );
        break;
      case 'block':
      case 'delayQueue':
        this.domainUntil[k.domainId] = this.log.latestEnd(
          at,
          (o, ok) => (o.kind === 'block' || o.kind === 'delayQueue') && ok.domainId === k.domainId,
        );
        break;
      case 'pathDown':
        this.linkDownUntil[k.linkId] = this.log.latestEnd(
          at,
          (o, ok) => o.kind === 'pathDown' && ok.linkId === k.linkId,
        );
        break;
      case 'throttle':
        this.pairFactor[k.pairId] = 1;
        this.pairConnFactor[k.pairId] = 1;
        this.pairOverrideUntil[k.pairId] = 0;
        this.refreshPair(k.pairId, at);
        break;
    }
    return true;
  }

  // ---------------------------------------------------------------- adaptive internals

  private pairHourly(q: number): number {
    const a = this.adaptive;
    const r = this.rules.rules[this.pairRule[q]]!;
    const ceiling = r.messagesPerHour > 0 ? r.messagesPerHour : (a?.bounds.maxMessagesPerHour ?? 0);
    if (ceiling <= 0) return 0;
    const base = Math.min(ceiling, this.pairWarmHourly[q]);
    const min = a?.bounds.minMessagesPerHour ?? 1;
    return Math.max(Math.min(min, base), Math.floor(base * this.pairFactor[q]));
  }

  /** Recomputes the pair's limits (warm-up day, override expiry, throttle factor) and when to look again. */
  private refreshPair(q: number, t: number): void {
    if (!this.enhanced) {
      this.pairRecheckAt[q] = INF;
      return;
    }
    let recheck = INF;
    const c = this.pairCurve[q];
    if (c >= 0 && this.opts.warmup) {
      const age = this.opts.ipAges?.[this.ipNames[this.pairIp[q]]!] ?? 0;
      const rate = warmupRate(this.opts.warmup.curves[c]!, ipDay(age, t));
      if (rate) {
        this.warmLimiter.setRate(q, rate.count, rate.periodMs);
        this.pairWarmHourly[q] = (rate.count * HOUR) / rate.periodMs;
      } else {
        this.warmLimiter.setUnlimited(q);
        this.pairWarmHourly[q] = INF;
      }
      recheck = (Math.floor(t / DAY) + 1) * DAY;
    }
    const r = this.rules.rules[this.pairRule[q]]!;
    const minConns = this.adaptive?.bounds.minConnections ?? 1;
    let conns = Math.max(minConns, Math.floor(r.maxConnections * this.pairConnFactor[q]));
    const oUntil = this.pairOverrideUntil[q];
    if (oUntil > t) {
      if (oUntil < recheck) recheck = oUntil;
      if (this.pairOverrideConns[q] > 0) conns = this.pairOverrideConns[q];
    }
    this.pairConns.setMax(q, conns);
    if (oUntil > t && this.pairOverrideCount[q] > 0) {
      this.pairLimiter.setRate(q, this.pairOverrideCount[q], this.pairOverridePeriod[q]);
    } else {
      const hourly = this.pairHourly(q);
      if (hourly > 0) this.pairLimiter.setRate(q, hourly, HOUR);
      else this.pairLimiter.setUnlimited(q);
    }
    this.pairRecheckAt[q] = recheck;
  }

  private apply(
    q: number,
    action: ShapingAction,
    rule: string,
    text: string,
    t: number,
    out: ReplyActions,
  ): void {
    out.rule = rule;
    this.pairLastNegative[q] = t;
    const d = this.pairDomain[q];
    const base = {
      domain: this.domainNames[d]!,
      localIp: this.ipNames[this.pairIp[q]]!,
      mxIp: null,
      startMs: t,
      rule,
      text,
    };
    const keys = { domainId: d, pairId: q, linkId: -1 };
    if (action.rewriteToTransient) out.rewriteToTransient = true;
    if (action.greylistMs !== null) out.retryNotBefore = Math.max(out.retryNotBefore, t + action.greylistMs);
    if (action.suspendMs !== null) {
      const until = t + action.suspendMs;
      if (until > this.pairSuspendedUntil[q]) this.pairSuspendedUntil[q] = until;
      out.heldUntil = Math.max(out.heldUntil, until);
      this.log.add({ ...base, kind: 'suspend', endMs: until }, keys);
    }
    let throttled = false;
    let end = t;
    if (action.throttle !== null) {
      this.pairFactor[q] = Math.max(this.pairFactor[q] * action.throttle, 1e-6);
      throttled = true;
      end = Math.max(end, t + this.recoveryMs(this.pairFactor[q]));
    }
    if (action.reduceConnections !== null) {
      this.pairConnFactor[q] = Math.max(this.pairConnFactor[q] * action.reduceConnections, 1e-6);
      throttled = true;
      end = Math.max(end, t + this.recoveryMs(this.pairConnFactor[q]));
    }
    if (action.setLimits !== null) {
      const s = action.setLimits;
      this.pairOverrideUntil[q] = t + s.durationMs;
      this.pairOverrideCount[q] = s.rate ? s.rate.count : 0;
      this.pairOverridePeriod[q] = s.rate ? s.rate.periodMs : HOUR;
      this.pairOverrideConns[q] = s.maxConnections ?? 0;
      this.pairOverrideMpc[q] = s.maxMessagesPerConnection ?? 0;
      throttled = true;
      end = Math.max(end, t + s.durationMs);
    }
    if (throttled) {
      this.refreshPair(q, t);
      this.log.add({ ...base, kind: 'throttle', endMs: end }, keys);
    }
  }

  /** Time the positive adjustment takes to bring `factor` back to 1. */
  private recoveryMs(factor: number): number {
    const pa = this.adaptive!.positiveAdjustment;
    if (factor >= 1) return 0;
    return Math.ceil(Math.log(1 / factor) / Math.log(pa.factor)) * pa.everyMs;
  }

  private checkRateRules(q: number, t: number, out: ReplyActions): void {
    const rules = this.adaptive!.rateRules;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      const k = q * rules.length + i;
      if (t - this.rateFired[k] < r.windowMs) continue;
      const c = this.rateCounters[this.rateCounterOf[i]!]!;
      const den = c.sum(q, METRICS.indexOf(r.of as Metric), t);
      if (den < r.minVolume) continue;
      const num = c.sum(q, METRICS.indexOf(r.metric), t);
      if (num < r.threshold * den) continue;
      this.rateFired[k] = t;
      this.apply(
        q,
        r.action,
        r.name,
        `${r.metric} ${((num / den) * 100).toFixed(2)}% of ${den} ${r.of}`,
        t,
        out,
      );
      return;
    }
  }

  /** +factor per clean period (no rule fired) up to the ceiling, for rate and connections. */
  private positiveAdjust(q: number, t: number): void {
    if (this.pairFactor[q] >= 1 && this.pairConnFactor[q] >= 1) return;
    const pa = this.adaptive!.positiveAdjustment;
    const since = Math.max(this.pairLastAdjust[q], this.pairLastNegative[q]);
    const steps = Math.floor((t - since) / pa.everyMs);
    if (steps <= 0) return;
    const up = pa.factor ** steps;
    this.pairFactor[q] = Math.min(1, this.pairFactor[q] * up);
    this.pairConnFactor[q] = Math.min(1, this.pairConnFactor[q] * up);
    this.pairLastAdjust[q] = since + steps * pa.everyMs;
    this.refreshPair(q, t);
  }
}

export type { SuspensionKind };
