/** Delivery KPIs of SPEC §8, computed over a delivery log in any of the three reporting modes. */
import { z } from 'zod';
import { LogStatus, Reason } from '../types.ts';
import type { DeliveryLog } from './delivery-log.ts';
import { isProcessed, Phase, type ReportingMode } from './lifecycle.ts';

/** Which Failed reasons count as what. */
export interface KpiSettings {
  hardReasons: readonly number[];
  softReasons: readonly number[];
  complaintReasons: readonly number[];
}

/** SPEC §8: hard = Failed with reason 1; soft = 2, 3, 4, 5, 6, 20; complaints = Failed with reason 8. */
export const DEFAULT_KPI_SETTINGS: Readonly<KpiSettings> = Object.freeze({
  hardReasons: [Reason.UserUnknown],
  softReasons: [
    Reason.InvalidDomain,
    Reason.Unreachable,
    Reason.AccountDisabled,
    Reason.MailboxFull,
    Reason.NotConnected,
    Reason.Refused,
  ],
  complaintReasons: [Reason.Denylisted],
});

const reasons = z.array(z.number().int().min(0).max(255));
/** Zod schema of a partial override, as a scenario or report config writes it. */
export const kpiSettingsSchema = z
  .object({
    hardReasons: reasons.optional(),
    softReasons: reasons.optional(),
    complaintReasons: reasons.optional(),
  })
  .strict();

/** The KPIs of one log in one mode. */
export interface DeliveryKpis {
  mode: ReportingMode;
  /** ready + sent + failed (SPEC §8): every message not excluded nor cancelled */
  processed: number;
  /** Pending in this mode */
  ready: number;
  takenIntoAccount: number;
  sent: number;
  failed: number;
  ignored: number;
  excluded: number;
  cancelled: number;
  hardBounces: number;
  softBounces: number;
  complaints: number;
  /** sent / processed x 100, null when nothing is processed */
  successPct: number | null;
  /** exclusions at preparation by reason */
  excludedByReason: Record<number, number>;
}

/** Computes the KPIs of `log` as `mode` reports them (default: the log's own mode). */
export function computeKpis(
  log: DeliveryLog,
  mode: ReportingMode = log.mode,
  settings: Partial<KpiSettings> = {},
): DeliveryKpis {
  const s = { ...DEFAULT_KPI_SETTINGS, ...settings };
  const hard = new Set(s.hardReasons);
  const soft = new Set(s.softReasons);
  const complaint = new Set(s.complaintReasons);
  const k: DeliveryKpis = {
    mode,
    processed: 0,
    ready: 0,
    takenIntoAccount: 0,
    sent: 0,
    failed: 0,
    ignored: 0,
    excluded: 0,
    cancelled: 0,
    hardBounces: 0,
    softBounces: 0,
    complaints: 0,
    successPct: null,
    excludedByReason: {},
  };
  for (let id = 0; id < log.size; id++) {
    const phase = log.phase(id);
    if (isProcessed(phase)) k.processed++;
    if (phase === Phase.Excluded) {
      k.excluded++;
      const r = log.reason(id) ?? -1;
      k.excludedByReason[r] = (k.excludedByReason[r] ?? 0) + 1;
      continue;
    }
    switch (log.status(id, mode)) {
      case LogStatus.Pending:
        k.ready++;
        break;
      case LogStatus.TakenIntoAccount:
        k.takenIntoAccount++;
        break;
      case LogStatus.Sent:
        k.sent++;
        break;
      case LogStatus.Ignored:
        k.ignored++;
        break;
      case LogStatus.Cancelled:
        k.cancelled++;
        break;
      case LogStatus.Failed: {
        k.failed++;
        const r = log.reason(id);
        if (r !== null && hard.has(r)) k.hardBounces++;
        if (r !== null && soft.has(r)) k.softBounces++;
        if (r !== null && complaint.has(r)) k.complaints++;
        break;
      }
    }
  }
  k.successPct = k.processed === 0 ? null : (100 * k.sent) / k.processed;
  return k;
}
