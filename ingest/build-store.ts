/**
 * Turns the records of a production log into a run store of the same schema as a simulated run:
 * attempts (each reply qualified with the chosen rules), delivery log, quarantine table and its
 * history (core's QuarantineTable, SPEC §5, applied in the order of the log), the qualification table
 * (SPEC §6.1) and throughput, then summary.json (the reports' own summary). So `report`, `compare`
 * and `remediate` read it as they read a run.
 *
 * What a log does not say is decided here (docs/decisions.md, "ingest"):
 * * time 0 is midnight UTC of the day of the first record (hours of day stay hours of day);
 * * one delivery (id 1) holds every message; a message is one (message id, recipient) of the log, one
 *   `recipients` row each (an address sent to twice has two rows, as a second delivery would); a
 *   record after its message's final outcome (delivered, bounced, expired) starts a new message;
 * * the outcome of an attempt is the MTA's (deferred -> retry, bounced -> failed); the rules decide
 *   the type, reason and impact, so the quarantine is what Campaign would have made of that log;
 * * ground truth is unknown: every recipient has truth `n/a` (neither a false nor a missed quarantine).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AttemptOutcome, DEFAULT_MTA_SETTINGS, type ThroughputEvent } from '../core/mta/index.ts';
import { parseDiagnostic } from '../core/qualification/index.ts';
import { QualificationTable } from '../core/qualification/qualification-table.ts';
import {
  type QuarantineSettings,
  QuarantineTable,
  resolveQuarantineSettings,
} from '../core/quarantine/index.ts';
import { parseReply } from '../core/reply/parse-reply.ts';
import {
  AddressStatus,
  DAY,
  type FailureType,
  type ParsedReply,
  type Qualification,
  type QualificationMode,
  type SmtpPhase,
} from '../core/types.ts';
import { createQualifier } from '../node/index.ts';
import { DEFAULT_REPORT_SETTINGS } from '../reports/settings.ts';
import { buildSummary, stringifySummary } from '../reports/summary/summary.ts';
import { createRunSink, createRunStore, openRunStore } from '../store/index.ts';
import type { LogStatusName } from '../store/rows.ts';
import { domainOf, type IngestRecord, type InitialStatus } from './record.ts';

/** Truth written for every ingested recipient: a log knows none. */
export const UNKNOWN_TRUTH = DEFAULT_REPORT_SETTINGS.noTruth;
/** the throughput table's slice: the MTA's own (SPEC: 5-minute slices), so an ingested log and a run chart alike */
const SLICE_MS = DEFAULT_MTA_SETTINGS.sliceMs;

export interface BuildOptions {
  mode: QualificationMode;
  /** inbound email rules (file or folder); default: the shipped ones */
  rules?: string;
  quarantine?: Partial<QuarantineSettings>;
  /** facts for run_meta: the format and the input files */
  format: string;
  sources: string[];
  /** epoch ms of time 0 (day1 00:00); default: midnight UTC of the first record's day */
  startEpoch?: number;
}

export interface BuildResult {
  out: string;
  attempts: number;
  messages: number;
  addresses: number;
  startIso: string;
}

const OUTCOME: Record<IngestRecord['status'], AttemptOutcome> = {
  delivered: 'delivered',
  deferred: 'retry',
  bounced: 'failed',
  expired: 'expired',
};

/** DNS and connection failures an MTA reports in its own words. */
const DNS_TEXT =
  /\b(?:Host or domain name not found|Name service error|DNS (?:query )?fail|NXDOMAIN|no MX|Unrouteable|domain (?:does not exist|not found))/i;
const CONNECT_TEXT =
  /\b(?:connect to|Connection (?:timed out|refused|reset)|lost connection|Network is unreachable|No route to host|timed out while)/i;

