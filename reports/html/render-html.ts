/**
 * `report.html`: one self-contained page (inline CSS, inline SVG charts, no script, no network;
 * a Content-Security-Policy forbids any) for people: headline cards, charts, then tables.
 * Every text from the store is HTML-escaped.
 */

import { escapeHtml as h } from '../format/escape.ts';
import { dur, int, pct } from '../format/figures.ts';
import { formatTimeNotation as at } from '../format/time-notation.ts';
import { truthSplit } from '../metrics/ground-truth.ts';
import { formatWindow } from '../metrics/incidents.ts';
import { REPORTING_MODE_NAMES, REPORTING_MODES } from '../metrics/kpi.ts';
import type { ReportData, ReportLinks } from '../report-data.ts';
import { headlineLines } from '../summary/headline.ts';
import { type Band, durationHistogram, type Mark, timeLineChart, timelineChart } from './charts.ts';

const CSS = `
:root{--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--accent:#2563eb;--bad:#dc2626;--good:#16a34a}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:20px 28px 12px;background:var(--card);border-bottom:1px solid var(--line)}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:16px;margin:28px 0 10px}
.meta{color:var(--muted);font-size:13px}
.meta code{background:var(--bg);padding:1px 5px;border-radius:4px}
main{padding:8px 28px 40px;max-width:1240px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin-top:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card .v{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.card .k{color:var(--muted);font-size:12px}
.card.bad .v{color:var(--bad)}
.card.good .v{color:var(--good)}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px}
.charts.three{grid-template-columns:repeat(3,minmax(0,1fr))}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:6px;overflow:hidden}
figure svg{display:block;max-width:100%;height:auto}
figcaption{color:var(--muted);font-size:12px;padding:2px 8px 6px}
.tables{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px}
section.t{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:4px 12px 10px;overflow-x:auto}
section.t h3{font-size:14px;margin:10px 0 6px}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}
td{overflow-wrap:anywhere}
td.n,th.n,td.w{white-space:nowrap;overflow-wrap:normal}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.x{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
td>div.f{min-width:var(--floor)}
section.t.wide{grid-column:1/-1}
.more{color:var(--muted);font-size:12px;margin:6px 0 0}
.none{color:var(--muted);font-style:italic}
.headline{margin:10px 0 0;padding:0;list-style:none}
.headline li{margin:2px 0;font-size:14px}
.headline li.bad::before{content:"● ";color:var(--bad)}
.headline li.ok::before{content:"● ";color:var(--good)}
`;

interface Col<T> {
  head: string;
  cell: (r: T) => string;
  /** n: number (right-aligned), x: remote text (monospace, wraps), w: no wrap (times) */
  cls?: 'n' | 'x' | 'w';
}

/**
 * Narrowest a column may get, px, by kind (a cell wraps inside it and never goes below): remote texts
 * stay readable lines, not a letter per line. `data-floor` carries it for the browser test.
 */
export const COLUMN_FLOOR_PX = { x: 300, n: 48, w: 84, t: 110 } as const;

/** A long list shown as its first rows: the total and where the whole list is. */
interface More {
  total: number;
  /** file name of the full list, beside the report */
  csv?: string;
  /** full page width (always for a table with a remote-text column) */
  wide?: boolean;
}

function table<T>(title: string, rows: T[], cols: Col<T>[], id: string, more?: More): string {
  const floor = (c: Col<T>) => COLUMN_FLOOR_PX[c.cls ?? 't'];
  const body =
    rows.length === 0
      ? '<p class="none">none</p>'
      : `<table><thead><tr>${cols.map((c) => `<th${c.cls === 'n' ? ' class="n"' : ''}>${h(c.head)}</th>`).join('')}</tr></thead><tbody>${rows
          .map(
            (r) =>
              `<tr>${cols
                .map(
                  (c) =>
                    `<td${c.cls ? ` class="${c.cls}"` : ''} data-floor="${floor(c)}"><div class="f" style="--floor:${floor(c)}px">${c.cell(r)}</div></td>`,
                )
                .join('')}</tr>`,
          )
          .join('')}</tbody></table>`;
  const tail =
    more && more.total > rows.length
      ? `<p class="more">first ${int(rows.length)} of ${int(more.total)}${more.csv ? ` · all in <a href="${h(more.csv)}">${h(more.csv)}</a>` : ''}</p>`
      : '';
  // a table with a remote-text column takes the full width: its text gets room to read as lines
  const wide = more?.wide || cols.some((c) => c.cls === 'x');
  return `<section class="t${wide ? ' wide' : ''}" id="${id}"><h3>${h(title)}</h3>${body}${tail}</section>`;
}

