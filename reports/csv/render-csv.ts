/**
 * CSV export of each report table into a folder (RFC 4180, header row, formula-safe text).
 * Lists are not capped here: false and missed quarantines and the qualification table are exported in full.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvField } from '../format/escape.ts';
import { formatTimeNotation } from '../format/time-notation.ts';
import { type AddressFinding, falseQuarantineList, missedQuarantineList } from '../metrics/ground-truth.ts';
import { REPORTING_MODES } from '../metrics/kpi.ts';
import { qualificationTable } from '../metrics/qualification-table.ts';
import { throughputPerHour } from '../metrics/throughput.ts';
import { collectReport, type ReportData } from '../report-data.ts';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../settings.ts';
import type { ReportStore } from '../store-port.ts';

/** Columns of the false- and missed-quarantine lists (csv/ and beside the report). */
export const FALSE_QUARANTINE_COLUMNS = ['address', 'domain', 'truth', 't', 'when', 'reason', 'rule', 'text'];
export const MISSED_QUARANTINE_COLUMNS = ['address', 'domain', 'truth', 'reason', 'text'];

/** An address list with its time also as `dayN HH:MM` (column `when`). */
export function withWhen(list: readonly AddressFinding[]): (AddressFinding & { when: string })[] {
  return list.map((f) => ({ ...f, when: f.t === null ? '' : formatTimeNotation(f.t) }));
}

/** Renders rows as CSV text with the given columns. */
export function toCsv<T extends object>(columns: string[], rows: readonly T[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvField((r as Record<string, unknown>)[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Writes one CSV per table into `dir` and returns the file names written (sorted). */
export async function renderCsv(
  store: ReportStore,
  dir: string,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
  data?: ReportData,
): Promise<string[]> {
  const d = data ?? (await collectReport(store, settings));
  const all = Number.MAX_SAFE_INTEGER;
  const falseQuarantines = await falseQuarantineList(store, settings, all);
  const missedQuarantines = await missedQuarantineList(store, settings, all);
  const qualification = await qualificationTable(store);
  const perHour = await throughputPerHour(store, settings);
  mkdirSync(dir, { recursive: true });
  const s = d.summary;
  const files: Record<string, string> = {
    'messages-failed-by-reason.csv': toCsv(['reason', 'name', 'count'], s.messages.failed.byReason),
    'messages-excluded-by-reason.csv': toCsv(['reason', 'name', 'count'], s.messages.excluded.byReason),
    'quarantine-by-reason.csv': toCsv(['reason', 'name', 'addresses', 'rate'], s.quarantine.byReason),
    'quarantine-by-domain.csv': toCsv(['domain', 'targeted', 'quarantined', 'rate'], d.quarantineByDomain),
    'quarantine-over-time.csv': toCsv(['t', 'count', 'cumulative'], d.quarantineOverTime.points),
    'false-quarantines.csv': toCsv(FALSE_QUARANTINE_COLUMNS, withWhen(falseQuarantines)),
    'missed-quarantines.csv': toCsv(MISSED_QUARANTINE_COLUMNS, missedQuarantines),
    'throughput-per-hour.csv': toCsv(['t', 'domain', 'attempts', 'delivered', 'deferred', 'failed'], perHour),
    'throughput-per-domain.csv': toCsv(
      ['domain', 'attempts', 'delivered', 'deferred', 'failed', 'peakPerHour', 'peakHourMs'],
      d.domainThroughput,
    ),
    'deferral-periods.csv': toCsv(['domain', 'startMs', 'endMs', 'deferrals', 'topText'], d.deferrals),
    'block-periods.csv': toCsv(['kind', 'domain', 'localIp', 'startMs', 'endMs', 'rule', 'text'], d.blocks),
    'retry-delay-by-attempt.csv': toCsv(
      ['attempt', 'count', 'p50', 'p90', 'p99', 'min', 'max'],
      d.retries.byAttempt,
    ),
    'kpi-curves.csv': toCsv(
      ['t', ...REPORTING_MODES],
      d.kpi.times.map((t, i) => ({
        t,
        legacy: d.kpi.curves.legacy[i],
        enhanced: d.kpi.curves.enhanced[i],
        efs: d.kpi.curves.efs[i],
      })),
    ),
    'qualification.csv': toCsv(
      ['normalized', 'firstText', 'occurrences', 'type', 'reason', 'status'],
      qualification,
    ),
  };
  const names = Object.keys(files).sort();
  for (const n of names) writeFileSync(join(dir, n), files[n]!);
  return names;
}
