/** The operator actions of a run (the store's `actions` table, issue #24), in the order they ran. */

import { formatTimeNotation } from '../format/time-notation.ts';
import { type ReportStore, rows } from '../store-port.ts';

export interface ActionFact {
  ms: number;
  /** `dayN HH:MM` */
  text: string;
  kind: string;
  target: string | null;
  outcome: string;
  affected: number;
  detail: string | null;
}

/** Every action of the run, by time (ties in the order they ran). */
export async function runActions(store: ReportStore): Promise<ActionFact[]> {
  const r = await rows<{
    t: number | bigint;
    kind: string;
    target: string | null;
    outcome: string;
    affected: number;
    detail: string | null;
  }>(store, 'SELECT t, kind, target, outcome, affected, detail FROM actions ORDER BY t, rowid');
  return r.map((a) => ({
    ms: Number(a.t),
    text: formatTimeNotation(Number(a.t)),
    kind: a.kind,
    target: a.target,
    outcome: a.outcome,
    affected: Number(a.affected),
    detail: a.detail,
  }));
}
