/**
 * Where the MTA reports what happened, as it happens. The run store implements it in a simulation;
 * a real MTA would write its logs. Positional arguments, no object per call on the hot path.
 */
import type { QuarantineEvent } from '../quarantine/index.ts';
import type { Suspension } from '../shaping/index.ts';
import type { Millis, Qualification, SmtpPhase } from '../types.ts';

/** Final outcome of one attempt: accepted, retried later, failed for good, or failed because validity ran out. */
export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'expired';

export interface MtaSink {
  attempt(
    t: Millis,
    deliveryId: number,
    recipientId: number,
    attempt: number,
    domain: string,
    localIp: string | null,
    mxIp: string | null,
    phase: SmtpPhase,
    code: number | null,
    enhanced: string | null,
    text: string,
    q: Qualification | null,
    outcome: AttemptOutcome,
  ): void;
  inmail(
    t: Millis,
    recipient: string,
    kind: string,
    q: Qualification,
    status: string | null,
    text: string,
    /** how it was matched to its message (core/mta/async-match.ts `MatchBy`; 0: unmatched) */
    matchedBy: number,
    /** the matched message's delivery and recipient, null when unmatched */
    deliveryId: number | null,
    recipientId: number | null,
  ): void;
  quarantine(e: QuarantineEvent): void;
  /** a shaping decision; called again with the same `s.id` when it is extended or cancelled (the last call holds) */
  suspension(s: Suspension): void;
  throughput(
    sliceMs: Millis,
    domain: string,
    localIp: string,
    attempts: number,
    delivered: number,
    deferred: number,
    failed: number,
  ): void;
}

/** A sink that drops everything (benchmarks, tests that only read the MTA's own state). */
export const NULL_SINK: MtaSink = {
  attempt() {},
  inmail() {},
  quarantine() {},
  suspension() {},
  throughput() {},
};
