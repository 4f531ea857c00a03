/**
 * Writes a run's report files into a folder: report.md, report.html, summary.json, the full false-
 * and missed-quarantine lists as CSV (the reports show their first rows and link them) and, on
 * request, one CSV per table under `csv/`. Returns the paths written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FALSE_QUARANTINE_COLUMNS,
  MISSED_QUARANTINE_COLUMNS,
  renderCsv,
  toCsv,
  withWhen,
} from './csv/render-csv.ts';
import { renderHtml } from './html/render-html.ts';
import { renderMarkdown } from './markdown/render-markdown.ts';
import { collectReport, type ReportData } from './report-data.ts';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from './settings.ts';
import type { ReportStore } from './store-port.ts';
import { stringifySummary } from './summary/summary.ts';

export interface WrittenReport {
  files: string[];
  data: ReportData;
}

/** Renders every report of a run into `outDir`. */
export async function writeReport(
  store: ReportStore,
  outDir: string,
  opts: { csv?: boolean; settings?: ReportSettings } = {},
): Promise<WrittenReport> {
  const settings = opts.settings ?? DEFAULT_REPORT_SETTINGS;
  // the address lists in full, once: the CSVs beside the report take them all, the reports their first rows
  const full = await collectReport(store, settings, settings.topN, Number.MAX_SAFE_INTEGER);
  const data: ReportData = {
    ...full,
    falseQuarantines: full.falseQuarantines.slice(0, settings.topN),
    missedQuarantines: full.missedQuarantines.slice(0, settings.topN),
  };
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, text: string) => {
    const p = join(outDir, name);
    writeFileSync(p, text);
    files.push(p);
  };
  put('summary.json', stringifySummary(data.summary));
  // the address lists show their first rows; the whole lists go beside the report, linked from it
  const links = {
    falseQuarantinesCsv: 'false-quarantines.csv',
    missedQuarantinesCsv: 'missed-quarantines.csv',
  };
  put(links.falseQuarantinesCsv, toCsv(FALSE_QUARANTINE_COLUMNS, withWhen(full.falseQuarantines)));
  put(links.missedQuarantinesCsv, toCsv(MISSED_QUARANTINE_COLUMNS, full.missedQuarantines));
  put('report.md', renderMarkdown(data, links));
  put('report.html', renderHtml(data, links));
  if (opts.csv) {
    const dir = join(outDir, 'csv');
    for (const n of await renderCsv(store, dir, settings, data)) files.push(join(dir, n));
  }
  return { files, data };
}
