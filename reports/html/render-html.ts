/**
 * `report.html`: one self-contained page (inline CSS, inline SVG charts, no script, no network;
 * a Content-Security-Policy forbids any) for people: headline cards, charts, then tables.
 * Every text from the store is HTML-escaped. Each section is a file of sections/.
 */
import { escapeHtml as h } from '../format/escape.ts';
import type { ReportData, ReportLinks } from '../report-data.ts';
import { deliveryTables } from './sections/delivery-tables.ts';
import { headerSection } from './sections/header.ts';
import { kpiSection } from './sections/kpi.ts';
import { overTimeSection } from './sections/over-time.ts';
import { qualificationTables } from './sections/qualification-tables.ts';
import { quarantineTables } from './sections/quarantine-tables.ts';
import { timingTables } from './sections/timing-tables.ts';
import { CSS } from './style.ts';

/** Renders the HTML report. */
export function renderHtml(d: ReportData, links: ReportLinks = {}): string {
  const s = d.summary;
  const overTime = overTimeSection(d);
  const kpi = kpiSection(d);
  const tables = [
    ...deliveryTables(d),
    ...quarantineTables(d, links),
    ...qualificationTables(d),
    ...timingTables(d),
  ];
  const title = `mxlab report: ${s.scenario.name ?? 'unnamed run'}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${h(title)}</title>
<style>${CSS}</style>
</head>
<body>
${headerSection(d, title)}
<main>
${kpi}
${overTime}
<h2>Tables</h2>
<div class="tables">${tables.join('')}</div>
</main>
</body>
</html>
`;
}
