/**
 * Two runs side by side (same scenario and seed, different rules or settings): headline metric
 * deltas, who is quarantined in one run and not the other (with the rule and text that did it, and
 * ground truth), and the `--fail-on` verdict. Pure over two stores; renders as Markdown or JSON.
 *
 * `mxlab compare --rules OLD NEW SCENARIO` (cli/commands/compare.ts) runs the scenario twice and then calls
 * `compareRuns(storeA, storeB, ...)`; the hook is `compareRuns`, nothing here runs a simulation.
 */

import { escapeMarkdownCell } from '../format/escape.ts';
import { int } from '../format/figures.ts';
import { formatDurationShort, formatTimeNotation } from '../format/time-notation.ts';
import type { AddressFinding } from '../metrics/ground-truth.ts';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../settings.ts';
import { QUARANTINED_CTES } from '../sql.ts';
import { type ReportStore, rows } from '../store-port.ts';
import { buildSummary, type Summary } from '../summary/summary.ts';
import { evaluateFailOn, type FailOnResult, parseFailOn } from './fail-on.ts';
import { metricMap } from './metric-map.ts';

export interface MetricDelta {
  name: string;
  a: number | null;
  b: number | null;
  /** b - a */
  delta: number | null;
  /** (b - a) / abs(a), null when a is 0 or missing */
  relative: number | null;
  ratio: boolean;
  /** a duration in ms: rendered as `3h05m` */
  duration: boolean;
}

export interface RunIdentity {
  scenario: string | null;
  hash: string | null;
  seed: string | null;
}

export interface CompareResult {
  a: RunIdentity;
  b: RunIdentity;
  /** same scenario hash and seed: the difference comes from rules or settings only */
  comparable: boolean;
  metrics: MetricDelta[];
  /** quarantined by B and not by A (by address), at most `limit` */
  onlyInB: AddressFinding[];
  onlyInA: AddressFinding[];
  counts: { onlyInB: number; onlyInA: number; onlyInBValid: number; onlyInAValid: number };
  failOn: FailOnResult[];
  /** true when a fail-on condition holds */
  failed: boolean;
}

/** Every address a run left in quarantine (decided by the run), with truth, rule and text; by address. */
export function quarantinedAddresses(store: ReportStore): Promise<AddressFinding[]> {
  return rows<AddressFinding>(
    store,
    `WITH ${QUARANTINED_CTES} SELECT address, domain, truth, t, reason, rule, text FROM quarantined ORDER BY address`,
  );
}

function identity(s: Summary): RunIdentity {
  return { scenario: s.scenario.name, hash: s.scenario.hash, seed: s.seed };
}

/** Compares two summaries and their quarantine sets; `failOn` is a `--fail-on` expression. */
export async function compareRuns(
  storeA: ReportStore,
  storeB: ReportStore,
  opts: { failOn?: string; settings?: ReportSettings; limit?: number } = {},
): Promise<CompareResult> {
  const settings = opts.settings ?? DEFAULT_REPORT_SETTINGS;
  const sa = await buildSummary(storeA, settings);
  const sb = await buildSummary(storeB, settings);
  const ma = metricMap(sa);
  const mb = metricMap(sb);
  // parse first: a bad expression is reported before any heavier work
  const conditions = opts.failOn ? parseFailOn(opts.failOn, mb) : [];
  const metrics: MetricDelta[] = [...mb].map(([name, vb]) => {
    const a = ma.get(name)!.value;
    const b = vb.value;
    const delta = a === null || b === null ? null : b - a;
    return {
      name,
      a,
      b,
      delta,
      relative: delta === null || a === 0 || a === null ? null : delta / Math.abs(a),
      ratio: vb.ratio,
      duration: vb.duration === true,
    };
  });
  const qa = await quarantinedAddresses(storeA);
  const qb = await quarantinedAddresses(storeB);
  const inA = new Set(qa.map((x) => x.address));
  const inB = new Set(qb.map((x) => x.address));
  const onlyB = qb.filter((x) => !inA.has(x.address));
  const onlyA = qa.filter((x) => !inB.has(x.address));
  const limit = opts.limit ?? settings.topN * 5;
  const failOn = evaluateFailOn(conditions, ma, mb);
  return {
    a: identity(sa),
    b: identity(sb),
    comparable: sa.scenario.hash === sb.scenario.hash && sa.seed === sb.seed,
    metrics,
    onlyInB: onlyB.slice(0, limit),
    onlyInA: onlyA.slice(0, limit),
    counts: {
      onlyInB: onlyB.length,
      onlyInA: onlyA.length,
      onlyInBValid: onlyB.filter((x) => x.truth === settings.validTruth).length,
      onlyInAValid: onlyA.filter((x) => x.truth === settings.validTruth).length,
    },
    failOn,
    failed: failOn.some((r) => r.holds),
  };
}

/** How a rendering writes text cells: escaped for Markdown, or plain for a terminal. */
export type CompareStyle = 'markdown' | 'text';

