/**
 * How the run's async mail (inMail results: DSNs, complaints, auto-replies) was matched to the messages
 * it is about (core/mta/async-match.ts): by the original Message-ID, the per-message header, the VERP
 * return path or, when the MTA's `asyncMatchLatest` is on, the address's latest message; `unmatched`
 * named no message of the run and changed nothing (backscatter, a mail that returns no header).
 */
import { num, type ReportStore, rows } from '../store-port.ts';

export interface InmailMatch {
  /** inMail results (one per recipient of each mail read) */
  results: number;
  unmatched: number;
  matchedBy: { messageId: number; header: number; verp: number; latest: number };
}

/** Counts of the `inmail` table by `matched_by`. */
export async function inmailMatch(store: ReportStore): Promise<InmailMatch> {
  const r = await rows<{ m: string; n: number }>(
    store,
    'SELECT matched_by::VARCHAR AS m, count(*) AS n FROM inmail GROUP BY ALL ORDER BY m',
  );
  const out: InmailMatch = {
    results: 0,
    unmatched: 0,
    matchedBy: { messageId: 0, header: 0, verp: 0, latest: 0 },
  };
  for (const x of r) {
    const n = num(x.n);
    out.results += n;
    if (x.m === 'none') out.unmatched += n;
    else if (x.m in out.matchedBy) out.matchedBy[x.m as keyof InmailMatch['matchedBy']] += n;
  }
  return out;
}
