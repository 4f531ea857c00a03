/**
 * The pending-event set of the engine: events ordered by (virtual time, insertion sequence), stored
 * without an object or a closure per event.
 *
 * An event is integer-coded: a `kind` (small int, 0..65535) and two numeric payload slots `a` and `b`
 * (integers or floats: message index, domain index, ...). Its id is its insertion sequence number.
 *
 * Two lanes hold the events:
 * - a 4-ary min-heap over typed arrays (time, sequence, kind, a, b) for events in the future;
 * - a plain FIFO ring buffer for events scheduled at the current time (`now`), the common case of
 *   "do this next" steps, which then cost no heap work at all.
 *
 * Ordering argument: `now` only moves forward, and only when the FIFO lane is empty. An event in the
 * heap with time T was scheduled while `now` < T, so before any FIFO event at T; the heap therefore
 * drains its events at `now` before the FIFO lane runs, which is exactly (time, sequence) order.
 *
 * Cancellation is lazy: a bitset over ids marks ids that fired or were cancelled; a marked entry is
 * skipped when it reaches the front. The bitset costs one bit per event ever scheduled.
 */
import { EngineError } from './errors.ts';

/** Largest id the queue hands out (ids index a bitset with 32-bit shifts). */
export const MAX_EVENT_ID = 0xffff_fffe;
/** Kinds are stored in 16 bits. */
export const MAX_KIND = 0xffff;

const SRC_NONE = -2;
const SRC_FIFO = -1;
const SRC_HEAP = -3;

/** A FIFO ring buffer of events of one fixed-delay lane (times non-decreasing). */
class Ring {
  readonly delay: number;
  time: Float64Array;
  seq: Float64Array;
  kind: Uint16Array;
  a: Float64Array;
  b: Float64Array;
  head = 0;
  len = 0;
  mask: number;

  constructor(delay: number, cap: number) {
    this.delay = delay;
    this.time = new Float64Array(cap);
    this.seq = new Float64Array(cap);
    this.kind = new Uint16Array(cap);
    this.a = new Float64Array(cap);
    this.b = new Float64Array(cap);
    this.mask = cap - 1;
  }

  push(t: number, id: number, kind: number, a: number, b: number): void {
    if (this.len > this.mask) this.grow();
    const slot = (this.head + this.len) & this.mask;
    this.time[slot] = t;
    this.seq[slot] = id;
    this.kind[slot] = kind;
    this.a[slot] = a;
    this.b[slot] = b;
    this.len++;
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const time = new Float64Array(cap);
    const seq = new Float64Array(cap);
    const kind = new Uint16Array(cap);
    const a = new Float64Array(cap);
    const b = new Float64Array(cap);
    for (let k = 0; k < this.len; k++) {
      const slot = (this.head + k) & this.mask;
      time[k] = this.time[slot];
      seq[k] = this.seq[slot];
      kind[k] = this.kind[slot];
      a[k] = this.a[slot];
      b[k] = this.b[slot];
    }
    this.time = time;
    this.seq = seq;
    this.kind = kind;
    this.a = a;
    this.b = b;
    this.head = 0;
    this.mask = cap - 1;
  }
}

/** Time-ordered event queue with a FIFO lane for the current time. Not re-entrant-safe for `pop`. */
export class EventQueue {
  /** Current virtual time: the time of the last popped event (or the last `advanceTo`). */
  now = 0;
  /** Registers filled by {@link pop}: the popped event's time, kind, payload and id. */
  time = 0;
  kind = 0;
  a = 0;
  b = 0;
  id = 0;

  // heap lane
  private hTime: Float64Array;
  private hSeq: Float64Array;
  private hKind: Uint16Array;
  private hA: Float64Array;
  private hB: Float64Array;
  private hLen = 0;

  // FIFO lane (events at `now`)
  private fSeq: Float64Array;
  private fKind: Uint16Array;
  private fA: Float64Array;
  private fB: Float64Array;
  private fHead = 0;
  private fLen = 0;
  private fMask: number;

  // fixed-delay lanes
  private readonly lanes: Ring[] = [];

