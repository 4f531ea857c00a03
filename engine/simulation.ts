/**
 * The discrete-event run loop: a virtual clock, integer-coded events and one handler per kind.
 *
 * Contract:
 * - Events run in (time, scheduling sequence) order; same-time events run in the order they were
 *   scheduled, including events scheduled from inside handlers. The same schedule gives the same
 *   run, every time.
 * - Virtual time only moves between events; a handler sees `now` equal to its event's time and may
 *   schedule at `now` or later, never earlier.
 * - `runUntil` / `runUntilIdle` are the synchronous fast path: handlers must not return promises
 *   (an `EngineError` says so if one does). `runAsyncUntil` / `runAsyncUntilIdle` accept handlers
 *   that return promises (real SMTP or DNS I/O in wire mode) and await them without moving virtual
 *   time; a handler that returns nothing costs no microtask there either.
 * - A kind registered with {@link Simulation.onConcurrent} is a two-phase step: consecutive
 *   same-time events of concurrent kinds (up to `maxConcurrency`) have their `start` called in
 *   sequence order, their promises complete in any order (in parallel), and their `commit` runs in
 *   sequence order, each as soon as it and all earlier ones of the batch are done. Only `commit`
 *   should change shared model state or schedule events that depend on the result, so the observable
 *   run is the same whatever order the I/O completes in. `start` must not read state that a commit
 *   of the same batch changes.
 * - Handlers throwing (or promises rejecting) abort the run with that error; in a concurrent batch
 *   the remaining steps are awaited first and the error of the earliest step is thrown.
 * - Code outside handlers (a server callback firing during an await) may schedule events, but their
 *   place in the order then depends on real timing; to stay reproducible, carry such results through
 *   a concurrent step's `commit` (or a handler's awaited promise) instead.
 */
import { EngineError } from './errors.ts';
import { EventQueue, MAX_KIND } from './event-queue.ts';

/** A handler for one event kind: receives the event's two payload slots. */
export type EventHandler = (a: number, b: number) => void | Promise<void>;

/** A two-phase handler whose `start` may run concurrently with other same-time steps. */
export interface ConcurrentHandler<T> {
  /** begins the step (e.g. sends over SMTP); called in sequence order */
  start(a: number, b: number): T | Promise<T>;
  /** applies the result; called in sequence order after this and all earlier steps of the batch finished */
  commit(result: T, a: number, b: number): void;
}

/** What a progress hook receives. The object is reused between calls: copy what you keep. */
export interface ProgressInfo {
  /** events processed since the simulation was created */
  events: number;
  /** virtual time */
  now: number;
  /** pending events */
  pending: number;
  /** wall-clock ms since the current run call started */
  wallMs: number;
  /** true on the call made when a run call returns */
  done: boolean;
}

/** Progress reporting: every `everyEvents` events and/or every `everyWallMs` of wall time. */
export interface ProgressOptions {
  /** call every this many events (default: 100,000 when `everyWallMs` is not set) */
  everyEvents?: number;
  /** call when at least this much wall time passed since the last call (checked every 4,096 events) */
  everyWallMs?: number;
  onProgress(info: ProgressInfo): void;
}

/** Called before each event's handler; costs nothing when not set. */
export type TraceHook = (time: number, kind: number, a: number, b: number, id: number) => void;

/** Options of a {@link Simulation}. */
export interface SimulationOptions {
  /** starting capacity of the event arrays (they double when full); default 1,024 */
  initialCapacity?: number;
  /** maximum steps of one concurrent batch (async runs); default 256 */
  maxConcurrency?: number;
  progress?: ProgressOptions;
  trace?: TraceHook;
}

/** Why a run call returned. */
export type RunEnd = 'idle' | 'until' | 'stopped';

interface Settled {
  ok: boolean;
  value: unknown;
}

const WALL_CHECK_EVERY = 4096;

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

/** A discrete-event simulation: clock, event queue, handlers and the run loops. */
export class Simulation {
  /** A core-compatible clock (`now(): number`) reading this simulation's virtual time. */
  readonly clock: { now(): number };
  private readonly queue: EventQueue;
  private readonly handlers: (EventHandler | undefined)[] = [];
  private readonly concurrent: (ConcurrentHandler<unknown> | undefined)[] = [];
  private readonly maxConcurrency: number;
  private traceHook: TraceHook | undefined;
  private readonly progress: ProgressOptions | undefined;
  private readonly progressEvery: number;
  private readonly progressInfo: ProgressInfo = { events: 0, now: 0, pending: 0, wallMs: 0, done: false };
  private nextProgressAt: number;
  private lastProgressWall = 0;
  private lastProgressEvents = 0;
  private runStartWall = 0;
  private processed = 0;
  private stopRequested = false;
  private running = false;