function card(k: string, v: string, tone = ''): string {
  return `<div class="card ${tone}"><div class="v">${v}</div><div class="k">${h(k)}</div></div>`;
}

/** Non-zero values of a chart's series: `data-points` tells a reader (the browser test) it drew something. */
function nonZero(...series: readonly (readonly number[])[]): number {
  let n = 0;
  for (const xs of series) for (const x of xs) if (x !== 0) n++;
  return n;
}

function figure(id: string, svg: string, caption: string, points: number): string {
  return `<figure class="chart" id="${id}" data-points="${points}">${svg}<figcaption>${h(caption)}</figcaption></figure>`;
}

/** Bands drawn on the whole-run charts: false-quarantine windows (by rule) and the longest suspensions. */
const BANDS_SHOWN = { incidents: 3, suspensions: 3 };

/**
 * Where things happen: the false-quarantine windows (by rule) and the suspensions and blocks, as
 * bands; the focus spans the false-quarantine windows shown (else the longest suspension), widened
 * by an hour on each side, for the detail chart.
 */
export function whereThingsHappen(d: ReportData): {
  bands: Band[];
  focus: { fromMs: number; toMs: number } | null;
} {
  const incidents = d.summary.quarantine.falseQuarantinesByRule.slice(0, BANDS_SHOWN.incidents);
  const blocks = d.blocks
    .filter((b) => b.kind === 'suspend' || b.kind === 'block')
    .sort((a, b) => b.endMs - b.startMs - (a.endMs - a.startMs) || a.startMs - b.startMs)
    .slice(0, BANDS_SHOWN.suspensions);
  const bands: Band[] = [
    ...incidents.map((i) => ({ name: i.rule ?? 'false quarantines', startMs: i.fromMs, endMs: i.toMs })),
    ...blocks.map((b) => ({ name: `${b.kind} ${b.domain}`, startMs: b.startMs, endMs: b.endMs })),
  ];
  const spans = incidents.length
    ? incidents.map((i) => ({ a: i.fromMs, b: i.toMs }))
    : blocks.slice(0, 1).map((b) => ({ a: b.startMs, b: b.endMs }));
  const first = spans.length
    ? { a: Math.min(...spans.map((x) => x.a)), b: Math.max(...spans.map((x) => x.b)) }
    : null;
  if (!first) return { bands, focus: null };
  const hour = d.settings.hourMs;
  return {
    bands,
    focus: {
      fromMs: Math.max(0, Math.floor(first.a / hour - 1) * hour),
      toMs: Math.ceil(first.b / hour + 1) * hour,
    },
  };
}

/** Attempts per domain in the focus window only, at the throughput slice width. */
/** The run's operator actions (scenario `actions:`), as instants on the time charts. */
export function actionMarks(d: ReportData): Mark[] {
  return (d.summary.actions ?? []).map((a) => ({
    name: a.target ? `${a.kind} ${a.target}` : a.kind,
    atMs: a.ms,
  }));
}

function detailChart(
  d: ReportData,
  focus: { fromMs: number; toMs: number },
  bands: Band[],
  marks: Mark[],
): string[] {
  const tp = d.throughput;
  const keep = tp.times.map((t, i) => (t >= focus.fromMs && t <= focus.toMs ? i : -1)).filter((i) => i >= 0);
  const points = nonZero(...tp.attempts.map((xs) => keep.map((i) => xs[i]!)));
  // nothing was sent in the window: no chart rather than an empty one
  if (points === 0) return [];
  const chart = figure(
    'chart-detail',
    timeLineChart({
      title: `Detail: ${formatWindow(focus.fromMs, focus.toMs)}`,
      times: keep.map((i) => tp.times[i]!),
      series: tp.domains.map((name, k) => ({ name, data: keep.map((i) => tp.attempts[k]![i]!) })),
      stacked: true,
      bands,
      marks: marks.filter((m) => m.atMs >= focus.fromMs && m.atMs <= focus.toMs),
      window: focus,
    }),
    `The window where things happen, zoomed: attempts per ${dur(tp.bucketMs)} slice. Shaded: ${bands
      .map((b) => `${b.name} ${formatWindow(b.startMs, b.endMs)}`)
      .join('; ')}.`,
    points,
  );
  return [chart];
}

