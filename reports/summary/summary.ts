/**
 * `summary.json`: the run's headline figures in a versioned shape (summary-schema.ts), built from
 * the run store with the metric families, and serialised byte-identically for the same store.
 */

import { formatTimeNotation } from '../format/time-notation.ts';
import { type ActionFact, runActions } from '../metrics/actions.ts';
import { type FeedbackCounts, feedbackCounts } from '../metrics/feedback.ts';
import { quarantineAccuracy } from '../metrics/ground-truth.ts';
import {
  type FalseQuarantineIncident,
  falseQuarantineIncidents,
  formatWindow,
} from '../metrics/incidents.ts';
import { type InmailMatch, inmailMatch } from '../metrics/inmail-match.ts';
import { type KpiCurves, kpiCurves } from '../metrics/kpi.ts';
import { type MessageCounts, messageCounts } from '../metrics/messages.ts';
import { type QualificationSummary, qualificationSummary } from '../metrics/qualification-table.ts';
import {
  type QuarantineFact,
  quarantineByReason,
  quarantineFacts,
  quarantineRate,
} from '../metrics/quarantine.ts';
import { type Percentiles, type RetryTiming, retryTiming } from '../metrics/retries.ts';
import { type RunFacts, runFacts } from '../metrics/run-meta.ts';
import { type DomainThroughput, domainThroughput, type PeakHour, peakHour } from '../metrics/throughput.ts';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../settings.ts';
import { COMPLETED_AT } from '../sql.ts';
import { num, one, type ReportStore } from '../store-port.ts';
import { SUMMARY_SCHEMA_VERSION, type Summary, SummarySchema } from './summary-schema.ts';

export { SUMMARY_SCHEMA_VERSION, type Summary, SummarySchema } from './summary-schema.ts';

/** Last event time of the run, ms. */
export async function completedAt(store: ReportStore): Promise<number> {
  return num((await one<{ t: number }>(store, COMPLETED_AT)).t);
}

function pct(p: Percentiles) {
  return {
    count: p.count,
    p50: p.p50 ?? null,
    p90: p.p90 ?? null,
    p99: p.p99 ?? null,
    min: p.min,
    max: p.max,
  };
}

/** The metric results a summary is made of (collectReport computes them once and reuses them). */
export interface SummaryParts {
  facts: RunFacts;
  end: number;
  messages: MessageCounts;
  quarantineFacts: QuarantineFact[];
  peak: PeakHour;
  perDomain: DomainThroughput[];
  retries: RetryTiming;
  kpi: KpiCurves;
  qualification: QualificationSummary;
  inmail: InmailMatch;
  actions: ActionFact[];
  feedback: FeedbackCounts;
  incidents: FalseQuarantineIncident[];
}

/** Computes the parts of a summary, one query family at a time. */
export async function summaryParts(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<SummaryParts> {
  const s = { ...settings, quantiles: [0.5, 0.9, 0.99] };
  const parts: SummaryParts = {
    facts: await runFacts(store),
    end: await completedAt(store),
    messages: await messageCounts(store),
    quarantineFacts: await quarantineFacts(store),
    peak: await peakHour(store, s),
    perDomain: await domainThroughput(store, s),
    retries: await retryTiming(store, s),
    kpi: await kpiCurves(store, s),
    qualification: await qualificationSummary(store),
    inmail: await inmailMatch(store),
    actions: await runActions(store),
    feedback: await feedbackCounts(store),
    incidents: [],
  };
  parts.incidents = await falseQuarantineIncidents(store, settings, 5, parts.quarantineFacts);
  return parts;
}

/** Assembles and validates a summary from its parts. */
export async function summaryFromParts(
  p: SummaryParts,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<Summary> {
  const rate = await quarantineRate(NO_STORE, p.quarantineFacts);
  const byReason = await quarantineByReason(NO_STORE, p.quarantineFacts);
  const acc = await quarantineAccuracy(NO_STORE, settings, p.quarantineFacts);
  const summary: Summary = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: { name: p.facts.scenario.name, hash: p.facts.scenario.hash },
    seed: p.facts.seed,
    completedAt: { ms: p.end, text: formatTimeNotation(p.end) },
    messages: p.messages,
    quarantine: {
      targetedAddresses: rate.targetedAddresses,
      addresses: rate.quarantined,
      rate: rate.rate,
      byReason,
      falseQuarantines: acc.falseQuarantines,
      missedQuarantines: acc.missedQuarantines,
      falseQuarantinesByTruth: acc.falseQuarantinesByTruth,
      missedQuarantinesByTruth: acc.missedQuarantinesByTruth,
      precision: acc.precision,
      recall: acc.recall,
      falseQuarantinesByRule: p.incidents.map((i) => ({ ...i, window: formatWindow(i.fromMs, i.toMs) })),
    },
    feedback: p.feedback,
    throughput: {
      peakPerHour: p.peak.attempts,
      peakHourMs: p.peak.t,
      perDomain: p.perDomain.map((d) => ({
        domain: d.domain,
        attempts: d.attempts,
        delivered: d.delivered,
        deferred: d.deferred,
        failed: d.failed,
        peakPerHour: d.peakPerHour,
      })),
    },
    retries: {
      attempts: p.retries.attempts,
      retries: p.retries.retries,
      delay: pct(p.retries.delay),
      attemptsPerDelivered: p.retries.attemptsPerDelivered,
    },
    timeToDeliver: pct(p.retries.timeToDeliver),
    kpi: { processed: p.kpi.processed, ...p.kpi.final },
    qualification: p.qualification,
    inmail: p.inmail,
    // absent without actions: the summaries of scenarios without a timeline keep their bytes
    ...(p.actions.length > 0 ? { actions: p.actions } : {}),
  };
  return SummarySchema.parse(summary);
}

/** A store that is never queried: the quarantine functions get their facts precomputed. */
const NO_STORE: ReportStore = {
  all: () => Promise.reject(new Error('reports: unexpected query')),
  run: () => Promise.reject(new Error('reports: unexpected query')),
};

/** Builds the summary of a run (validated against SummarySchema). */
export async function buildSummary(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<Summary> {
  return summaryFromParts(await summaryParts(store, settings), settings);
}

/** Rounds non-integers to 6 decimals so that float noise never changes the bytes. */
function roundNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isInteger(value)) return Number(value.toFixed(6));
  return value;
}

/** Serialises a summary: schema key order, 2-space indent, numbers rounded to 6 decimals, final newline. */
export function stringifySummary(summary: Summary): string {
  return `${JSON.stringify(SummarySchema.parse(summary), roundNumbers, 2)}\n`;
}
