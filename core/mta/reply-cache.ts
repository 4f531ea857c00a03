/**
 * A bounded memo of `parseReply` keyed by the raw reply text. Most replies repeat byte for byte
 * (every accepted message of an ISP gets the same `250 ok` line), so the MTA parses each distinct
 * text once instead of once per message. Two generations: a lookup tries `young` then `old`; when
 * `young` is full it becomes `old` (an LRU approximation with O(1) eviction), so per-recipient texts
 * (replies quoting the address) cannot grow it without bound.
 *
 * The parsed replies are shared: callers must not mutate them.
 */
import { parseReply } from '../reply/index.ts';
import type { ParsedReply } from '../types.ts';

/** See the file comment. */
export class ReplyCache {
  private young = new Map<string, ParsedReply>();
  private old = new Map<string, ParsedReply>();
  private readonly half: number;
  /** lookups answered from the cache, and parses done */
  hits = 0;
  misses = 0;

  /** @param size distinct texts kept (about); 0 turns the cache off */
  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 0))
      throw new RangeError(`reply cache: size: expected an integer >= 0, got ${size}`);
    this.half = Math.max(1, Math.ceil(size / 2));
  }

  /** `parseReply(raw)`, from the cache when the same text was parsed recently. */
  parse(raw: string): ParsedReply {
    let p = this.young.get(raw);
    if (p !== undefined) {
      this.hits++;
      return p;
    }
    p = this.old.get(raw);
    if (p !== undefined) this.hits++;
    else {
      this.misses++;
      p = parseReply(raw);
      if (this.size === 0) return p;
    }
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(raw, p);
    return p;
  }
}