/** The phase a record's reply answered, and the phase to qualify it at. */
function phases(r: IngestRecord, parsed: ParsedReply): { stored: SmtpPhase; qualifyAt: SmtpPhase } {
  if (r.remote && parsed.parseable) {
    const p = r.phase ?? 'rcpt';
    return { stored: p, qualifyAt: p };
  }
  if (DNS_TEXT.test(r.text)) return { stored: 'dns', qualifyAt: 'dns' };
  if (CONNECT_TEXT.test(r.text)) return { stored: 'connect', qualifyAt: 'connect' };
  // the MTA's own diagnostic: qualified as a bounce text, as `mxlab qualify` does
  return { stored: r.phase ?? 'data', qualifyAt: 'async' };
}

interface Message {
  id: number;
  address: string;
  domain: string;
  attempts: number;
  first: number;
  last: number;
  delivered: number | null;
  final: boolean;
  outcome: AttemptOutcome;
  type: FailureType | null;
  reason: number | null;
  text: string | null;
}

/**
 * Writes the store of `records` (any order: sorted by time here, ties in input order) into `out`.
 * `initial`: a quarantine export, the table before the log.
 */
export async function buildStore(
  out: string,
  records: IngestRecord[],
  initial: InitialStatus[],
  opts: BuildOptions,
): Promise<BuildResult> {
  records.sort((a, b) => a.epochMs - b.epochMs);
  const startEpoch = opts.startEpoch ?? (records.length ? Math.floor(records[0]!.epochMs / DAY) * DAY : 0);
  if (records.length && records[0]!.epochMs < startEpoch)
    throw Object.assign(
      new Error(`--start: the log begins before it (${new Date(records[0]!.epochMs).toISOString()})`),
      { exitCode: 2 },
    );
  const startIso = new Date(startEpoch).toISOString();
  // the delivery starts at the first record: time to deliver counts from there
  const firstT = records.length ? records[0]!.epochMs - startEpoch : 0;
  const horizon = records.length ? records[records.length - 1]!.epochMs - startEpoch : 0;
  const qsettings = resolveQuarantineSettings(opts.quarantine ?? {});
  const qualifier = createQualifier({
    mode: opts.mode,
    ...(opts.rules ? { rules: opts.rules } : {}),
    noImpactReasons: qsettings.uncountedSoftReasons,
  });
  const name = opts.format.startsWith('ingest:') ? opts.format : `ingest:${opts.format}`;
  const store = await createRunStore(
    out,
    {
      scenario: name,
      source: 'ingest',
      sources: opts.sources.join(' '),
      rules: opts.rules ?? 'default',
      seed: 0,
      mode: opts.mode,
      start: startIso,
      horizon_ms: horizon,
    },
    { worker: records.length >= 100_000 },
  );
  try {
    // the run's own sink: attempts, quarantine history, throughput and the final tables become rows
    // as in a simulated run
    const sink = createRunSink(store);
    const quarantine = new QuarantineTable(opts.quarantine ?? {}, (e) => sink.quarantine(e));
    const initialOf = new Map<string, InitialStatus>();
    for (const s of initial) {
      initialOf.set(s.address, s);
      const code =
        AddressStatus[
          (
            {
              valid: 'Valid',
              withErrors: 'WithErrors',
              quarantine: 'Quarantine',
              denylisted: 'Denylisted',
              allowlisted: 'Allowlisted',
            } as const
          )[s.status]
        ];
      if (s.status !== 'valid') quarantine.setInitial(quarantine.idOf(s.address), code, 0, s.errorCount);
    }
    const table = new QualificationTable();
    const live = new Map<string, Message>();
    const messages: Message[] = [];
    const throughput = new Map<string, ThroughputEvent>();
    for (const r of records) {
      const t = r.epochMs - startEpoch;
      const key = `${r.message}\u0000${r.recipient}`;
      let m = live.get(key);
      if (!m || m.final) {
        m = {
          id: messages.length,
          address: r.recipient,
          domain: domainOf(r.recipient),
          attempts: 0,
          first: t,
          last: t,
          delivered: null,
          final: false,
          outcome: 'retry',
          type: null,
          reason: null,
          text: null,
        };
        messages.push(m);
        live.set(key, m);
        const init = initialOf.get(r.recipient)?.status ?? 'valid';
        store.recipients.push({
          id: m.id,
          address: r.recipient,
          domain: m.domain,
          truth: UNKNOWN_TRUTH,
          complainer: false,
          initial_status: init === 'withErrors' ? 'valid' : init,
          control_group: false,
        });
      }
      m.attempts++;
      m.last = t;
      const outcome = OUTCOME[r.status];
      m.outcome = outcome;
      m.final = outcome !== 'retry';
      const addressId = quarantine.idOf(r.recipient);
      let q: Qualification | null = null;
      let parsed: ParsedReply = r.remote ? parseReply(r.text) : parseDiagnostic(r.text);
      if (r.remote && !parsed.parseable) parsed = parseDiagnostic(r.text);
      if (!parsed.enhanced && r.dsn) parsed = { ...parsed, enhanced: r.dsn };
      const { stored, qualifyAt } = phases(r, parsed);
      if (outcome === 'delivered') {
        if (m.delivered === null) m.delivered = t;
        quarantine.onSuccess(addressId, t);
      } else {
        q = table.record(r.text, qualifier.qualify(parsed, { phase: qualifyAt, domain: m.domain }));
        const o = quarantine.onError(addressId, q, r.text, t, 'sync');
        m.type = q.type;
        m.reason = o.reason;
      }
      if (r.text !== '') m.text = r.text;
      sink.attempt({
        t,
        deliveryId: 1,
        recipientId: m.id,
        attempt: m.attempts,
        domain: m.domain,
        localIp: r.localIp,
        mxIp: r.mxIp,
        phase: stored,
        code: parsed.code,
        enhanced: parsed.enhanced,
        text: r.text,
        q,
        outcome,
      });
      const slice = t - (t % SLICE_MS);
      const local = r.localIp ?? '';
      const tk = `${slice}\u0000${m.domain}\u0000${local}`;
      let row = throughput.get(tk);
      if (!row) {
        row = {
          sliceMs: slice,
          domain: m.domain,
          localIp: local,
          attempts: 0,
          delivered: 0,
          deferred: 0,
          failed: 0,
        };
        throughput.set(tk, row);
      }
      row.attempts++;
      if (outcome === 'delivered') row.delivered++;
      else if (outcome === 'retry') row.deferred++;
      else row.failed++;
    }
    store.insertRows('deliveries', [
      {
        id: 1,
        name,
        start_ms: firstT,
        validity_ms: horizon - firstT,
        retry_policy: 'observed',
        mode: opts.mode,
      },
    ]);
    for (const m of messages) {
      const status: LogStatusName =
        m.outcome === 'delivered' ? 'sent' : m.outcome === 'retry' ? 'pending' : 'failed';
      store.deliveryLog.push({
        delivery_id: 1,
        recipient_id: m.id,
        address: m.address,
        domain: m.domain,
        status,
        type: status === 'sent' ? null : m.type,
        reason: status === 'sent' ? null : m.reason,
        excluded: false,
        text: m.text,
        attempts: m.attempts,
        first_attempt_ms: m.first,
        last_attempt_ms: m.last,
        delivered_ms: m.delivered,
      });
    }
    for (const row of throughput.values()) sink.throughput(row);
    sink.writeQuarantine(quarantine);
    sink.writeQualification(table);
    await store.setMeta({ recipients: messages.length });
    await store.close();
    const reader = await openRunStore(out, { readonly: true });
    try {
      writeFileSync(join(out, 'summary.json'), stringifySummary(await buildSummary(reader)));
    } finally {
      await reader.close();
    }
    return {
      out,
      attempts: records.length,
      messages: messages.length,
      addresses: new Set(messages.map((m) => m.address)).size,
      startIso,
    };
  } catch (e) {
    await store.abort();
    throw e;
  }
}