/** Renders the HTML report. */
export function renderHtml(d: ReportData, links: ReportLinks = {}): string {
  const s = d.summary;
  const m = s.messages;
  const q = s.quarantine;
  const topN = d.settings.topN;

  const tp = d.throughput;
  const { bands, focus } = whereThingsHappen(d);
  const marks = actionMarks(d);
  const marked = marks.length ? '; dashed lines: operator actions' : '';
  const charts = [
    figure(
      'chart-throughput',
      timeLineChart({
        title: 'Attempts per domain',
        times: tp.times,
        series: tp.domains.map((name, i) => ({ name, data: tp.attempts[i]! })),
        stacked: true,
        bands,
        marks,
      }),
      `Attempts per ${dur(tp.bucketMs)} slice, top ${topN} domains stacked; shaded: false-quarantine windows and suspensions${marked}.`,
      nonZero(...tp.attempts),
    ),
    ...(focus ? detailChart(d, focus, bands, marks) : []),
    figure(
      'chart-quarantine',
      timeLineChart({
        title: 'Addresses entering quarantine',
        times: d.quarantineOverTime.points.map((p) => p.t),
        series: [
          { name: 'cumulative', data: d.quarantineOverTime.points.map((p) => p.cumulative) },
          {
            name:
              d.quarantineOverTime.bucketMs === d.settings.hourMs
                ? 'in the hour'
                : `per ${dur(d.quarantineOverTime.bucketMs)}`,
            data: d.quarantineOverTime.points.map((p) => p.count),
          },
        ],
        step: true,
        bands,
        marks,
      }),
      `Quarantined by the run (not before it), by time of entry${marked}.`,
      nonZero(d.quarantineOverTime.points.map((p) => p.cumulative)),
    ),
    figure(
      'chart-retry-delay',
      durationHistogram({
        title: 'Retry delay',
        binMs: d.retries.histogram.binMs,
        bins: d.retries.histogram.bins,
      }),
      `Time since the previous attempt of the same message: p50 ${dur(s.retries.delay.p50)}, p90 ${dur(s.retries.delay.p90)}.`,
      nonZero(d.retries.histogram.bins),
    ),
    figure(
      'chart-suspensions',
      timelineChart({
        title: 'Suspensions and blocks',
        bars: d.blocks.slice(0, 40).map((b) => ({
          label: `${b.kind} ${b.domain}${b.localIp ? ` ${b.localIp}` : ''}`,
          startMs: b.startMs,
          endMs: b.endMs,
          group: b.kind,
        })),
      }),
      `${d.blocks.length} periods${d.blocks.length > 40 ? ' (first 40 shown)' : ''}.`,
      Math.min(d.blocks.length, 40),
    ),
  ];
  const kpiSize = { width: 380, height: 260 };
  const kpiCharts = REPORTING_MODES.map((mode) =>
    figure(
      `chart-kpi-${mode}`,
      timeLineChart({
        title: REPORTING_MODE_NAMES[mode],
        times: [0, ...d.kpi.times],
        series: [{ name: 'success', data: [0, ...d.kpi.curves[mode]] }],
        percent: true,
        size: kpiSize,
      }),
      `final ${pct(s.kpi[mode])} of ${int(s.kpi.processed)} processed`,
      nonZero(d.kpi.curves[mode]),
    ),
  );

  const cards = [
    card('targeted', int(m.targeted)),
    card('delivered', int(m.delivered), 'good'),
    card('failed', int(m.failed.total)),
    card('pending', int(m.pending)),
    ...(m.cancelled ? [card('cancelled by a stop', int(m.cancelled))] : []),
    card('excluded', int(m.excluded.total)),
    card('quarantine rate', pct(q.rate)),
    card('false quarantines', int(q.falseQuarantines), q.falseQuarantines > 0 ? 'bad' : 'good'),
    card('missed quarantines', int(q.missedQuarantines), q.missedQuarantines > 0 ? 'bad' : 'good'),
    card('precision / recall', `${pct(q.precision, 1)} / ${pct(q.recall, 1)}`),
    card('peak attempts / hour', int(s.throughput.peakPerHour)),
    card('time to deliver p50 / p90', `${dur(s.timeToDeliver.p50)} / ${dur(s.timeToDeliver.p90)}`),
    card('texts to qualify', int(s.qualification.toQualify), s.qualification.toQualify > 0 ? 'bad' : ''),
    card('complaints', int(s.feedback.complaints)),
    card('denylisted by the run', int(s.feedback.denylisted)),
    card('allowlisted', int(s.feedback.allowlisted)),
  ];
  const headline = `<ul class="headline" id="headline">${headlineLines(s)
    .map((l) => `<li class="${l.tone}">${h(l.text)}</li>`)
    .join('')}</ul>`;

  const tables = [
    ...(s.actions?.length
      ? [
          table(
            'Operator actions',
            s.actions,
            [
              { head: 'when', cell: (r) => h(r.text), cls: 'w' },
              { head: 'action', cell: (r) => h(r.kind) },
              { head: 'target', cell: (r) => h(r.target ?? '—') },
              { head: 'outcome', cell: (r) => h(r.outcome) },
              { head: 'affected', cell: (r) => int(r.affected), cls: 'n' },
              { head: 'detail', cell: (r) => h(r.detail ?? ''), cls: 'x' },
            ],
            'table-actions',
          ),
        ]
      : []),
    table(
      'Failures by reason',
      m.failed.byReason,
      [
        { head: 'reason', cell: (r) => `${r.reason ?? '—'} ${h(r.name)}` },
        { head: 'messages', cell: (r) => int(r.count), cls: 'n' },
      ],
      'table-failed-reasons',
    ),
    table(
      'Exclusions at preparation',
      m.excluded.byReason,
      [
        { head: 'reason', cell: (r) => `${r.reason ?? '—'} ${h(r.name)}` },
        { head: 'messages', cell: (r) => int(r.count), cls: 'n' },
      ],
      'table-excluded',
    ),
    table(
      'Quarantine by domain',
      d.quarantineByDomain.slice(0, topN),
      [
        { head: 'domain', cell: (r) => h(r.domain) },
        { head: 'targeted', cell: (r) => int(r.targeted), cls: 'n' },
        { head: 'quarantined', cell: (r) => int(r.quarantined), cls: 'n' },
        { head: 'rate', cell: (r) => pct(r.rate), cls: 'n' },
      ],
      'table-quarantine-domain',
    ),
    table(
      'Quarantine against ground truth, by truth',
      truthSplit(q),
      [
        { head: 'truth', cell: (r) => h(r.truth) },
        {
          head: 'quarantined, not warranted',
          cell: (r) => (r.wrong === null ? '—' : int(r.wrong)),
          cls: 'n',
        },
        { head: 'warranted, missed', cell: (r) => (r.missed === null ? '—' : int(r.missed)), cls: 'n' },
      ],
      'table-quarantine-truth',
    ),
    table(
      `False quarantines (${int(q.falseQuarantines)})`,
      d.falseQuarantines,
      [
        { head: 'address', cell: (r) => h(r.address) },
        { head: 'when', cell: (r) => (r.t === null ? '—' : at(r.t)), cls: 'w' },
        { head: 'rule', cell: (r) => h(r.rule ?? '—') },
        { head: 'text', cell: (r) => h(r.text), cls: 'x' },
      ],
      'table-false-quarantines',
      { total: q.falseQuarantines, csv: links.falseQuarantinesCsv, wide: true },
    ),
    table(
      `Missed quarantines (${int(q.missedQuarantines)})`,
      d.missedQuarantines,
      [
        { head: 'address', cell: (r) => h(r.address) },
        { head: 'truth', cell: (r) => h(r.truth) },
        { head: 'last text', cell: (r) => h(r.text), cls: 'x' },
      ],
      'table-missed-quarantines',
      { total: q.missedQuarantines, csv: links.missedQuarantinesCsv, wide: true },
    ),
    table(
      'Texts to qualify',
      d.toQualify,
      [
        { head: 'occurrences', cell: (r) => int(r.occurrences), cls: 'n' },
        { head: 'first text', cell: (r) => h(r.firstText), cls: 'x' },
      ],
      'table-to-qualify',
    ),
    table(
      'Qualification table (top)',
      d.qualification,
      [
        { head: 'occurrences', cell: (r) => int(r.occurrences), cls: 'n' },
        { head: 'type', cell: (r) => h(r.type) },
        { head: 'reason', cell: (r) => `${r.reason} ${h(r.reasonName)}` },
        { head: 'status', cell: (r) => h(r.status) },
        { head: 'normalized', cell: (r) => h(r.normalized), cls: 'x' },
      ],
      'table-qualification',
    ),
    table(
      'Throughput per domain',
      d.domainThroughput.slice(0, topN),
      [
        { head: 'domain', cell: (r) => h(r.domain) },
        { head: 'attempts', cell: (r) => int(r.attempts), cls: 'n' },
        { head: 'delivered', cell: (r) => int(r.delivered), cls: 'n' },
        { head: 'deferred', cell: (r) => int(r.deferred), cls: 'n' },
        { head: 'failed', cell: (r) => int(r.failed), cls: 'n' },
        { head: 'peak/h', cell: (r) => int(r.peakPerHour), cls: 'n' },
      ],
      'table-throughput',
    ),
    table(
      'Retry delay by attempt',
      d.retries.byAttempt.slice(0, 30),
      [
        { head: 'attempt', cell: (r) => int(r.attempt), cls: 'n' },
        { head: 'count', cell: (r) => int(r.count), cls: 'n' },
        { head: 'p50', cell: (r) => dur(r.p50), cls: 'n' },
        { head: 'p90', cell: (r) => dur(r.p90), cls: 'n' },
        { head: 'max', cell: (r) => dur(r.max), cls: 'n' },
      ],
      'table-retries',
    ),
    table(
      'Deferral periods',
      d.deferrals.slice(0, topN * 3),
      [
        { head: 'domain', cell: (r) => h(r.domain) },
        { head: 'from', cell: (r) => at(r.startMs), cls: 'w' },
        { head: 'to', cell: (r) => at(r.endMs), cls: 'w' },
        { head: 'deferrals', cell: (r) => int(r.deferrals), cls: 'n' },
        { head: 'top text', cell: (r) => h(r.topText), cls: 'x' },
      ],
      'table-deferrals',
    ),
    table(
      'Suspensions and blocks',
      d.blocks.slice(0, topN * 3),
      [
        { head: 'kind', cell: (r) => h(r.kind) },
        { head: 'domain', cell: (r) => h(r.domain) },
        { head: 'from', cell: (r) => at(r.startMs), cls: 'w' },
        { head: 'to', cell: (r) => at(r.endMs), cls: 'w' },
        { head: 'rule', cell: (r) => h(r.rule ?? '—') },
        { head: 'text', cell: (r) => h(r.text), cls: 'x' },
      ],
      'table-blocks',
    ),
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
<header>
<h1>${h(title)}</h1>
<div class="meta">seed <code>${h(s.seed ?? '—')}</code> · scenario hash <code>${h(s.scenario.hash ?? '—')}</code> · completed ${h(s.completedAt.text)} · summary schema v${s.schemaVersion}</div>
${headline}
<div class="cards">${cards.join('')}</div>
</header>
<main>
<h2>Success KPI by reporting mode</h2>
<div class="charts three">${kpiCharts.join('')}</div>
<h2>Over time</h2>
<div class="charts">${charts.join('')}</div>
<h2>Tables</h2>
<div class="tables">${tables.join('')}</div>
</main>
</body>
</html>
`;
}