  constructor(options: SimulationOptions = {}) {
    this.queue = new EventQueue(options.initialCapacity ?? 1024);
    this.maxConcurrency = options.maxConcurrency ?? 256;
    if (!(this.maxConcurrency >= 1)) {
      throw new EngineError('MXLAB_ENGINE', `maxConcurrency must be >= 1, got ${options.maxConcurrency}`);
    }
    this.traceHook = options.trace;
    this.progress = options.progress;
    const p = options.progress;
    if (p === undefined) this.progressEvery = Number.POSITIVE_INFINITY;
    else if (p.everyWallMs !== undefined)
      this.progressEvery = Math.min(p.everyEvents ?? WALL_CHECK_EVERY, WALL_CHECK_EVERY);
    else this.progressEvery = p.everyEvents ?? 100_000;
    if (!(this.progressEvery >= 1)) {
      throw new EngineError('MXLAB_ENGINE', `progress.everyEvents must be >= 1, got ${p?.everyEvents}`);
    }
    this.nextProgressAt = this.progressEvery;
    this.clock = { now: () => this.queue.now };
  }

  /** Current virtual time (ms by convention). */
  get now(): number {
    return this.queue.now;
  }

  /** Number of pending (not cancelled) events. */
  get pending(): number {
    return this.queue.size;
  }

  /** Events processed since creation. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Registers the handler of `kind` (one per kind; registering again replaces it). */
  on(kind: number, handler: EventHandler): this {
    this.checkKind(kind);
    this.handlers[kind] = handler;
    this.concurrent[kind] = undefined;
    return this;
  }

  /**
   * Registers a two-phase handler for `kind`: in async runs same-time steps of concurrent kinds run
   * their `start` concurrently and `commit` in sequence order. In sync runs `start` must not return
   * a promise and `commit` follows it immediately.
   */
  onConcurrent<T>(kind: number, handler: ConcurrentHandler<T>): this {
    this.checkKind(kind);
    const h = handler as ConcurrentHandler<unknown>;
    this.concurrent[kind] = h;
    this.handlers[kind] = (a, b) => {
      const r = h.start(a, b);
      if (isPromiseLike(r)) this.promiseInSync(kind);
      h.commit(r, a, b);
    };
    return this;
  }

  /** Schedules an event at absolute time `at` (>= now) and returns its id. */
  schedule(at: number, kind: number, a = 0, b = 0): number {
    return this.queue.push(at, kind, a, b);
  }

  /** Schedules an event `delay` (>= 0) after now and returns its id. */
  after(delay: number, kind: number, a = 0, b = 0): number {
    if (!(delay >= 0)) throw new EngineError('MXLAB_ENGINE', `delay must be a number >= 0, got ${delay}`);
    return this.queue.push(this.queue.now + delay, kind, a, b);
  }

  /**
   * Creates a fixed-delay lane and returns its handle for {@link afterFixed}. Events on a lane skip
   * the heap (their times are already in order), which keeps the heap small when many events wait a
   * fixed delay, e.g. "retry in one hour". Ordering with all other events is unchanged.
   */
  fixedDelay(delay: number): number {
    return this.queue.addLane(delay);
  }

  /** Schedules an event the lane's fixed delay after now (see {@link fixedDelay}) and returns its id. */
  afterFixed(lane: number, kind: number, a = 0, b = 0): number {
    return this.queue.pushLane(lane, kind, a, b);
  }

  /** Cancels a pending event; false when it already fired, was cancelled or never existed. */
  cancel(id: number): boolean {
    return this.queue.cancel(id);
  }

  /** True when the event `id` is still pending. */
  isPending(id: number): boolean {
    return this.queue.isPending(id);
  }

  /** Time of the next pending event, or +Infinity. */
  nextEventTime(): number {
    return this.queue.peekTime();
  }

  /** Sets or clears the per-event trace hook. */
  setTrace(hook: TraceHook | undefined): void {
    this.traceHook = hook;
  }

  /** Asks the running loop to return after the current event (or batch). */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Runs every event with time <= `until` synchronously, then sets the clock to `until` (unless
   * stopped). Returns why it returned.
   */
  runUntil(until: number): RunEnd {
    this.beginRun(until);
    try {
      const q = this.queue;
      const handlers = this.handlers;
      while (!this.stopRequested && q.pop(until)) {
        const kind = q.kind;
        const a = q.a;
        const b = q.b;
        this.processed++;
        if (this.traceHook !== undefined) this.traceHook(q.time, kind, a, b, q.id);
        const h = handlers[kind];
        if (h === undefined) this.missingHandler(kind);
        const r = h(a, b);
        if (r !== undefined && isPromiseLike(r)) this.promiseInSync(kind);
        if (this.processed >= this.nextProgressAt) this.progressTick(false);
      }
      return this.endRun(until);
    } finally {
      this.running = false;
    }
  }

  /** Runs synchronously until no event is pending (or `stop()`). */
  runUntilIdle(): RunEnd {
    return this.runUntil(Number.POSITIVE_INFINITY);
  }

