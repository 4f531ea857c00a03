/**
 * Server-side SVG charts with echarts (no DOM, no network): each function returns one `<svg>`
 * string. echarts escapes the texts it draws; `assertSafeSvg` double-checks the output.
 */
import * as echarts from 'echarts';
import { HOUR } from '../../core/types.ts';
import { formatTimeNotation } from '../format/time-notation.ts';

export interface ChartSize {
  width: number;
  height: number;
}

export const DEFAULT_CHART_SIZE: ChartSize = { width: 560, height: 300 };

/** A palette that reads well on white and in grey print. */
export const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#475569',
  '#ea580c',
  '#94a3b8',
];

const BASE = {
  animation: false,
  color: PALETTE,
  textStyle: { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif' },
  grid: { left: 56, right: 20, top: 48, bottom: 44, containLabel: false },
};

/** Throws when an SVG contains markup that could run script (defence in depth for remote texts). */
export function assertSafeSvg(svg: string): string {
  if (/<script|<foreignObject|\son[a-z]+\s*=|javascript:/i.test(svg))
    throw new Error('reports: unsafe SVG produced');
  return svg;
}

/** `Attempts per domain` -> `c-attempts-per-domain`: a stable prefix for the SVG's ids and classes. */
function slug(title: string, prefix: string): string {
  return `${prefix}-${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}

/** Rewrites zrender's `zrN-cls-M` / `zrN-cM` ids to `PREFIX-cls-K` numbered by first appearance. */
function renumber(svg: string, prefix: string): string {
  const seen = new Map<string, string>();
  return svg.replace(/\bzr\d+-([a-z]*-?)(\d+)\b/g, (token, kind: string) => {
    let id = seen.get(token);
    if (id === undefined) {
      id = `${prefix}-${kind}${seen.size}`;
      seen.set(token, id);
    }
    return id;
  });
}

/**
 * Renders an echarts option (over the house style: palette, font, grid, no animation) to an `<svg>`
 * string whose ids and classes are named from `key` (the title) and `prefix` instead of zrender's
 * per-instance counters, so the same data gives the same bytes and two charts on a page never clash.
 */
export function renderChart(
  option: Record<string, unknown>,
  size: ChartSize,
  key: string,
  prefix = 'c',
): string {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    chart.setOption({ ...BASE, ...option });
    // zrender numbers its ids and classes per instance (`zr7-cls-3`): renumber them from the chart's
    // title so the same data gives the same bytes, and two charts on one page never clash
    return assertSafeSvg(renumber(chart.renderToSVGString(), slug(key, prefix)));
  } finally {
    chart.dispose();
  }
}

function timeAxis(maxMs: number, minMs = 0) {
  return {
    type: 'value',
    min: minMs / HOUR,
    max: Math.max(minMs / HOUR + 1, Math.ceil(maxMs / HOUR)),
    name: 'run time',
    nameLocation: 'middle',
    nameGap: 28,
    axisLabel: {
      formatter: (h: number) => formatTimeNotation(h * HOUR).replace('day', 'd'),
      hideOverlap: true,
    },
    splitLine: { show: false },
  };
}

/** A time span drawn as a shaded band behind a chart's lines (an outage, a suspension). */
export interface Band {
  name: string;
  startMs: number;
  endMs: number;
}

const BAND_COLOURS = ['rgba(220,38,38,0.13)', 'rgba(217,119,6,0.15)', 'rgba(124,58,237,0.12)'];

/** echarts markArea of bands (x in hours), at least 6 minutes wide so a short one stays visible. */
function markBands(bands: readonly Band[]) {
  return {
    silent: true,
    // names would pile up where bands overlap: the figure's caption names them
    label: { show: false },
    data: bands.map((b, i) => [
      { name: b.name, xAxis: b.startMs / HOUR, itemStyle: { color: BAND_COLOURS[i % BAND_COLOURS.length] } },
      { xAxis: Math.max(b.endMs, b.startMs + HOUR / 10) / HOUR },
    ]),
  };
}

/** An instant drawn as a vertical line across a chart (an operator action). */
export interface Mark {
  name: string;
  atMs: number;
}

/** echarts markLine of instants (x in hours), each labelled with its name at the top. */
function markInstants(marks: readonly Mark[]) {
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { color: '#0f766e', type: 'dashed', width: 1.5 },
    label: { show: true, position: 'insideEndTop', formatter: '{b}', fontSize: 10, color: '#0f766e' },
    data: marks.map((m) => ({ name: m.name, xAxis: m.atMs / HOUR })),
  };
}

export interface LineSeries {
  name: string;
  /** y values, one per time */
  data: number[];
}

/** Lines over run time (x in ms); `percent` formats y as 0..100 %. Optionally stacked areas. */
export function timeLineChart(opts: {
  title: string;
  times: number[];
  series: LineSeries[];
  percent?: boolean;
  stacked?: boolean;
  step?: boolean;
  size?: ChartSize;
  yName?: string;
  /** shaded spans behind the lines */
  bands?: readonly Band[];
  /** instants drawn as labelled vertical lines (operator actions) */
  marks?: readonly Mark[];
  /** zoom: the x axis spans [fromMs, toMs] instead of the whole run */
  window?: { fromMs: number; toMs: number };
}): string {
  const maxT = opts.window?.toMs ?? (opts.times.length ? opts.times[opts.times.length - 1]! : HOUR);
  // more series than fit beside the title: the legend goes under the chart, so it never covers the title
  const many = opts.series.length > 3;
  return renderChart(
    {
      title: { text: opts.title, left: 8, top: 6, textStyle: { fontSize: 14 } },
      legend: many
        ? { bottom: 4, left: 'center', type: 'plain', textStyle: { fontSize: 11 } }
        : { top: 8, right: 10, type: 'plain', textStyle: { fontSize: 11 } },
      ...(many ? { grid: { ...BASE.grid, bottom: 96 } } : {}),
      xAxis: opts.window ? { ...timeAxis(maxT, opts.window.fromMs), max: maxT / HOUR } : timeAxis(maxT),
      yAxis: {
        type: 'value',
        name: opts.yName ?? '',
        min: 0,
        max: opts.percent ? 100 : undefined,
        axisLabel: { formatter: opts.percent ? '{value} %' : '{value}' },
      },
      series: opts.series.map((s, i) => ({
        type: 'line',
        name: s.name,
        ...(i === 0 && opts.bands?.length ? { markArea: markBands(opts.bands) } : {}),
        ...(i === 0 && opts.marks?.length ? { markLine: markInstants(opts.marks) } : {}),
        showSymbol: false,
        step: opts.step ? 'end' : undefined,
        stack: opts.stacked ? 'all' : undefined,
        areaStyle: opts.stacked ? { opacity: 0.55 } : undefined,
        lineStyle: { width: opts.stacked ? 1 : 2 },
        data: s.data.map((v, i) => [opts.times[i]! / HOUR, opts.percent ? Math.round(v * 10000) / 100 : v]),
      })),
    },
    opts.size ?? DEFAULT_CHART_SIZE,
    opts.title,
  );
}

const UNITS: readonly [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'm'],
  [1000, 's'],
  [1, 'ms'],
];

/**
 * The label of histogram bin `i`: the range it holds in the largest unit dividing the width,
 * `0–3h`, `3–6h`: a 1 h retry is in `0–3h`, never in a bar labelled `0s`.
 */
export function binLabel(i: number, binMs: number): string {
  const [u, name] = UNITS.find(([u]) => binMs % u === 0) ?? [1, 'ms'];
  return `${(i * binMs) / u}–${((i + 1) * binMs) / u}${name}`;
}

/** Histogram of durations: `bins[i]` counts values in [i x binMs, (i + 1) x binMs). */
export function durationHistogram(opts: {
  title: string;
  binMs: number;
  bins: number[];
  size?: ChartSize;
}): string {
  // bins past the largest value are empty: leave them out
  let n = opts.bins.length;
  while (n > 1 && opts.bins[n - 1] === 0) n--;
  const bins = opts.bins.slice(0, n);
  return renderChart(
    {
      title: { text: opts.title, left: 8, top: 6, textStyle: { fontSize: 14 } },
      xAxis: {
        type: 'category',
        data: bins.map((_, i) => binLabel(i, opts.binMs)),
        name: 'delay before the attempt',
        nameLocation: 'middle',
        nameGap: 28,
        axisLabel: { hideOverlap: true },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: 'retries', data: bins, barCategoryGap: '10%' }],
    },
    opts.size ?? DEFAULT_CHART_SIZE,
    opts.title,
  );
}

export interface TimelineBar {
  /** row label, e.g. `suspend gm.com` */
  label: string;
  startMs: number;
  endMs: number;
  /** colour group, e.g. the kind */
  group: string;
}

/** Gantt-like timeline: one horizontal bar per period (a transparent offset bar plus the period). */
export function timelineChart(opts: { title: string; bars: TimelineBar[]; size?: ChartSize }): string {
  const groups = [...new Set(opts.bars.map((b) => b.group))];
  const labels = opts.bars.map((b) => b.label);
  const maxT = opts.bars.reduce((m, b) => Math.max(m, b.endMs), HOUR);
  const height = Math.max(opts.size?.height ?? 160, 90 + 22 * opts.bars.length);
  return renderChart(
    {
      title: { text: opts.title, left: 8, top: 6, textStyle: { fontSize: 14 } },
      legend: { top: 8, right: 10, data: groups },
      grid: { left: 150, right: 20, top: 48, bottom: 44 },
      xAxis: timeAxis(maxT),
      yAxis: {
        type: 'category',
        data: labels,
        inverse: true,
        axisLabel: { width: 140, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          stack: 't',
          silent: true,
          itemStyle: { color: 'transparent' },
          data: opts.bars.map((b) => b.startMs / HOUR),
        },
        ...groups.map((g) => ({
          type: 'bar',
          stack: 't',
          name: g,
          data: opts.bars.map((b) => (b.group === g ? (b.endMs - b.startMs) / HOUR : 0)),
        })),
      ],
    },
    { width: opts.size?.width ?? DEFAULT_CHART_SIZE.width, height },
    opts.title,
  );
}
