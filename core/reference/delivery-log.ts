/**
 * Reference delivery log (SPEC §8): one plain object per (delivery, recipient), its status in each of
 * the three reporting modes, and the success KPIs.
 */
import type { FailureType } from '../types.ts';

export type RefMode = 'legacy' | 'enhanced' | 'efs';
export const REF_MODES: RefMode[] = ['legacy', 'enhanced', 'efs'];

/** Where a message is, whatever the reporting mode. */
export type RefPhase = 'queued' | 'delivered' | 'failed' | 'ignored' | 'excluded';

export interface RefMessage {
  /** the message's number in the log (0-based, in the order messages are prepared) */
  no: number;
  deliveryId: number;
  recipientId: number;
  address: string;
  domain: string;
  phase: RefPhase;
  type: FailureType | null;
  reason: number | null;
  /** last remote error text (an acceptance leaves it as it was) */
  text: string | null;
  attempts: number;
  firstAttemptMs: number | null;
  lastAttemptMs: number | null;
  deliveredMs: number | null;
  startAt: number;
  /** start + validity: the last moment a retry may happen */
  deadline: number;
  /** interval of the retry now scheduled (the "normal backoff" of SPEC §4) */
  backoffMs: number;
  /** its last try before the deadline is planned (SPEC §4: it stays in play until validity ends) */
  lastTry: boolean;
}

export type RefLogStatus = 'pending' | 'sent' | 'failed' | 'ignored' | 'takenIntoAccount';

/**
 * The status a mode shows (SPEC §8 table). Legacy: "Sent when the remote server accepts it"; before
 * that Pending. Enhanced: relayed to the MTA is Sent until a hard bounce or validity makes it Failed.
 * EFS: relayed is "Taken into account by the service provider" until a retry succeeds (Sent) or it
 * fails. Exclusions at preparation show as Ignored in every mode.
 */
export function statusIn(mode: RefMode, m: RefMessage): RefLogStatus {
  switch (m.phase) {
    case 'excluded':
    case 'ignored':
      return 'ignored';
    case 'delivered':
      return 'sent';
    case 'failed':
      return 'failed';
    case 'queued':
      return mode === 'legacy' ? 'pending' : mode === 'enhanced' ? 'sent' : 'takenIntoAccount';
  }
}

export interface RefKpis {
  /** "processed = ready + sent + failed": every message not excluded at preparation */
  processed: number;
  /** success per mode (0..1): Sent / processed; EFS: accepted / processed */
  success: Record<RefMode, number>;
  hardBounces: Record<RefMode, number>;
  softBounces: Record<RefMode, number>;
}

/** "hard bounces = Failed with reason 1; soft bounces = reasons 2, 3, 4, 5, 6, 20". */
export function kpis(messages: RefMessage[]): RefKpis {
  const processed = messages.filter((m) => m.phase !== 'excluded');
  const out: RefKpis = {
    processed: processed.length,
    success: { legacy: 0, enhanced: 0, efs: 0 },
    hardBounces: { legacy: 0, enhanced: 0, efs: 0 },
    softBounces: { legacy: 0, enhanced: 0, efs: 0 },
  };
  for (const mode of REF_MODES) {
    // EFS: "a retry succeeds: goes up", "hard bounce comes back: unchanged": it counts acceptances
    const sent = processed.filter((m) =>
      mode === 'efs' ? m.deliveredMs !== null : statusIn(mode, m) === 'sent',
    ).length;
    out.success[mode] = processed.length === 0 ? 0 : sent / processed.length;
    const failed = processed.filter((m) => statusIn(mode, m) === 'failed');
    out.hardBounces[mode] = failed.filter((m) => m.reason === 1).length;
    out.softBounces[mode] = failed.filter((m) => [2, 3, 4, 5, 6, 20].includes(m.reason ?? -1)).length;
  }
  return out;
}