function plainCell(s: unknown, max = 120): string {
  if (s === null || s === undefined) return '';
  const t = String(s).replace(/[\r\n\t]+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function signedDuration(ms: number): string {
  return `${ms < 0 ? '-' : ms > 0 ? '+' : ''}${formatDurationShort(Math.abs(ms))}`;
}

function fmt(v: number | null, m: MetricDelta): string {
  if (v === null) return '—';
  if (m.ratio) return `${(v * 100).toFixed(2)} %`;
  if (m.duration) return formatDurationShort(v);
  return Number.isInteger(v) ? int(v) : v.toFixed(3);
}

function fmtDelta(m: MetricDelta): string {
  if (m.delta === null) return '—';
  const sign = m.delta > 0 ? '+' : '';
  if (m.ratio) return `${sign}${(m.delta * 100).toFixed(2)} pp`;
  const rel = m.relative === null ? '' : ` (${m.relative > 0 ? '+' : ''}${(m.relative * 100).toFixed(1)} %)`;
  if (m.duration) return `${signedDuration(m.delta)}${rel}`;
  return `${sign}${Number.isInteger(m.delta) ? int(m.delta) : m.delta.toFixed(3)}${rel}`;
}

/** The compared quantity of a fail-on condition, in its unit (pp, %, a duration, a count). */
function fmtActual(f: FailOnResult, metrics: readonly MetricDelta[]): string {
  if (f.actual === null) return 'n/a';
  const n = Number(f.actual.toFixed(4));
  if (f.mode === 'pp') return `${n >= 0 ? '+' : ''}${n} pp`;
  if (f.mode === 'relative') return `${n >= 0 ? '+' : ''}${n} %`;
  const m = metrics.find((x) => x.name === f.metric);
  if (m?.duration) return f.mode === 'delta' ? signedDuration(f.actual) : formatDurationShort(f.actual);
  return String(n);
}

/**
 * Markdown rendering (fits a pull-request comment), or with `style: 'text'` the same layout with
 * texts as they are (for a terminal: no HTML entities, no backslashes): changed metrics (durations
 * as `3h05m`), address differences, verdict.
 */
export function renderCompareMarkdown(r: CompareResult, style: CompareStyle = 'markdown'): string {
  const md = style === 'markdown' ? escapeMarkdownCell : plainCell;
  const out: string[] = [];
  out.push(`## mxlab compare: ${md(r.a.scenario ?? 'A')} vs ${md(r.b.scenario ?? 'B')}`, '');
  if (!r.comparable)
    out.push(
      '> **Warning**: the runs differ in scenario hash or seed; differences are not only the rules.',
      '',
    );
  if (r.failOn.length) {
    out.push(r.failed ? '**FAIL**' : '**PASS**', '');
    // a condition is METRIC OP VALUE (no backtick can occur): a code span shows it as written
    for (const f of r.failOn)
      out.push(`- ${f.holds ? '❌' : '✅'} \`${f.text}\`: ${fmtActual(f, r.metrics)}`);
    out.push('');
  }
  const changed = r.metrics.filter((m) => m.delta !== 0);
  out.push('| metric | A | B | B - A |', '| --- | --- | --- | --- |');
  for (const m of changed.length ? changed : r.metrics.slice(0, 6))
    out.push(`| ${m.name} | ${fmt(m.a, m)} | ${fmt(m.b, m)} | ${fmtDelta(m)} |`);
  out.push('');
  const list = (title: string, xs: AddressFinding[], n: number, valid: number) => {
    out.push(`### ${title}: ${int(n)} (${int(valid)} valid)`, '');
    if (xs.length === 0) return out.push('_none_', '');
    out.push('| address | truth | when | rule | text |', '| --- | --- | --- | --- | --- |');
    for (const x of xs)
      out.push(
        `| ${md(x.address)} | ${md(x.truth)} | ${x.t === null ? '—' : formatTimeNotation(x.t)} | ${md(x.rule ?? '—')} | ${md(x.text ?? '', 80)} |`,
      );
    if (n > xs.length) out.push('', `… and ${int(n - xs.length)} more`);
    out.push('');
  };
  list('Quarantined in B, not in A', r.onlyInB, r.counts.onlyInB, r.counts.onlyInBValid);
  list('Quarantined in A, not in B', r.onlyInA, r.counts.onlyInA, r.counts.onlyInAValid);
  return `${out.join('\n').trimEnd()}\n`;
}

/** JSON rendering: stable key order, numbers rounded to 6 decimals, Infinity as a string. */
export function renderCompareJson(r: CompareResult): string {
  return `${JSON.stringify(
    r,
    (_k, v) => {
      if (typeof v !== 'number') return v;
      if (!Number.isFinite(v)) return String(v);
      return Number.isInteger(v) ? v : Number(v.toFixed(6));
    },
    2,
  )}\n`;
}
