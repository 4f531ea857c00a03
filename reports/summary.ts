/**
 * `summary.json`: the run's headline figures in a versioned shape (summary-schema.ts), built from
 * the run store with the metric families, and serialised byte-identically for the same store.
 */
import { quarantineAccuracy } from './ground-truth.ts';
import { kpiCurves } from './kpi.ts';
import { messageCounts } from './messages.ts';
import { qualificationSummary } from './qualification-table.ts';
import { quarantineByReason, quarantineRate } from './quarantine.ts';
import { type Percentiles, retryTiming } from './retries.ts';
import { runFacts } from './run-meta.ts';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from './settings.ts';
import { COMPLETED_AT } from './sql.ts';
import { num, one, type ReportStore } from './store-port.ts';
import { SUMMARY_SCHEMA_VERSION, type Summary, SummarySchema } from './summary-schema.ts';
import { domainThroughput, peakHour } from './throughput.ts';
import { formatTimeNotation } from './time-notation.ts';

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

/** Builds the summary of a run (validated against SummarySchema). */
export async function buildSummary(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
): Promise<Summary> {
  const s = { ...settings, quantiles: [0.5, 0.9, 0.99] };
  const [facts, end, messages, rate, byReason, acc, peak, perDomain, retries, kpi, qual] = await Promise.all([
    runFacts(store),
    completedAt(store),
    messageCounts(store),
    quarantineRate(store),
    quarantineByReason(store),
    quarantineAccuracy(store, s),
    peakHour(store, s),
    domainThroughput(store, s),
    retryTiming(store, s),
    kpiCurves(store, s),
    qualificationSummary(store),
  ]);
  const summary: Summary = {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    scenario: { name: facts.scenario.name, hash: facts.scenario.hash },
    seed: facts.seed,
    completedAt: { ms: end, text: formatTimeNotation(end) },
    messages,
    quarantine: {
      targetedAddresses: rate.targetedAddresses,
      addresses: rate.quarantined,
      rate: rate.rate,
      byReason,
      falseQuarantines: acc.falseQuarantines,
      missedQuarantines: acc.missedQuarantines,
      precision: acc.precision,
      recall: acc.recall,
    },
    throughput: {
      peakPerHour: peak.attempts,
      peakHourMs: peak.t,
      perDomain: perDomain.map((d) => ({
        domain: d.domain,
        attempts: d.attempts,
        delivered: d.delivered,
        deferred: d.deferred,
        failed: d.failed,
        peakPerHour: d.peakPerHour,
      })),
    },
    retries: {
      attempts: retries.attempts,
      retries: retries.retries,
      delay: pct(retries.delay),
      attemptsPerDelivered: retries.attemptsPerDelivered,
    },
    timeToDeliver: pct(retries.timeToDeliver),
    kpi: { processed: kpi.processed, ...kpi.final },
    qualification: qual,
  };
  return SummarySchema.parse(summary);
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
