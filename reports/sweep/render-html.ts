/**
 * `aggregate.html`: one self-contained page (inline CSS and SVG, no script) with a chart per metric —
 * the metric against the first numeric grid key (else the first key), one line per combination of
 * the other keys, with the 5–95 % band — and the aggregate table.
 */
import { HOUR } from '../../core/types.ts';
import { escapeHtml as h } from '../format/escape.ts';
import type { Aggregate, AggregatePoint } from './aggregate.ts';
import { type BandSeries, bandChart } from './band-chart.ts';
import { formatStats } from './format.ts';
import { valueText } from './layout.ts';
import { SWEEP_METRICS, type SweepMetric } from './settings.ts';

const CSS = `
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;background:#f8fafc}
header{padding:20px 28px 12px;background:#fff;border-bottom:1px solid #e2e8f0}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 10px}
.meta{color:#64748b;font-size:13px}main{padding:8px 28px 40px;max-width:1240px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px}
figure{margin:0;background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:6px;overflow:hidden}
figure svg{display:block;max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:12.5px;background:#fff}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top}
th{color:#64748b;font-weight:600}td.bad{color:#dc2626}`;

/** Chart scale of a metric: hours for durations, percent for ratios. */
function scale(m: SweepMetric): { k: number; unit: string } {
  if (m.unit === 'ms') return { k: 1 / HOUR, unit: 'hours' };
  if (m.unit === 'ratio') return { k: 100, unit: '%' };
  return { k: 1, unit: '' };
}

/** Which grid key goes on the x axis: the first whose values are all numbers, else the first. */
export function xAxisKey(a: Aggregate): number {
  const i = a.grid.findIndex((g) => g.values.every((v) => typeof v === 'number'));
  return i >= 0 ? i : 0;
}

function chartOf(a: Aggregate, m: SweepMetric): string {
  const { k, unit } = scale(m);
  const xi = xAxisKey(a);
  const xAxis = a.grid[xi];
  const x = xAxis ? xAxis.values.map(valueText) : ['scenario'];
  const others = a.grid.filter((_, i) => i !== xi);
  const groups = new Map<string, AggregatePoint[]>();
  for (const p of a.points) {
    const name = others.map((g) => `${g.key}=${valueText(p.values[g.key]!)}`).join(' ') || m.label;
    const list = groups.get(name) ?? [];
    list.push(p);
    groups.set(name, list);
  }
  const series: BandSeries[] = [...groups].map(([name, pts]) => {
    const at = (p: AggregatePoint | undefined, f: 'median' | 'p5' | 'p95'): number | null => {
      const s = p?.metrics[m.key];
      return s ? Number((s[f] * k).toFixed(4)) : null;
    };
    const byX = x.map((label) => pts.find((p) => !xAxis || valueText(p.values[xAxis.key]!) === label));
    return {
      name,
      mid: byX.map((p) => at(p, 'median')),
      low: byX.map((p) => at(p, 'p5')),
      high: byX.map((p) => at(p, 'p95')),
    };
  });
  return bandChart({
    title: m.label,
    x,
    xName: xAxis?.key ?? '',
    yName: unit,
    series,
  });
}

/** Renders the aggregate as an HTML page. */
export function renderAggregateHtml(a: Aggregate): string {
  const keys = a.grid.map((g) => g.key);
  const rows = a.points
    .map((p) => {
      const vals = keys.map((k) => `<td>${h(valueText(p.values[k]!))}</td>`).join('');
      const figs = SWEEP_METRICS.map((m) => `<td>${h(formatStats(m, p.metrics[m.key] ?? null))}</td>`).join(
        '',
      );
      const runs = `<td class="${p.runs.failed ? 'bad' : ''}">${p.runs.ok}/${p.runs.total}</td>`;
      return `<tr><td>${h(p.id)}</td>${vals}${runs}${figs}</tr>`;
    })
    .join('\n');
  const errors = a.points.flatMap((p) =>
    p.errors.map((e) => `<tr><td>${h(p.id)}</td><td>${e.seed}</td><td>${h(e.error)}</td></tr>`),
  );
  const charts = SWEEP_METRICS.map((m) => `<figure>${chartOf(a, m)}</figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Sweep of ${h(a.scenario.name)}</title><style>${CSS}</style></head>
<body><header><h1>Sweep of ${h(a.scenario.name)}</h1>
<div class="meta">sweep ${h(a.sweepId)} · scenario hash ${h(a.scenario.hash)} · ${a.seeds} seed(s) per point${
    a.recipients !== null ? ` · ${a.recipients} recipients` : ''
  } · runs ${a.runs.ok}/${a.runs.total} ok${a.runs.failed ? `, ${a.runs.failed} failed` : ''}${
    a.runs.missing ? `, ${a.runs.missing} missing` : ''
  } · median with the ${a.quantiles.low * 100}–${a.quantiles.high * 100} % band</div></header>
<main><h2>Charts</h2><div class="charts">
${charts}
</div>
<h2>Points</h2><table><thead><tr><th>point</th>${keys.map((k) => `<th>${h(k)}</th>`).join('')}<th>runs ok</th>${SWEEP_METRICS.map(
    (m) => `<th>${h(m.label)}</th>`,
  ).join('')}</tr></thead><tbody>
${rows}
</tbody></table>
${errors.length ? `<h2>Failed runs</h2><table><thead><tr><th>point</th><th>seed</th><th>error</th></tr></thead><tbody>\n${errors.join('\n')}\n</tbody></table>` : ''}
</main></body></html>
`;
}
