/**
 * What the time charts of `report.html` mark: the false-quarantine windows and the longest suspensions
 * as shaded bands, the operator actions as dashed lines, and the focus window of the detail chart.
 */
import type { ReportData } from '../report-data.ts';
import type { Band, Mark } from './charts.ts';

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

/** The run's operator actions (scenario `actions:`), as instants on the time charts. */
export function actionMarks(d: ReportData): Mark[] {
  return (d.summary.actions ?? []).map((a) => ({
    name: a.target ? `${a.kind} ${a.target}` : a.kind,
    atMs: a.ms,
  }));
}
