/**
 * Everything the renderers show, gathered once from the run store (all aggregation in SQL; lists
 * capped at `topN`), so that Markdown, HTML and CSV render the same numbers.
 */
import { type AddressFinding, falseQuarantineList, missedQuarantineList } from './metrics/ground-truth.ts';
import type { KpiCurves } from './metrics/kpi.ts';
import { type BlockPeriod, blockPeriods, type DeferralPeriod, deferralPeriods } from './metrics/periods.ts';
import { type QualificationEntry, qualificationTable } from './metrics/qualification-table.ts';
import {
  type QuarantineByDomain,
  type QuarantineOverTime,
  quarantineByDomain,
  quarantineOverTime,
} from './metrics/quarantine.ts';
import { type RelaySeries, relayRate } from './metrics/relay.ts';
import type { RetryTiming } from './metrics/retries.ts';
import { type DomainThroughput, type ThroughputSeries, throughputSeries } from './metrics/throughput.ts';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from './settings.ts';
import type { ReportStore } from './store-port.ts';
import { type Summary, summaryFromParts, summaryParts } from './summary/summary.ts';

/** Files beside a report that it links to (the full address lists as CSV); none when rendered alone. */
export interface ReportLinks {
  falseQuarantinesCsv?: string;
  missedQuarantinesCsv?: string;
}

export interface ReportData {
  summary: Summary;
  quarantineByDomain: QuarantineByDomain[];
  quarantineOverTime: QuarantineOverTime;
  falseQuarantines: AddressFinding[];
  missedQuarantines: AddressFinding[];
  throughput: ThroughputSeries;
  /** messages relayed to the Enhanced MTA over time (seed 003:116); null when no delivery ran enhanced */
  relay: RelaySeries | null;
  domainThroughput: DomainThroughput[];
  deferrals: DeferralPeriod[];
  blocks: BlockPeriod[];
  retries: RetryTiming;
  kpi: KpiCurves;
  /** to-qualify texts ranked by occurrences */
  toQualify: QualificationEntry[];
  /** all qualification entries ranked by occurrences */
  qualification: QualificationEntry[];
  settings: ReportSettings;
}

/**
 * Gathers the report data. `limit` caps the text lists (default `settings.topN`), `addressLimit` the
 * false- and missed-quarantine lists (default `limit`; writeReport takes them whole for their CSVs).
 */
export async function collectReport(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
  limit: number = settings.topN,
  addressLimit: number = limit,
): Promise<ReportData> {
  // one query at a time: a DuckDB connection runs them in sequence anyway; each family once
  const parts = await summaryParts(store, settings);
  const summary = await summaryFromParts(parts, settings);
  const qbd = await quarantineByDomain(store, parts.quarantineFacts);
  const qot = await quarantineOverTime(store, settings);
  const fq = await falseQuarantineList(store, settings, addressLimit);
  const mq = await missedQuarantineList(store, settings, addressLimit);
  const tp = await throughputSeries(store, settings);
  const relay = await relayRate(store, settings);
  const dt = parts.perDomain;
  const def = await deferralPeriods(store, settings);
  const blocks = await blockPeriods(store);
  const retries = parts.retries;
  const kpi = parts.kpi;
  const toQualify = await qualificationTable(store, { status: 'toQualify', limit });
  const qualification = await qualificationTable(store, { limit });
  return {
    summary,
    quarantineByDomain: qbd,
    quarantineOverTime: qot,
    falseQuarantines: fq,
    missedQuarantines: mq,
    throughput: tp,
    relay,
    domainThroughput: dt,
    deferrals: def,
    blocks,
    retries,
    kpi,
    toQualify,
    qualification,
    settings,
  };
}
