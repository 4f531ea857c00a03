/**
 * Where the MTA reports what happened, as it happens. The run store implements it in a simulation
 * (store/run-sink.ts); a real MTA would write its logs. Each call takes one event with named fields.
 */
import type { InMailKind } from '../inmail/types.ts';
import type { QuarantineEvent } from '../quarantine/index.ts';
import type { Suspension } from '../shaping/index.ts';
import type { Millis, Qualification, SmtpPhase } from '../types.ts';
import type { MatchByCode } from './async-match.ts';

/**
 * Final outcome of one attempt: accepted, retried later, failed for good, or failed because validity
 * ran out (run store `attempts.outcome`, in this order).
 */
export const ATTEMPT_OUTCOMES = ['delivered', 'retry', 'failed', 'expired'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * One SMTP attempt (or DNS failure). The MTA fills one object again for every attempt (no object per
 * attempt on the hot path): a sink reads it during the call and copies what it keeps.
 */
export interface AttemptEvent {
  t: Millis;
  deliveryId: number;
  recipientId: number;
  /** 1 for the first try */
  attempt: number;
  domain: string;
  localIp: string | null;
  mxIp: string | null;
  phase: SmtpPhase;
  code: number | null;
  enhanced: string | null;
  text: string;
  /** null when delivered */
  q: Qualification | null;
  outcome: AttemptOutcome;
}

/** One async mail result read by inMail (bounce, complaint, auto-reply), and the message it matched. */
export interface InmailEvent {
  t: Millis;
  recipient: string;
  kind: InMailKind;
  q: Qualification;
  /** DSN status code */
  status: string | null;
  text: string;
  /** how it was matched to its message (core/mta/async-match.ts `MatchBy`; 0: unmatched) */
  matchedBy: MatchByCode;
  /** the matched message's delivery and recipient, null when unmatched */
  deliveryId: number | null;
  recipientId: number | null;
}

/** Sends of one throughput slice, domain and local IP ('' when none). */
export interface ThroughputEvent {
  sliceMs: Millis;
  domain: string;
  localIp: string;
  attempts: number;
  delivered: number;
  deferred: number;
  failed: number;
}

export interface MtaSink {
  /** `e` is reused by the MTA for the next attempt: read it now, keep a copy if needed */
  attempt(e: Readonly<AttemptEvent>): void;
  inmail(e: InmailEvent): void;
  quarantine(e: QuarantineEvent): void;
  /** a shaping decision; called again with the same `s.id` when it is extended or cancelled (the last call holds) */
  suspension(s: Suspension): void;
  throughput(e: ThroughputEvent): void;
}

/** A sink that drops everything (benchmarks, tests that only read the MTA's own state). */
export const NULL_SINK: MtaSink = {
  attempt() {},
  inmail() {},
  quarantine() {},
  suspension() {},
  throughput() {},
};
