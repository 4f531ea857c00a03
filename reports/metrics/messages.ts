/**
 * Message counts from the delivery log: every row (delivery x recipient) is in exactly one class,
 * excluded, delivered, failed, cancelled (an operator stopped its delivery) or pending (see
 * MESSAGE_CLASS), with breakdowns by reason and type.
 */
import { reasonName as nameOfReason } from '../../core/types.ts';
import { MESSAGE_CLASS } from '../sql.ts';
import { num, type ReportStore, rows } from '../store-port.ts';

export interface ReasonCount {
  reason: number | null;
  name: string;
  count: number;
}

export interface MessageCounts {
  targeted: number;
  excluded: { total: number; byReason: ReasonCount[] };
  delivered: number;
  failed: { total: number; byType: Record<string, number>; byReason: ReasonCount[] };
  pending: number;
  /** Delivery cancelled by an operator's stop (issue #24); absent when none, so summaries keep their bytes */
  cancelled?: number;
}

/** Name of a reason value for reports. */
export function reasonName(reason: number | null): string {
  return reason === null ? 'none' : nameOfReason(reason);
}

/** Counts of the run's messages. */
export async function messageCounts(store: ReportStore): Promise<MessageCounts> {
  const r = await rows<{ c: string; type: string | null; reason: number | null; n: number }>(
    store,
    `SELECT ${MESSAGE_CLASS} AS c, type, reason, count(*) AS n FROM delivery_log GROUP BY ALL
     ORDER BY c, type NULLS LAST, reason NULLS LAST`,
  );
  const out: MessageCounts = {
    targeted: 0,
    excluded: { total: 0, byReason: [] },
    delivered: 0,
    failed: { total: 0, byType: {}, byReason: [] },
    pending: 0,
  };
  const exReasons = new Map<number | null, number>();
  const failReasons = new Map<number | null, number>();
  for (const x of r) {
    const n = num(x.n);
    out.targeted += n;
    if (x.c === 'excluded') {
      out.excluded.total += n;
      exReasons.set(x.reason, (exReasons.get(x.reason) ?? 0) + n);
    } else if (x.c === 'failed') {
      out.failed.total += n;
      const type = x.type ?? 'none';
      out.failed.byType[type] = (out.failed.byType[type] ?? 0) + n;
      failReasons.set(x.reason, (failReasons.get(x.reason) ?? 0) + n);
    } else if (x.c === 'delivered') out.delivered += n;
    else if (x.c === 'cancelled') out.cancelled = (out.cancelled ?? 0) + n;
    else out.pending += n;
  }
  out.excluded.byReason = ranked(exReasons);
  out.failed.byReason = ranked(failReasons);
  const types = Object.keys(out.failed.byType).sort();
  out.failed.byType = Object.fromEntries(types.map((t) => [t, out.failed.byType[t]!]));
  return out;
}

function ranked(m: Map<number | null, number>): ReasonCount[] {
  return [...m]
    .map(([reason, count]) => ({ reason, name: reasonName(reason), count }))
    .sort((a, b) => b.count - a.count || (a.reason ?? 1e9) - (b.reason ?? 1e9));
}
