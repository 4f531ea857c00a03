/**
 * The delivery log (SPEC §8): one row per (delivery, recipient) message, in typed arrays indexed by a
 * dense message id, growable. It applies the MTA's events ({@link LogEvent}) through the shared
 * lifecycle, so its status column is the projection of the run's reporting mode.
 */
import { StringInterner } from '../quarantine/interner.ts';
import { type FailureType, type LogStatusCode, type Millis, Reason } from '../types.ts';
import {
  isAttemptEvent,
  nextPhase,
  Phase,
  type PhaseCode,
  type ReportingMode,
  statusOf,
} from './lifecycle.ts';

const TYPES: readonly (FailureType | null)[] = [null, 'hard', 'soft', 'ignored', 'undefined'];
const TYPE_CODE: Readonly<Record<FailureType, number>> = { hard: 1, soft: 2, ignored: 3, undefined: 4 };
/** SPEC §3: exclusions 7, 8, 9 are Hard, the others Ignored. */
const HARD_EXCLUSIONS = new Set<number>([Reason.AddressNotSpecified, Reason.Denylisted, Reason.Quarantined]);

/** The qualification part a log row keeps. */
export interface LogQualification {
  type: FailureType;
  reason: number;
}

/** One row for export (run store `delivery_log`). */
export interface DeliveryLogRow {
  messageId: number;
  deliveryId: number;
  recipientId: number;
  status: LogStatusCode;
  phase: PhaseCode;
  type: FailureType | null;
  reason: number | null;
  excluded: boolean;
  text: string | null;
  attempts: number;
  firstAttemptMs: Millis | null;
  lastAttemptMs: Millis | null;
  deliveredMs: Millis | null;
}

/** The delivery log of a run (all deliveries), in one reporting mode. */
export class DeliveryLog {
  private readonly texts = new StringInterner();
  private n = 0;
  private cap = 0;
  private phaseArr = new Uint8Array(0);
  private typeArr = new Uint8Array(0);
  private reasonArr = new Int16Array(0);
  private textArr = new Int32Array(0);
  private attemptArr = new Uint16Array(0);
  private firstArr = new Float64Array(0);
  private lastArr = new Float64Array(0);
  private deliveredArr = new Float64Array(0);
  private deliveryArr = new Int32Array(0);
  private recipientArr = new Int32Array(0);

  constructor(
    readonly mode: ReportingMode = 'legacy',
    initialCapacity = 1024,
  ) {
    this.grow(Math.max(16, initialCapacity));
  }

  /** Number of messages (ids are 0..size-1). */
  get size(): number {
    return this.n;
  }

  /** Adds a Pending message; returns its id. */
  add(deliveryId: number, recipientId: number): number {
    if (this.n === this.cap) this.grow(this.cap * 2);
    const id = this.n++;
    this.deliveryArr[id] = deliveryId;
    this.recipientArr[id] = recipientId;
    return id;
  }

  /** Marks a message excluded at preparation with its reason (SPEC §3); it is never sent. */
  exclude(id: number, reason: number): void {
    this.check(id);
    if (this.phaseArr[id] !== Phase.New)
      throw new Error(`delivery log: message ${id}: cannot exclude a message already ${this.phaseArr[id]}`);
    this.phaseArr[id] = Phase.Excluded;
    this.reasonArr[id] = reason;
    this.typeArr[id] = HARD_EXCLUSIONS.has(reason) ? TYPE_CODE.hard : TYPE_CODE.ignored;
  }

  /**
   * Applies one MTA event at `t`. `q` and `text` are the reply's qualification and text (null for
   * Relayed/Delivered without text). Returns false when the event does not apply (terminal message).
   */
  apply(
    id: number,
    kind: number,
    t: Millis,
    q: LogQualification | null = null,
    text: string | null = null,
  ): boolean {
    this.check(id);
    const from = this.phaseArr[id]!;
    const to = nextPhase(from, kind);
    const relevant = to !== from || from === Phase.InFlight || from === Phase.New;
    if (!relevant) return false;
    this.phaseArr[id] = to;
    if (isAttemptEvent(kind)) {
      if (this.attemptArr[id]! < 65535) this.attemptArr[id]!++;
      if (Number.isNaN(this.firstArr[id]!)) this.firstArr[id] = t;
      this.lastArr[id] = t;
    }
    if (to === Phase.Delivered && from !== Phase.Delivered) {
      this.deliveredArr[id] = t;
      this.typeArr[id] = 0;
      this.reasonArr[id] = -1;
    } else if (q !== null) {
      this.typeArr[id] = TYPE_CODE[q.type];
      this.reasonArr[id] = q.reason;
    }
    if (text !== null) this.textArr[id] = this.texts.idOf(text);
    return true;
  }

