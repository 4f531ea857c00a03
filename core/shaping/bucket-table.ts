/**
 * The shaper's buckets, where MX-rule limits hold: (local IP, rule) when the rule is shared, (local
 * IP, MX IP, rule) otherwise. Per bucket id: its slice rate limit and its connection slots.
 */
import { HOUR } from '../types.ts';
import { ConnectionPool } from './connection-pool.ts';
import type { MxRule } from './mx-rules.ts';
import { SliceLimiter, type SliceRounding } from './slice-limiter.ts';

export class BucketTable {
  private readonly ids = new Map<string, number>();
  /** messages per hour of the rule, in slices */
  readonly limiter: SliceLimiter;
  /** the rule's max connections */
  readonly conns = new ConnectionPool();

  constructor(sliceMs: number, rounding: SliceRounding) {
    this.limiter = new SliceLimiter(sliceMs, rounding);
  }

  /** Dense id of the bucket of rule number `ruleIndex` (`rule`) for (ipId, mxId), created on first use. */
  idOf(ipId: number, mxId: number, ruleIndex: number, rule: MxRule): number {
    const key = rule.shared ? `${ipId}|r${ruleIndex}` : `${ipId}|m${mxId}|r${ruleIndex}`;
    let b = this.ids.get(key);
    if (b === undefined) {
      b = this.limiter.add();
      this.conns.add(rule.maxConnections);
      if (rule.messagesPerHour > 0) this.limiter.setRate(b, rule.messagesPerHour, HOUR);
      this.ids.set(key, b);
    }
    return b;
  }
}
