/**
 * The shaper's pairs and their adaptive shaping (enhanced mode): a pair is (local IP, recipient
 * domain). Per pair id: its rate limits (the throttled MX rule, the warm-up curve), connection
 * slots, suspension, throttle factors, `setLimits` override, and the counters of the response and
 * rate rules; and the rules that change them (response rules, rate rules, positive adjustment).
 */
import { growF64, growI32 } from '../grow.ts';
import { DAY, HOUR, type Qualification } from '../types.ts';
import { type AdaptiveRules, METRICS, type Metric, type ShapingAction } from './adaptive-rules.ts';
import { ConnectionPool } from './connection-pool.ts';
import type { MxRuleSet } from './mx-rules.ts';
import type { ReplyActions } from './reply-actions.ts';
import { RollingCounter } from './rolling-counter.ts';
import { SliceLimiter, type SliceRounding } from './slice-limiter.ts';
import type { SuspensionLog } from './suspensions.ts';
import { findWarmupCurve, ipDay, type WarmupCurves, warmupRate } from './warmup.ts';

const INF = Number.POSITIVE_INFINITY;
const M_ATTEMPTS = METRICS.indexOf('attempts');
const M_REJECTIONS = METRICS.indexOf('rejections');
const M_HARD = METRICS.indexOf('hardOrTimeout');
const M_DELIVERIES = METRICS.indexOf('deliveries');
const M_COMPLAINTS = METRICS.indexOf('complaints');
const TIMEOUT_RE = /timed? ?out/i;

/** What the pair table reads from the shaper that owns it. */
export interface PairContext {
  enhanced: boolean;
  /** the MX rules in force (level applied); the shaper swaps them on a refresh */
  rules: MxRuleSet;
  /** response and rate rules (null in legacy mode) */
  adaptive: AdaptiveRules | null;
  warmup: WarmupCurves | undefined;
  ipAges: Readonly<Record<string, number>> | undefined;
  /** names of the local IP and domain ids (the shaper's tables) */
  ipNames: readonly string[];
  domainNames: readonly string[];
  log: SuspensionLog;
}

export class PairTable {
  private readonly ids = new Map<string, number>();
  /** the pair's rate: the throttled MX rule of the domain's primary host, or an override */
  readonly limiter: SliceLimiter;
  /** the warm-up curve's rate for the local IP's age */
  readonly warmLimiter: SliceLimiter;
  readonly conns = new ConnectionPool();
  ip = new Int32Array(16);
  domain = new Int32Array(16);
  rule = new Int32Array(16);
  curve = new Int32Array(16);
  suspendedUntil = new Float64Array(16);
  /** when `refresh` must run again (warm-up day change, override end) */
  recheckAt = new Float64Array(16);
  factor = new Float64Array(16);
  connFactor = new Float64Array(16);
  warmHourly = new Float64Array(16);
  overrideUntil = new Float64Array(16);
  overrideCount = new Float64Array(16);
  overridePeriod = new Float64Array(16);
  overrideConns = new Int32Array(16);
  overrideMpc = new Int32Array(16);
  lastAdjust = new Float64Array(16);
  lastNegative = new Float64Array(16);
  /** per (pair, response rule): start and count of the current `{count, within}` window */
  private trigStart = new Float64Array(0);
  private trigCount = new Int32Array(0);
  /** per (pair, rate rule): when it last fired */
  private rateFired = new Float64Array(0);
  /** one rolling counter of METRICS per distinct rate-rule window, and each rate rule's counter */
  private readonly rateCounters: RollingCounter[] = [];
  private readonly rateCounterOf: number[] = [];
  /** each rate rule's metric and the metric it is a share of, as indices into METRICS */
  private readonly rateNum: number[] = [];
  private readonly rateDen: number[] = [];
  size = 0;

  constructor(
    private readonly ctx: PairContext,
    sliceMs: number,
    rounding: SliceRounding,
  ) {
    this.limiter = new SliceLimiter(sliceMs, rounding);
    this.warmLimiter = new SliceLimiter(sliceMs, rounding);
    if (ctx.adaptive) {
      const windows: number[] = [];
      for (const r of ctx.adaptive.rateRules) {
        let w = windows.indexOf(r.windowMs);
        if (w === -1) {
          w = windows.push(r.windowMs) - 1;
          this.rateCounters.push(new RollingCounter(METRICS.length, r.windowMs, 12));
        }
        this.rateCounterOf.push(w);
        this.rateNum.push(METRICS.indexOf(r.metric));
        this.rateDen.push(METRICS.indexOf(r.of as Metric));
      }
    }
  }

  /** Id of the pair (ipId, domain id), or undefined when it has none. */
  find(ipId: number, d: number): number | undefined {
    return this.ids.get(`${ipId}|${d}`);
  }

