/**
 * String interning for the writer's buffers: each distinct string gets a dense integer id, and the
 * strings not yet written to the database wait in `pending` until the next flush. When the map
 * reaches `limit` entries it is forgotten (ids keep growing): a string seen again then gets a new
 * id, which costs a duplicate dictionary entry but keeps memory bounded on 10M-row runs.
 */
export class Interner {
  private map = new Map<string, number>();
  private nextId = 0;
  /** strings given an id since the last `drain()`, in id order starting at `pendingStart` */
  pending: string[] = [];
  pendingStart = 0;

  /** @param limit how many strings to remember before forgetting them all (>= 1) */
  constructor(readonly limit: number = 1 << 20) {
    if (!(limit >= 1)) throw new RangeError(`Interner limit must be >= 1, got ${limit}`);
  }

  /** Id of `s` (a new one when not remembered). */
  id(s: string): number {
    const known = this.map.get(s);
    if (known !== undefined) return known;
    if (this.map.size >= this.limit) this.map.clear();
    const id = this.nextId++;
    this.map.set(s, id);
    this.pending.push(s);
    return id;
  }

  /** How many ids were handed out in total. */
  get size(): number {
    return this.nextId;
  }

  /** Hands over the pending strings (first id = `start`) and starts a new pending list. */
  drain(): { start: number; strings: string[] } {
    const out = { start: this.pendingStart, strings: this.pending };
    this.pending = [];
    this.pendingStart = this.nextId;
    return out;
  }
}
