/** The "Over time" section of `report.html`: throughput (whole run and detail), the relay to the Enhanced MTA (enhanced runs), quarantine entries, retry delay, suspensions. */

import { dur } from '../../format/figures.ts';
import { formatWindow } from '../../metrics/incidents.ts';
import type { RelaySeries } from '../../metrics/relay.ts';
import type { ReportData } from '../../report-data.ts';
import { actionMarks, whereThingsHappen } from '../bands.ts';
import { type Band, durationHistogram, type Mark, timeLineChart, timelineChart } from '../charts.ts';
import { figure, nonZero } from '../elements.ts';

/**
 * The relay rate (enhanced runs only, seed 003 line 116): what the campaign's throughput chart shows
 * under the Enhanced MTA, messages relayed to the MTA, beside the MTA's first attempts of them.
 */
function relayChart(r: RelaySeries, marks: Mark[], marked: string): string {
  return figure(
    'chart-relay',
    timeLineChart({
      title: 'Relay to the Enhanced MTA',
      times: r.times,
      series: [
        { name: 'relayed to the MTA', data: r.relayed },
        { name: 'first attempts by the MTA', data: r.firstAttempts },
      ],
      marks,
    }),
    `Messages relayed from the campaign to the Enhanced MTA per ${dur(r.bucketMs)} slice (${r.total} in all, at most ${r.peak} in one slice; a delivery's messages are handed over at its start), and the MTA's first attempts of them${marked}.`,
    nonZero(r.relayed, r.firstAttempts),
  );
}

/** The section's heading and charts. */
export function overTimeSection(d: ReportData): string {
  const s = d.summary;
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
    ...(d.relay ? [relayChart(d.relay, marks, marked)] : []),
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
  return `<h2>Over time</h2>
<div class="charts">${charts.join('')}</div>`;
}

/** Attempts per domain in the focus window only, at the throughput slice width. */
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
