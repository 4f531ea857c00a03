/**
 * Reference legacy MX management rules (SPEC §7.1), one message at a time: which rule a MX host
 * falls under, where its limits hold (the path, shared or not), how many messages a 5-minute slice
 * still takes, and the error-rate block. Plain objects and Maps of plain objects.
 */

/** One MX rule ("Fields: ... Shared, max connections, max messages per connection, messages per hour"). */
export interface RefMxRule {
  name: string;
  /** "matched against the MX host name by mask (`*` and `?` wildcards)" */
  mask: string;
  shared: boolean;
  maxConnections: number;
  maxMessagesPerConnection: number;
  /** 0: no hourly limit */
  messagesPerHour: number;
}

export interface RefMxRules {
  /** in order; "the first match wins; the `*` rule is the general case and comes last" */
  rules: RefMxRule[];
  /** "The hourly limit is enforced in 12 slices of 5 minutes" */
  slicesPerHour: number;
  /** "with at least 300 messages, sending is blocked for 3 hours if the error rate reaches 90%" */
  errorBlock: { minMessages: number; errorRate: number; durationMs: number; windowMs: number };
}

const HOUR = 3_600_000;

/** The first rule whose mask matches `host` (case-insensitive). */
export function ruleFor(rules: RefMxRules, host: string): RefMxRule {
  for (const r of rules.rules) {
    const re = new RegExp(
      `^${r.mask
        .toLowerCase()
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    if (re.test(host.toLowerCase())) return r;
  }
  throw new Error(`reference: no MX rule matches ${host} (the '*' rule must come last)`);
}

/**
 * Where a rule's limits hold: "With Shared on, a local IP's limits hold across all the MX IPs it
 * reaches (one path per local IP); with Shared off they hold per (local, remote) pair."
 */
export function bucketOf(rule: RefMxRule, localIp: string, mxIp: string): string {
  return rule.shared ? `${localIp} ${rule.name}` : `${localIp} ${mxIp}`;
}

/** "10,000/h means at most 833 per slice, sent as soon as possible in the slice." */
export function perSlice(rules: RefMxRules, rule: RefMxRule): number {
  if (rule.messagesPerHour === 0) return Number.POSITIVE_INFINITY;
  return Math.floor(rule.messagesPerHour / rules.slicesPerHour);
}

export function sliceMs(rules: RefMxRules): number {
  return HOUR / rules.slicesPerHour;
}

/** Sends per bucket in the current slice. */
export class RefSlices {
  private readonly used = new Map<string, { slice: number; sent: number }>();
  constructor(readonly rules: RefMxRules) {}

  /** Messages the bucket may still send in the slice of `t`. */
  room(bucket: string, rule: RefMxRule, t: number): number {
    const slice = Math.floor(t / sliceMs(this.rules));
    const u = this.used.get(bucket);
    const sent = u && u.slice === slice ? u.sent : 0;
    return perSlice(this.rules, rule) - sent;
  }

  take(bucket: string, t: number): void {
    const slice = Math.floor(t / sliceMs(this.rules));
    const u = this.used.get(bucket);
    if (u && u.slice === slice) u.sent++;
    else this.used.set(bucket, { slice, sent: 1 });
  }

  /** Start of the next slice after `t`. */
  nextSlice(t: number): number {
    const s = sliceMs(this.rules);
    return (Math.floor(t / s) + 1) * s;
  }
}

/**
 * The error-rate block of one domain: every reply on a path counts, an error is any reply that is
 * not an acceptance; replies count over the last hour (the window, in 5-minute steps, as the project
 * reads "a threshold is an error percentage"), and a block starts a fresh count.
 */
export class RefErrorBlock {
  private readonly replies = new Map<string, { t: number; failed: boolean }[]>();
  private readonly until = new Map<string, number>();
  constructor(readonly rules: RefMxRules) {}

  blockedUntil(domain: string): number {
    return this.until.get(domain) ?? 0;
  }

  /** The replies in the window now (a block starts a fresh count). */
  private window(domain: string, t: number): { t: number; failed: boolean }[] {
    const step = this.rules.errorBlock.windowMs / 12;
    const now = Math.floor(t / step);
    return (this.replies.get(domain) ?? []).filter((r) => Math.floor(r.t / step) > now - 12);
  }

  /**
   * The fewest further replies that could start a block were they all errors: a session never
   * carries more, so no message leaves once the block is tripped.
   */
  room(domain: string, t: number): number {
    const eb = this.rules.errorBlock;
    const w = this.window(domain, t);
    const errors = w.filter((r) => r.failed).length;
    for (let j = 1; j <= 1_000_000; j++)
      if (w.length + j >= eb.minMessages && errors + j >= eb.errorRate * (w.length + j)) return j;
    return Number.POSITIVE_INFINITY;
  }

  /** Counts one reply; returns the block's end when this reply starts a block, else 0. */
  count(domain: string, failed: boolean, t: number): number {
    const eb = this.rules.errorBlock;
    let list = this.replies.get(domain);
    if (!list) {
      list = [];
      this.replies.set(domain, list);
    }
    list.push({ t, failed });
    const step = eb.windowMs / 12;
    const now = Math.floor(t / step);
    const inWindow = list.filter((r) => Math.floor(r.t / step) > now - 12);
    const errors = inWindow.filter((r) => r.failed).length;
    if (inWindow.length >= eb.minMessages && errors >= eb.errorRate * inWindow.length) {
      const end = t + eb.durationMs;
      if (end > this.blockedUntil(domain)) this.until.set(domain, end);
      this.replies.set(domain, []);
      return end;
    }
    return 0;
  }
}
