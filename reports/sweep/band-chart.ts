/**
 * A line chart with a shaded band per series (e.g. the median with its 5–95 % band) over a category
 * axis (the values of a grid key, in grid order), as a server-side echarts SVG with ids renumbered
 * so the same data always gives the same bytes.
 */
import { PALETTE, renderChart } from '../html/charts.ts';

/** One line with its band; `null` where the point has no data. */
export interface BandSeries {
  name: string;
  mid: (number | null)[];
  low: (number | null)[];
  high: (number | null)[];
}

export interface BandChartOptions {
  title: string;
  /** category labels of the x axis */
  x: string[];
  xName: string;
  yName: string;
  series: BandSeries[];
  /** y axis label formatter (e.g. hours, percent) */
  format?: (v: number) => string;
  width?: number;
  height?: number;
}

/** Renders the chart to an `<svg>` string. */
export function bandChart(o: BandChartOptions): string {
  const fmt = o.format ?? ((v: number) => String(v));
  const series: Record<string, unknown>[] = [];
  o.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const stack = `band-${i}`;
    series.push({
      type: 'line',
      name: `${s.name} band-low`,
      stack,
      data: s.low,
      lineStyle: { opacity: 0 },
      showSymbol: false,
      silent: true,
      color,
    });
    series.push({
      type: 'line',
      name: `${s.name} band`,
      stack,
      data: s.high.map((h, k) => (h === null || s.low[k] === null ? null : h - s.low[k]!)),
      lineStyle: { opacity: 0 },
      areaStyle: { color, opacity: 0.15 },
      showSymbol: false,
      silent: true,
      color,
    });
    series.push({ type: 'line', name: s.name, data: s.mid, color, symbolSize: 6, lineStyle: { width: 2 } });
  });
  return renderChart(
    {
      title: { text: o.title, left: 8, top: 6, textStyle: { fontSize: 14 } },
      legend: { top: 8, right: 10, data: o.series.map((s) => s.name), textStyle: { fontSize: 11 } },
      grid: { left: 64, right: 20, top: 48, bottom: 48 },
      xAxis: {
        type: 'category',
        data: o.x,
        name: o.xName,
        nameLocation: 'middle',
        nameGap: 30,
        boundaryGap: false,
      },
      yAxis: { type: 'value', name: o.yName, axisLabel: { formatter: fmt } },
      series,
    },
    { width: o.width ?? 560, height: o.height ?? 320 },
    o.title,
    's',
  );
}