  /** Phase of a message. */
  phase(id: number): PhaseCode {
    return this.phaseArr[id] as PhaseCode;
  }

  /** Status in this log's mode, or in another mode of the same lifecycle. */
  status(id: number, mode: ReportingMode = this.mode): LogStatusCode {
    return statusOf(mode, this.phaseArr[id]!);
  }

  /** Last reason, or null. */
  reason(id: number): number | null {
    const r = this.reasonArr[id]!;
    return r < 0 ? null : r;
  }

  /** Recipient of a message (no allocation, unlike {@link DeliveryLog.row}). */
  recipientId(id: number): number {
    return this.recipientArr[id]!;
  }

  /** Delivery of a message. */
  deliveryId(id: number): number {
    return this.deliveryArr[id]!;
  }

  /** Last remote text of a message, or null. */
  text(id: number): string | null {
    const x = this.textArr[id]!;
    return x < 0 ? null : this.texts.valueOf(x);
  }

  /** Attempts made. */
  attempts(id: number): number {
    return this.attemptArr[id]!;
  }

  /** Failure type of the last qualification (null when none or delivered); no allocation. */
  type(id: number): FailureType | null {
    return TYPES[this.typeArr[id]!] ?? null;
  }

  /** True when the message was excluded at preparation. */
  excluded(id: number): boolean {
    return this.phaseArr[id] === Phase.Excluded;
  }

  /** Time of the first attempt, or null. */
  firstAttemptMs(id: number): Millis | null {
    return nullable(this.firstArr[id]!);
  }

  /** Time of the last attempt, or null. */
  lastAttemptMs(id: number): Millis | null {
    return nullable(this.lastArr[id]!);
  }

  /** Time of delivery, or null. */
  deliveredMs(id: number): Millis | null {
    return nullable(this.deliveredArr[id]!);
  }

  /** The row of a message for export. */
  row(id: number, mode: ReportingMode = this.mode): DeliveryLogRow {
    this.check(id);
    const phase = this.phaseArr[id] as PhaseCode;
    return {
      messageId: id,
      deliveryId: this.deliveryArr[id]!,
      recipientId: this.recipientArr[id]!,
      status: statusOf(mode, phase),
      phase,
      type: TYPES[this.typeArr[id]!] ?? null,
      reason: this.reason(id),
      excluded: phase === Phase.Excluded,
      text: this.textArr[id]! < 0 ? null : this.texts.valueOf(this.textArr[id]!),
      attempts: this.attemptArr[id]!,
      firstAttemptMs: nullable(this.firstArr[id]!),
      lastAttemptMs: nullable(this.lastArr[id]!),
      deliveredMs: nullable(this.deliveredArr[id]!),
    };
  }

  /** Every row in id order. */
  *rows(mode: ReportingMode = this.mode): Generator<DeliveryLogRow> {
    for (let id = 0; id < this.n; id++) yield this.row(id, mode);
  }

  private check(id: number): void {
    if (!(id >= 0 && id < this.n && Number.isInteger(id)))
      throw new RangeError(`delivery log: unknown message id ${id}`);
  }

  private grow(cap: number): void {
    const g = <T extends Uint8Array | Int16Array | Int32Array | Uint16Array | Float64Array>(
      a: T,
      b: T,
      fill?: number,
    ): T => {
      if (fill !== undefined) b.fill(fill);
      b.set(a as never);
      return b;
    };
    this.phaseArr = g(this.phaseArr, new Uint8Array(cap));
    this.typeArr = g(this.typeArr, new Uint8Array(cap));
    this.reasonArr = g(this.reasonArr, new Int16Array(cap), -1);
    this.textArr = g(this.textArr, new Int32Array(cap), -1);
    this.attemptArr = g(this.attemptArr, new Uint16Array(cap));
    this.firstArr = g(this.firstArr, new Float64Array(cap), Number.NaN);
    this.lastArr = g(this.lastArr, new Float64Array(cap), Number.NaN);
    this.deliveredArr = g(this.deliveredArr, new Float64Array(cap), Number.NaN);
    this.deliveryArr = g(this.deliveryArr, new Int32Array(cap));
    this.recipientArr = g(this.recipientArr, new Int32Array(cap));
    this.cap = cap;
  }
}

function nullable(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
