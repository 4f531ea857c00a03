/**
 * A bounded memo keyed by (integer slot, string key): one `Map` per slot, so a caller that reuses a
 * string (an SMTP reply kept by the MTA, a corpus text) hits with the string's cached hash and no
 * concatenation. Two generations: lookups try `young` then `old`; when `young` holds half the budget
 * it becomes `old` (an LRU approximation with O(1) eviction). No allocation on a hit.
 */
export class SlotCache<V> {
  private young: (Map<string, V> | undefined)[] = [];
  private old: (Map<string, V> | undefined)[] = [];
  private count = 0;
  private readonly half: number;
  /** false when the budget is 0: `get` always misses and `set` keeps nothing */
  readonly enabled: boolean;

  /** @param size entries kept (about, over all slots); 0 turns the cache off */
  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 0))
      throw new RangeError(`qualifier cache: cacheSize: expected an integer >= 0, got ${size}`);
    this.enabled = size > 0;
    this.half = Math.max(1, Math.ceil(size / 2));
  }

  /** The value kept for (`slot`, `key`), or undefined. A hit in the old generation is promoted. */
  get(slot: number, key: string): V | undefined {
    const y = this.young[slot]?.get(key);
    if (y !== undefined) return y;
    const o = this.old[slot]?.get(key);
    if (o !== undefined) this.set(slot, key, o);
    return o;
  }

  /** Keeps `value` for (`slot`, `key`) and returns it. */
  set(slot: number, key: string, value: V): V {
    if (!this.enabled) return value;
    let m = this.young[slot];
    if (m === undefined) {
      m = new Map();
      this.young[slot] = m;
    }
    const before = m.size;
    m.set(key, value);
    if (m.size !== before && ++this.count >= this.half) {
      this.old = this.young;
      this.young = [];
      this.count = 0;
    }
    return value;
  }
}