  /** Dense id of the pair (ipId, d) whose ceiling is MX rule number `rule`, created on first use. */
  idOf(ipId: number, d: number, rule: number): number {
    const key = `${ipId}|${d}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const q = this.size++;
    const n = q + 1;
    this.ids.set(key, q);
    this.limiter.add();
    this.warmLimiter.add();
    this.conns.add(1);
    this.ip = growI32(this.ip, n);
    this.domain = growI32(this.domain, n);
    this.rule = growI32(this.rule, n);
    this.curve = growI32(this.curve, n, -1);
    this.suspendedUntil = growF64(this.suspendedUntil, n);
    this.recheckAt = growF64(this.recheckAt, n);
    this.factor = growF64(this.factor, n, 1);
    this.connFactor = growF64(this.connFactor, n, 1);
    this.warmHourly = growF64(this.warmHourly, n, INF);
    this.overrideUntil = growF64(this.overrideUntil, n);
    this.overrideCount = growF64(this.overrideCount, n);
    this.overridePeriod = growF64(this.overridePeriod, n);
    this.overrideConns = growI32(this.overrideConns, n);
    this.overrideMpc = growI32(this.overrideMpc, n);
    this.lastAdjust = growF64(this.lastAdjust, n);
    this.lastNegative = growF64(this.lastNegative, n);
    this.ip[q] = ipId;
    this.domain[q] = d;
    this.rule[q] = rule;
    this.factor[q] = 1;
    this.connFactor[q] = 1;
    this.warmHourly[q] = INF;
    const warmup = this.ctx.warmup;
    this.curve[q] = warmup ? findWarmupCurve(warmup, this.ctx.domainNames[d]!) : -1;
    const nr = this.ctx.adaptive?.responseRules.length ?? 0;
    this.trigStart = growF64(this.trigStart, n * nr);
    this.trigCount = growI32(this.trigCount, n * nr);
    const nrr = this.ctx.adaptive?.rateRules.length ?? 0;
    this.rateFired = growF64(this.rateFired, n * nrr, Number.NEGATIVE_INFINITY);
    for (const c of this.rateCounters) c.add();
    this.refresh(q, 0);
    return q;
  }

  /**
   * Pair q's ceiling comes from MX rule number `rule` of the set in force from now on (a refreshed
   * set, `Shaper.useMxRules`); its limits are recomputed at the next check.
   */
  setRule(q: number, rule: number): void {
    if (this.rule[q] === rule) return;
    this.rule[q] = rule;
    this.recheckAt[q] = 0;
  }

  /**
   * The rule set in force was replaced (`Shaper.useMxRules`): every pair reads its limits again at its
   * next check, also one whose rule kept its place in the set but not its numbers.
   */
  rulesReplaced(): void {
    this.recheckAt.fill(0, 0, this.size);
  }

  /** Messages per hour of the pair: its ceiling (MX rule, warm-up) times its throttle factor. */
  hourly(q: number): number {
    const a = this.ctx.adaptive;
    const r = this.ctx.rules.rules[this.rule[q]]!;
    const ceiling = r.messagesPerHour > 0 ? r.messagesPerHour : (a?.bounds.maxMessagesPerHour ?? 0);
    if (ceiling <= 0) return 0;
    const base = Math.min(ceiling, this.warmHourly[q]);
    const min = a?.bounds.minMessagesPerHour ?? 1;
    return Math.max(Math.min(min, base), Math.floor(base * this.factor[q]));
  }

  /** Messages per connection of the pair's `setLimits` override in force at t (0 = none). */
  overrideMpcAt(q: number, t: number): number {
    return this.overrideUntil[q] > t ? this.overrideMpc[q] : 0;
  }

  /** Recomputes the pair's limits (warm-up day, override expiry, throttle factor) and when to look again. */
  refresh(q: number, t: number): void {
    if (!this.ctx.enhanced) {
      this.recheckAt[q] = INF;
      return;
    }
    let recheck = INF;
    const c = this.curve[q];
    const warmup = this.ctx.warmup;
    if (c >= 0 && warmup) {
      const age = this.ctx.ipAges?.[this.ctx.ipNames[this.ip[q]]!] ?? 0;
      const rate = warmupRate(warmup.curves[c]!, ipDay(age, t));
      if (rate) {
        this.warmLimiter.setRate(q, rate.count, rate.periodMs);
        this.warmHourly[q] = (rate.count * HOUR) / rate.periodMs;
      } else {
        this.warmLimiter.setUnlimited(q);
        this.warmHourly[q] = INF;
      }
      recheck = (Math.floor(t / DAY) + 1) * DAY;
    }
    const r = this.ctx.rules.rules[this.rule[q]]!;
    const minConns = this.ctx.adaptive?.bounds.minConnections ?? 1;
    let conns = Math.max(minConns, Math.floor(r.maxConnections * this.connFactor[q]));
    const oUntil = this.overrideUntil[q];
    if (oUntil > t) {
      if (oUntil < recheck) recheck = oUntil;
      if (this.overrideConns[q] > 0) conns = this.overrideConns[q];
    }
    this.conns.setMax(q, conns);
    if (oUntil > t && this.overrideCount[q] > 0) {
      this.limiter.setRate(q, this.overrideCount[q], this.overridePeriod[q]);
    } else {
      const hourly = this.hourly(q);
      if (hourly > 0) this.limiter.setRate(q, hourly, HOUR);
      else this.limiter.setUnlimited(q);
    }
    this.recheckAt[q] = recheck;
  }

  /** Lifts the pair's throttle (an operator cancelled it) at t. */
  clearThrottle(q: number, t: number): void {
    this.factor[q] = 1;
    this.connFactor[q] = 1;
    this.overrideUntil[q] = 0;
    this.refresh(q, t);
  }

  /**
   * Counts one reply of pair q at t toward the rate rules and runs the response rules on a failed
   * one, then the rate rules and the positive adjustment; writes what fired into `out`.
   */
  onReply(
    q: number,
    replyText: string,
    qualification: Qualification | null,
    t: number,
    out: ReplyActions,
  ): void {
    const a = this.ctx.adaptive!;
    const failed = qualification !== null && qualification.impact !== 'ok';
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
      const domain = this.ctx.domainNames[this.domain[q]]!;
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
  }

  /** Counts a complaint of pair q at t and runs the rate rules. */
  onComplaint(q: number, t: number, out: ReplyActions): void {
    for (const c of this.rateCounters) c.inc(q, M_COMPLAINTS, t);
    this.checkRateRules(q, t, out);
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
    this.lastNegative[q] = t;
    const d = this.domain[q];
    const base = {
      domain: this.ctx.domainNames[d]!,
      localIp: this.ctx.ipNames[this.ip[q]]!,
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
      if (until > this.suspendedUntil[q]) this.suspendedUntil[q] = until;
      out.heldUntil = Math.max(out.heldUntil, until);
      this.ctx.log.add({ ...base, kind: 'suspend', endMs: until }, keys);
    }
    let throttled = false;
    let end = t;
    if (action.throttle !== null) {
      this.factor[q] = Math.max(this.factor[q] * action.throttle, 1e-6);
      throttled = true;
      end = Math.max(end, t + this.recoveryMs(this.factor[q]));
    }
    if (action.reduceConnections !== null) {
      this.connFactor[q] = Math.max(this.connFactor[q] * action.reduceConnections, 1e-6);
      throttled = true;
      end = Math.max(end, t + this.recoveryMs(this.connFactor[q]));
    }
    if (action.setLimits !== null) {
      const s = action.setLimits;
      this.overrideUntil[q] = t + s.durationMs;
      this.overrideCount[q] = s.rate ? s.rate.count : 0;
      this.overridePeriod[q] = s.rate ? s.rate.periodMs : HOUR;
      this.overrideConns[q] = s.maxConnections ?? 0;
      this.overrideMpc[q] = s.maxMessagesPerConnection ?? 0;
      throttled = true;
      end = Math.max(end, t + s.durationMs);
    }
    if (throttled) {
      this.refresh(q, t);
      this.ctx.log.add({ ...base, kind: 'throttle', endMs: end }, keys);
    }
  }

  /** Time the positive adjustment takes to bring `factor` back to 1. */
  private recoveryMs(factor: number): number {
    const pa = this.ctx.adaptive!.positiveAdjustment;
    if (factor >= 1) return 0;
    return Math.ceil(Math.log(1 / factor) / Math.log(pa.factor)) * pa.everyMs;
  }

  private checkRateRules(q: number, t: number, out: ReplyActions): void {
    const rules = this.ctx.adaptive!.rateRules;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      const k = q * rules.length + i;
      if (t - this.rateFired[k] < r.windowMs) continue;
      const c = this.rateCounters[this.rateCounterOf[i]!]!;
      const den = c.sum(q, this.rateDen[i]!, t);
      if (den < r.minVolume) continue;
      const num = c.sum(q, this.rateNum[i]!, t);
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
    if (this.factor[q] >= 1 && this.connFactor[q] >= 1) return;
    const pa = this.ctx.adaptive!.positiveAdjustment;
    const since = Math.max(this.lastAdjust[q], this.lastNegative[q]);
    const steps = Math.floor((t - since) / pa.everyMs);
    if (steps <= 0) return;
    const up = pa.factor ** steps;
    this.factor[q] = Math.min(1, this.factor[q] * up);
    this.connFactor[q] = Math.min(1, this.connFactor[q] * up);
    this.lastAdjust[q] = since + steps * pa.everyMs;
    this.refresh(q, t);
  }
}
