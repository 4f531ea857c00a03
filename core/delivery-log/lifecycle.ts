/**
 * One message lifecycle, three reporting modes (SPEC §8). The events the MTA reports move a message
 * through a mode-independent phase; each mode's log status is a projection of that phase. This is why
 * the legacy, Enhanced MTA and feedback-service (EFS) success curves come from the SAME event stream.
 *
 * | phase      | legacy MTA | Enhanced MTA | EFS                 |
 * | ---        | ---        | ---          | ---                 |
 * | New        | Pending    | Pending      | Pending             |
 * | InFlight   | Pending    | Sent         | Taken into account  |
 * | Delivered  | Sent       | Sent         | Sent                |
 * | Failed     | Failed     | Failed       | Failed              |
 * | Ignored    | Ignored    | Ignored      | Ignored             |
 * | Excluded   | Ignored    | Ignored      | Ignored             |
 * | Cancelled  | Cancelled  | Cancelled    | Cancelled           |
 *
 * Hence, as the SPEC §8 table says: relaying starts Enhanced at 100% and EFS at 0%; a hard bounce
 * lowers Enhanced only; a soft bounce changes no curve; a retry success raises EFS (and legacy) only;
 * validity expiry lowers Enhanced only; an async bounce turns Sent into Failed in every mode.
 */
import { LogStatus, type LogStatusCode } from '../types.ts';

/** The three reporting modes of SPEC §8. */
export type ReportingMode = 'legacy' | 'enhanced' | 'efs';
export const REPORTING_MODES: readonly ReportingMode[] = ['legacy', 'enhanced', 'efs'];

/** Mode-independent lifecycle phase of a message (small integers for typed arrays). */
export const Phase = {
  New: 0,
  InFlight: 1,
  Delivered: 2,
  Failed: 3,
  Ignored: 4,
  Excluded: 5,
  Cancelled: 6,
} as const;
export type PhaseCode = (typeof Phase)[keyof typeof Phase];
export const PHASE_COUNT = 7;

/** What the MTA reports about a message. */
export const LogEvent = {
  /** handed to the MTA (Enhanced/EFS: the relay; legacy: queued) */
  Relayed: 0,
  /** the remote server accepted it (first try, or a retry success) */
  Delivered: 1,
  /** permanent error in the session: fails now */
  HardBounce: 2,
  /** transient error: will be retried */
  SoftBounce: 3,
  /** validity or retries ran out */
  Expired: 4,
  /** a bounce mail or complaint arrived after delivery: Sent becomes Failed */
  AsyncBounce: 5,
  /** permanent error of type Ignored: the message ends as Ignored */
  IgnoredError: 6,
  /** the delivery was stopped (legacy MTA only; an Enhanced delivery cannot be stopped) */
  Cancelled: 7,
} as const;
export type LogEventCode = (typeof LogEvent)[keyof typeof LogEvent];
export const LOG_EVENT_NAMES = [
  'relayed',
  'delivered',
  'hardBounce',
  'softBounce',
  'expired',
  'asyncBounce',
  'ignoredError',
  'cancelled',
] as const;

/** Events that are an SMTP attempt of the message (they bump the attempt counter). */
export function isAttemptEvent(kind: number): boolean {
  return (
    kind === LogEvent.Delivered ||
    kind === LogEvent.HardBounce ||
    kind === LogEvent.SoftBounce ||
    kind === LogEvent.IgnoredError
  );
}

/**
 * The phase after `kind`, or the same phase when the event does not apply (terminal phases ignore
 * everything except an async bounce on a delivered message).
 */
export function nextPhase(phase: number, kind: number): PhaseCode {
  const open = phase === Phase.New || phase === Phase.InFlight;
  switch (kind) {
    case LogEvent.Relayed:
      return phase === Phase.New ? Phase.InFlight : (phase as PhaseCode);
    case LogEvent.SoftBounce:
      return open ? Phase.InFlight : (phase as PhaseCode);
    case LogEvent.Delivered:
      return open ? Phase.Delivered : (phase as PhaseCode);
    case LogEvent.HardBounce:
    case LogEvent.Expired:
      return open ? Phase.Failed : (phase as PhaseCode);
    case LogEvent.AsyncBounce:
      return open || phase === Phase.Delivered ? Phase.Failed : (phase as PhaseCode);
    case LogEvent.IgnoredError:
      return open ? Phase.Ignored : (phase as PhaseCode);
    case LogEvent.Cancelled:
      return open ? Phase.Cancelled : (phase as PhaseCode);
    default:
      throw new RangeError(`delivery log: unknown event kind ${kind}`);
  }
}

const PROJECTION: Readonly<Record<ReportingMode, readonly LogStatusCode[]>> = {
  legacy: [
    LogStatus.Pending,
    LogStatus.Pending,
    LogStatus.Sent,
    LogStatus.Failed,
    LogStatus.Ignored,
    LogStatus.Ignored,
    LogStatus.Cancelled,
  ],
  enhanced: [
    LogStatus.Pending,
    LogStatus.Sent,
    LogStatus.Sent,
    LogStatus.Failed,
    LogStatus.Ignored,
    LogStatus.Ignored,
    LogStatus.Cancelled,
  ],
  efs: [
    LogStatus.Pending,
    LogStatus.TakenIntoAccount,
    LogStatus.Sent,
    LogStatus.Failed,
    LogStatus.Ignored,
    LogStatus.Ignored,
    LogStatus.Cancelled,
  ],
};

/** The log status a mode shows for a phase. */
export function statusOf(mode: ReportingMode, phase: number): LogStatusCode {
  return PROJECTION[mode][phase]!;
}

/** True when the message counts as processed (ready + sent + failed, SPEC §8): not excluded nor cancelled. */
export function isProcessed(phase: number): boolean {
  return phase !== Phase.Excluded && phase !== Phase.Cancelled;
}
