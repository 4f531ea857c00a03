/**
 * The shaper's buckets, where MX-rule limits hold: (local IP, rule) when the rule is shared, (local
 * IP, MX IP, rule) otherwise. Per bucket id: its slice rate limit, its connection slots and the rule
 * its limits come from. A rule is keyed by its name, mask and sender range, so the same rule from a
 * refreshed set (`Shaper.useMxRules`) keeps its bucket under its new limits.
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
  /** the rule each bucket's limits come from */
  private readonly rule: MxRule[] = [];

  constructor(sliceMs: number, rounding: SliceRounding) {
    this.limiter = new SliceLimiter(sliceMs, rounding);
  }

  /**
   * Dense id of the bucket of `r` for (ipId, mxId), created on first use; a bucket made by the same
   * rule of an earlier set takes r's limits, its slice's counter kept.
   */
  idOf(ipId: number, mxId: number, r: MxRule): number {
    // the rule by what it covers (one rule set: as its index, first match wins), so a refreshed set keeps the bucket
    const rKey = `${r.name}|${r.mask}|${r.senderIds ? `${r.senderIds.from}-${r.senderIds.to}` : ''}`;
    const key = r.shared ? `${ipId}|r${rKey}` : `${ipId}|m${mxId}|r${rKey}`;
    let b = this.ids.get(key);
    if (b === undefined) {
      b = this.limiter.add();
      this.conns.add(r.maxConnections);
      if (r.messagesPerHour > 0) this.limiter.setRate(b, r.messagesPerHour, HOUR);
      this.ids.set(key, b);
      this.rule[b] = r;
    } else if (this.rule[b] !== r) {
      // the same rule from a refreshed set: its new limits, the slice's counter kept
      const old = this.rule[b]!;
      this.rule[b] = r;
      if (r.maxConnections !== old.maxConnections) this.conns.setMax(b, r.maxConnections);
      if (r.messagesPerHour !== old.messagesPerHour) {
        if (r.messagesPerHour > 0) this.limiter.setRate(b, r.messagesPerHour, HOUR);
        else this.limiter.setUnlimited(b);
      }
    }
    return b;
  }
}