  /** Like {@link runUntil} but awaits handlers that return promises, and runs concurrent batches. */
  async runAsyncUntil(until: number): Promise<RunEnd> {
    this.beginRun(until);
    try {
      const q = this.queue;
      const handlers = this.handlers;
      while (!this.stopRequested && q.pop(until)) {
        const kind = q.kind;
        const a = q.a;
        const b = q.b;
        this.processed++;
        if (this.traceHook !== undefined) this.traceHook(q.time, kind, a, b, q.id);
        const c = this.concurrent[kind];
        if (c !== undefined) {
          await this.runBatch(c, a, b, until);
        } else {
          const h = handlers[kind];
          if (h === undefined) this.missingHandler(kind);
          const r = h(a, b);
          if (r !== undefined && isPromiseLike(r)) await r;
        }
        if (this.processed >= this.nextProgressAt) this.progressTick(false);
      }
      return this.endRun(until);
    } finally {
      this.running = false;
    }
  }

  /** Runs asynchronously until no event is pending (or `stop()`). */
  runAsyncUntilIdle(): Promise<RunEnd> {
    return this.runAsyncUntil(Number.POSITIVE_INFINITY);
  }

  /** Starts the popped step and every following same-time concurrent step, then commits in order. */
  private async runBatch(
    first: ConcurrentHandler<unknown>,
    a0: number,
    b0: number,
    until: number,
  ): Promise<void> {
    const q = this.queue;
    const steps: { h: ConcurrentHandler<unknown>; a: number; b: number; done: Promise<Settled> }[] = [];
    const begin = (h: ConcurrentHandler<unknown>, a: number, b: number): boolean => {
      let done: Promise<Settled>;
      let ok = true;
      try {
        const r = h.start(a, b);
        done = isPromiseLike(r)
          ? Promise.resolve(r).then(
              (value) => ({ ok: true, value }),
              (value: unknown) => ({ ok: false, value }),
            )
          : Promise.resolve({ ok: true, value: r });
      } catch (e) {
        done = Promise.resolve({ ok: false, value: e });
        ok = false;
      }
      steps.push({ h, a, b, done });
      return ok;
    };
    let ok = begin(first, a0, b0);
    const now = q.now;
    while (ok && !this.stopRequested && steps.length < this.maxConcurrency && q.peekTime() === now) {
      const c = this.concurrent[q.peekKind()];
      if (c === undefined || !q.pop(until)) break;
      this.processed++;
      if (this.traceHook !== undefined) this.traceHook(q.time, q.kind, q.a, q.b, q.id);
      ok = begin(c, q.a, q.b);
    }
    let error: Settled | undefined;
    for (const s of steps) {
      const r = await s.done;
      if (error !== undefined) continue;
      if (!r.ok) {
        error = r;
        continue;
      }
      try {
        s.h.commit(r.value, s.a, s.b);
      } catch (e) {
        error = { ok: false, value: e };
      }
    }
    if (error !== undefined) throw error.value;
  }

  private beginRun(until: number): void {
    if (this.running)
      throw new EngineError('MXLAB_ENGINE', 'the simulation is already running (re-entrant run call)');
    if (Number.isNaN(until) || until < this.queue.now) {
      throw new EngineError(
        'MXLAB_ENGINE',
        `cannot run until ${until}: it is before now (${this.queue.now})`,
      );
    }
    this.running = true;
    this.stopRequested = false;
    if (this.progress !== undefined) {
      this.runStartWall = performance.now();
      this.lastProgressWall = this.runStartWall;
    }
  }

  private endRun(until: number): RunEnd {
    let end: RunEnd;
    if (this.stopRequested) end = 'stopped';
    else if (until === Number.POSITIVE_INFINITY) end = 'idle';
    else {
      this.queue.advanceTo(until);
      end = this.queue.size === 0 ? 'idle' : 'until';
    }
    this.stopRequested = false;
    if (this.progress !== undefined) this.progressTick(true);
    return end;
  }

  private progressTick(done: boolean): void {
    const p = this.progress;
    this.nextProgressAt = this.processed + this.progressEvery;
    if (p === undefined) return;
    const wall = performance.now();
    const byEvents = p.everyEvents !== undefined && this.processed - this.lastProgressEvents >= p.everyEvents;
    const byWall = p.everyWallMs !== undefined && wall - this.lastProgressWall >= p.everyWallMs;
    if (!done && !byEvents && !byWall && !(p.everyEvents === undefined && p.everyWallMs === undefined))
      return;
    this.lastProgressWall = wall;
    this.lastProgressEvents = this.processed;
    const info = this.progressInfo;
    info.events = this.processed;
    info.now = this.queue.now;
    info.pending = this.queue.size;
    info.wallMs = wall - this.runStartWall;
    info.done = done;
    p.onProgress(info);
  }

  private checkKind(kind: number): void {
    if (kind >>> 0 !== kind || kind > MAX_KIND) {
      throw new EngineError('MXLAB_ENGINE', `event kind must be an integer in 0..${MAX_KIND}, got ${kind}`);
    }
  }

  private missingHandler(kind: number): never {
    throw new EngineError(
      'MXLAB_ENGINE',
      `no handler registered for event kind ${kind} (at time ${this.queue.now})`,
    );
  }

  private promiseInSync(kind: number): never {
    throw new EngineError(
      'MXLAB_ENGINE',
      `the handler of kind ${kind} returned a promise during a synchronous run: use runAsyncUntil/runAsyncUntilIdle`,
    );
  }
}