  // ids that fired or were cancelled
  private done: Uint32Array;
  private nextId = 0;
  private live = 0;

  /** @param initialCapacity - starting size of each lane (rounded up to a power of two); arrays double when full */
  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.hTime = new Float64Array(cap);
    this.hSeq = new Float64Array(cap);
    this.hKind = new Uint16Array(cap);
    this.hA = new Float64Array(cap);
    this.hB = new Float64Array(cap);
    this.fSeq = new Float64Array(cap);
    this.fKind = new Uint16Array(cap);
    this.fA = new Float64Array(cap);
    this.fB = new Float64Array(cap);
    this.fMask = cap - 1;
    this.done = new Uint32Array(Math.max(1, cap >>> 5));
  }

  /** Number of pending events (cancelled ones excluded). */
  get size(): number {
    return this.live;
  }

  /** Total number of ids handed out so far. */
  get scheduledCount(): number {
    return this.nextId;
  }

  /**
   * Adds an event and returns its id. `at` must be a finite number not before `now`; `kind` an
   * integer in 0..65535. Same-time events come out in the order they were pushed.
   */
  push(at: number, kind: number, a: number, b: number): number {
    if (!(at >= this.now) || at === Number.POSITIVE_INFINITY) this.badTime(at);
    const id = this.newId(kind);
    if (at === this.now) {
      if (this.fLen > this.fMask) this.growFifo();
      const slot = (this.fHead + this.fLen) & this.fMask;
      this.fSeq[slot] = id;
      this.fKind[slot] = kind;
      this.fA[slot] = a;
      this.fB[slot] = b;
      this.fLen++;
      return id;
    }
    if (this.hLen === this.hTime.length) this.growHeap();
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hKind = this.hKind;
    const hA = this.hA;
    const hB = this.hB;
    let i = this.hLen++;
    // sift up with a hole; a new id is larger than every stored one, so ties stop the climb
    while (i > 0) {
      const p = (i - 1) >> 2;
      if (hTime[p] <= at) break;
      hTime[i] = hTime[p];
      hSeq[i] = hSeq[p];
      hKind[i] = hKind[p];
      hA[i] = hA[p];
      hB[i] = hB[p];
      i = p;
    }
    hTime[i] = at;
    hSeq[i] = id;
    hKind[i] = kind;
    hA[i] = a;
    hB[i] = b;
    return id;
  }

  private newId(kind: number): number {
    if (kind >>> 0 !== kind || kind > MAX_KIND) {
      throw new EngineError('MXLAB_ENGINE', `event kind must be an integer in 0..${MAX_KIND}, got ${kind}`);
    }
    const id = this.nextId;
    if (id > MAX_EVENT_ID) throw new EngineError('MXLAB_ENGINE', 'too many events scheduled in one run');
    this.nextId = id + 1;
    if (id >>> 5 >= this.done.length) this.growDone();
    this.live++;
    return id;
  }

  /** True when `id` was scheduled and has neither fired nor been cancelled. */
  isPending(id: number): boolean {
    if (!(id >= 0 && id < this.nextId) || id !== Math.floor(id)) return false;
    return (this.done[id >>> 5] & (1 << (id & 31))) === 0;
  }

  /** Cancels a pending event; returns false when the id is unknown, already fired or already cancelled. */
  cancel(id: number): boolean {
    if (!this.isPending(id)) return false;
    this.done[id >>> 5] |= 1 << (id & 31);
    this.live--;
    return true;
  }

  /**
   * Adds a fixed-delay lane and returns its index for {@link pushLane}. Events pushed on a lane fire
   * `delay` after the time they were pushed; since `now` never goes back, a lane is already in time
   * order and costs no heap work (e.g. "retry in one hour"). Order with other events stays (time, sequence).
   */
  addLane(delay: number): number {
    if (!(delay > 0) || !Number.isFinite(delay)) {
      throw new EngineError('MXLAB_ENGINE', `a fixed-delay lane needs a finite delay > 0, got ${delay}`);
    }
    this.lanes.push(new Ring(delay, 64));
    return this.lanes.length - 1;
  }

  /** Adds an event at `now + delay` of lane `lane` (see {@link addLane}) and returns its id. */
  pushLane(lane: number, kind: number, a: number, b: number): number {
    const ring = this.lanes[lane];
    if (ring === undefined) throw new EngineError('MXLAB_ENGINE', `unknown fixed-delay lane ${lane}`);
    const id = this.newId(kind);
    ring.push(this.now + ring.delay, id, kind, a, b);
    return id;
  }

  /**
   * Pops the next live event whose time is `<= limit` into the registers (`time`, `kind`, `a`, `b`,
   * `id`), advances `now` to its time and returns true; returns false (and changes nothing) when
   * there is none.
   */
  pop(limit: number): boolean {
    const done = this.done;
    for (;;) {
      const src = this.selectFront();
      if (src === SRC_NONE) return false;
      let id: number;
      if (src === SRC_FIFO) {
        if (this.now > limit) return false;
        const slot = this.fHead;
        id = this.fSeq[slot];
        this.fHead = (slot + 1) & this.fMask;
        this.fLen--;
        const w = id >>> 5;
        const bit = 1 << (id & 31);
        if ((done[w] & bit) !== 0) continue;
        done[w] |= bit;
        this.time = this.now;
        this.kind = this.fKind[slot];
        this.a = this.fA[slot];
        this.b = this.fB[slot];
      } else if (src === SRC_HEAP) {
        const t = this.hTime[0];
        if (t > limit) return false;
        id = this.hSeq[0];
        this.time = t;
        this.kind = this.hKind[0];
        this.a = this.hA[0];
        this.b = this.hB[0];
        this.removeTop();
        const w = id >>> 5;
        const bit = 1 << (id & 31);
        if ((done[w] & bit) !== 0) continue;
        done[w] |= bit;
        this.now = t;
      } else {
        const ring = this.lanes[src];
        const slot = ring.head;
        const t = ring.time[slot];
        if (t > limit) return false;
        id = ring.seq[slot];
        ring.head = (slot + 1) & ring.mask;
        ring.len--;
        const w = id >>> 5;
        const bit = 1 << (id & 31);
        if ((done[w] & bit) !== 0) continue;
        done[w] |= bit;
        this.time = t;
        this.kind = ring.kind[slot];
        this.a = ring.a[slot];
        this.b = ring.b[slot];
        this.now = t;
      }
      this.id = id;
      this.live--;
      return true;
    }
  }

  /** Time of the next live event, or +Infinity when none is pending. Drops cancelled entries it meets. */
  peekTime(): number {
    const src = this.dropCancelledFront();
    if (src === SRC_NONE) return Number.POSITIVE_INFINITY;
    if (src === SRC_FIFO) return this.now;
    if (src === SRC_HEAP) return this.hTime[0];
    const ring = this.lanes[src];
    return ring.time[ring.head];
  }

  /** Kind of the next live event, or -1 when none is pending. */
  peekKind(): number {
    const src = this.dropCancelledFront();
    if (src === SRC_NONE) return -1;
    if (src === SRC_FIFO) return this.fKind[this.fHead];
    if (src === SRC_HEAP) return this.hKind[0];
    const ring = this.lanes[src];
    return ring.kind[ring.head];
  }

  /**
   * Moves `now` forward to `t` (used when a run ends at a time limit). Throws if an event is still
   * pending before `t`, which would break the order.
   */
  advanceTo(t: number): void {
    if (t < this.now || Number.isNaN(t)) this.badTime(t);
    if (this.peekTime() < t) {
      throw new EngineError('MXLAB_ENGINE', `cannot advance the clock to ${t}: events are pending before it`);
    }
    this.now = t;
  }

  /**
   * Which source holds the next event in (time, sequence) order: the heap, a lane (its index), the
   * FIFO lane, or none. Heap and lane events at `now` were scheduled before `now` was reached, hence
   * before every FIFO event, so the FIFO runs only when nothing else is due at `now`.
   */
  private selectFront(): number {
    let src = SRC_NONE;
    let bt = Number.POSITIVE_INFINITY;
    if (this.hLen > 0) {
      src = SRC_HEAP;
      bt = this.hTime[0];
    }
    const lanes = this.lanes;
    for (let k = 0; k < lanes.length; k++) {
      const ring = lanes[k];
      if (ring.len === 0) continue;
      const t = ring.time[ring.head];
      if (t < bt || (t === bt && ring.seq[ring.head] < this.seqOf(src))) {
        src = k;
        bt = t;
      }
    }
    if (this.fLen > 0 && !(bt <= this.now)) return SRC_FIFO;
    return src;
  }

  private seqOf(src: number): number {
    if (src === SRC_HEAP) return this.hSeq[0];
    if (src >= 0) {
      const ring = this.lanes[src];
      return ring.seq[ring.head];
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Removes cancelled entries at the front of the order; returns the source of the next live event. */
  private dropCancelledFront(): number {
    const done = this.done;
    for (;;) {
      const src = this.selectFront();
      let id: number;
      if (src === SRC_NONE) return src;
      if (src === SRC_FIFO) id = this.fSeq[this.fHead];
      else if (src === SRC_HEAP) id = this.hSeq[0];
      else id = this.lanes[src].seq[this.lanes[src].head];
      if ((done[id >>> 5] & (1 << (id & 31))) === 0) return src;
      if (src === SRC_FIFO) {
        this.fHead = (this.fHead + 1) & this.fMask;
        this.fLen--;
      } else if (src === SRC_HEAP) this.removeTop();
      else {
        const ring = this.lanes[src];
        ring.head = (ring.head + 1) & ring.mask;
        ring.len--;
      }
    }
  }

  private removeTop(): void {
    const n = --this.hLen;
    if (n === 0) return;
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hKind = this.hKind;
    const hA = this.hA;
    const hB = this.hB;
    const t = hTime[n];
    const s = hSeq[n];
    let i = 0;
    for (;;) {
      const c = 4 * i + 1;
      if (c >= n) break;
      let m = c;
      let mt = hTime[c];
      let ms = hSeq[c];
      const end = c + 4 < n ? c + 4 : n;
      for (let j = c + 1; j < end; j++) {
        const jt = hTime[j];
        if (jt < mt || (jt === mt && hSeq[j] < ms)) {
          m = j;
          mt = jt;
          ms = hSeq[j];
        }
      }
      if (mt > t || (mt === t && ms > s)) break;
      hTime[i] = mt;
      hSeq[i] = ms;
      hKind[i] = hKind[m];
      hA[i] = hA[m];
      hB[i] = hB[m];
      i = m;
    }
    hTime[i] = t;
    hSeq[i] = s;
    hKind[i] = hKind[n];
    hA[i] = hA[n];
    hB[i] = hB[n];
  }

  private growHeap(): void {
    const cap = this.hTime.length * 2;
    this.hTime = grow(this.hTime, new Float64Array(cap));
    this.hSeq = grow(this.hSeq, new Float64Array(cap));
    this.hKind = grow(this.hKind, new Uint16Array(cap));
    this.hA = grow(this.hA, new Float64Array(cap));
    this.hB = grow(this.hB, new Float64Array(cap));
  }

  private growFifo(): void {
    const cap = this.fSeq.length * 2;
    const seq = new Float64Array(cap);
    const kind = new Uint16Array(cap);
    const a = new Float64Array(cap);
    const b = new Float64Array(cap);
    for (let k = 0; k < this.fLen; k++) {
      const slot = (this.fHead + k) & this.fMask;
      seq[k] = this.fSeq[slot];
      kind[k] = this.fKind[slot];
      a[k] = this.fA[slot];
      b[k] = this.fB[slot];
    }
    this.fSeq = seq;
    this.fKind = kind;
    this.fA = a;
    this.fB = b;
    this.fHead = 0;
    this.fMask = cap - 1;
  }

  private growDone(): void {
    this.done = grow(this.done, new Uint32Array(this.done.length * 2));
  }

  private badTime(at: number): never {
    throw new EngineError(
      'MXLAB_ENGINE',
      `event time must be a finite number not before now (${this.now}), got ${at}`,
    );
  }
}

function grow<T extends Float64Array | Uint16Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
