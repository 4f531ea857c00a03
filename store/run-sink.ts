/**
 * The run store as the MTA's sink (core/mta/sink.ts): what a run reports as it happens goes into the
 * `attempts`, `inmail`, `quarantine_history`, `throughput` and `suspensions` tables, and the final
 * quarantine and qualification tables go into theirs. One owner for how core's events become rows:
 * the runner passes it to the MTA, ingest/ feeds it the attempts of a production log.
 *
 * A suspension can still be extended or cancelled after it is first reported: the last state of each
 * is kept and written once, by `writeSuspensions` at the end of the run (one row per suspension; one
 * cancelled at its start never held: no row).
 */
import { MATCH_BY_NAMES } from '../core/mta/async-match.ts';
import type { MtaSink } from '../core/mta/sink.ts';
import type { TableEntry } from '../core/qualification/qualification-table.ts';
import type { QuarantineEvent } from '../core/quarantine/index.ts';
import type { QuarantineRow as CoreQuarantineRow } from '../core/quarantine/quarantine-table.ts';
import type { Suspension } from '../core/shaping/suspensions.ts';
import { ADDRESS_STATUS_NAMES } from '../core/types.ts';
import type { AttemptRow, QualificationRow, QuarantineHistoryRow, QuarantineRow } from './rows.ts';
import type { RunStoreWriter } from './writer.ts';

/** What the final `quarantine` table is written from: core's QuarantineTable gives it. */
export interface QuarantineSource {
  rows(): Iterable<QuarantineRowSource>;
}

/** What a `quarantine` row is made from: a row of core's QuarantineTable. */
export type QuarantineRowSource = Pick<
  CoreQuarantineRow,
  'address' | 'status' | 'errorCount' | 'reason' | 'text' | 'firstErrorMs' | 'lastErrorMs' | 'updatedMs'
>;

/** What the `qualification` table is written from: core's QualificationTable gives it. */
export interface QualificationSource {
  list(): Iterable<TableEntry>;
}

/** The MTA's sink into a run store, with the writes a run (or an ingested log) ends with. */
export interface RunStoreSink extends MtaSink {
  /** the last state of every suspension reported, one row each (call once, when the run ends) */
  writeSuspensions(): void;
  /** the quarantine table at the end of the run */
  writeQuarantine(table: QuarantineSource): void;
  /** the delivery log qualification table */
  writeQualification(table: QualificationSource): void;
}

/** An attempts row to fill again for every attempt (a writer's push copies it): no object per row. */
export function blankAttemptRow(): AttemptRow {
  return {
    t: 0,
    delivery_id: 0,
    recipient_id: 0,
    attempt: 0,
    domain: '',
    local_ip: null,
    mx_ip: null,
    phase: 'dns',
    code: null,
    enhanced: null,
    text: '',
    type: null,
    reason: null,
    impact: 'ok',
    disposition: null,
    rule: null,
    bounce_class: null,
    outcome: 'delivered',
  };
}

/** The `quarantine_history` row of one of core's quarantine transitions. */
export function quarantineHistoryRow(e: QuarantineEvent): QuarantineHistoryRow {
  return {
    t: e.t,
    address: e.address,
    old_status: ADDRESS_STATUS_NAMES[e.oldStatus],
    new_status: ADDRESS_STATUS_NAMES[e.newStatus],
    reason: e.reason,
    text: e.text,
    rule: e.rule,
    cause: e.cause,
  };
}

/** The `quarantine` row of one of core's quarantine table rows. */
export function quarantineRow(r: QuarantineRowSource): QuarantineRow {
  return {
    address: r.address,
    status: ADDRESS_STATUS_NAMES[r.status],
    error_count: r.errorCount,
    reason: r.reason,
    text: r.text,
    first_error_ms: r.firstErrorMs,
    last_error_ms: r.lastErrorMs,
    updated_ms: r.updatedMs ?? 0,
  };
}

/** A sink writing into `store`. */
export function createRunSink(store: RunStoreWriter): RunStoreSink {
  const suspensions = new Map<number, Suspension>();
  // the attempt row, filled again for every attempt (push copies it into the column buffers)
  const a = blankAttemptRow();
  return {
    attempt(e) {
      const q = e.q;
      a.t = e.t;
      a.delivery_id = e.deliveryId;
      a.recipient_id = e.recipientId;
      a.attempt = e.attempt;
      a.domain = e.domain;
      a.local_ip = e.localIp;
      a.mx_ip = e.mxIp;
      // an attempt's reply read from a bounce mail is stored at DATA
      a.phase = e.phase === 'async' ? 'data' : e.phase;
      a.code = e.code;
      a.enhanced = e.enhanced;
      a.text = e.text;
      a.type = q ? q.type : null;
      a.reason = q ? q.reason : null;
      a.impact = q ? q.impact : 'ok';
      a.disposition = q ? q.disposition : null;
      a.rule = q ? q.rule : null;
      a.bounce_class = q ? q.bounceClass : null;
      a.outcome = e.outcome;
      store.attempts.push(a);
    },
    inmail(e) {
      store.inmail.push({
        t: e.t,
        recipient: e.recipient,
        kind: e.kind,
        type: e.q.type,
        reason: e.q.reason,
        impact: e.q.impact,
        status: e.status,
        text: e.text,
        matched_by: MATCH_BY_NAMES[e.matchedBy]!,
        delivery_id: e.deliveryId,
        recipient_id: e.recipientId,
      });
    },
    quarantine(e) {
      store.quarantineHistory.push(quarantineHistoryRow(e));
    },
    suspension(s) {
      suspensions.set(s.id, { ...s });
    },
    throughput(e) {
      store.throughput.push({
        slice_ms: e.sliceMs,
        domain: e.domain,
        local_ip: e.localIp,
        attempts: e.attempts,
        delivered: e.delivered,
        deferred: e.deferred,
        failed: e.failed,
      });
    },
    writeSuspensions() {
      for (const s of [...suspensions.values()].sort((x, y) => x.id - y.id)) {
        if (s.cancelled && s.endMs <= s.startMs) continue;
        store.suspensions.push({
          kind: s.kind,
          domain: s.domain,
          local_ip: s.localIp,
          mx_ip: s.mxIp,
          start_ms: s.startMs,
          end_ms: s.endMs,
          rule: s.rule,
          text: s.text,
        });
      }
      suspensions.clear();
    },
    writeQuarantine(table) {
      for (const r of table.rows()) store.quarantine.push(quarantineRow(r));
    },
    writeQualification(table) {
      const rows: QualificationRow[] = [];
      for (const e of table.list())
        rows.push({
          normalized: e.normalized,
          first_text: e.firstText,
          occurrences: e.occurrences,
          type: e.type,
          reason: e.reason,
          status: e.status,
        });
      store.insertRows('qualification', rows);
    },
  };
}
