/** `aggregate.md`: the sweep as Markdown tables, for a pull request or a job summary. */
import { escapeMarkdownCell as cell } from '../format/escape.ts';
import type { Aggregate } from './aggregate.ts';
import { formatStats } from './format.ts';
import { valueText } from './layout.ts';
import { SWEEP_METRICS } from './settings.ts';

/** Renders the aggregate as Markdown. */
export function renderAggregateMarkdown(a: Aggregate): string {
  const q = a.quantiles;
  const lines: string[] = [
    `# Sweep of ${cell(a.scenario.name)}`,
    '',
    `Sweep \`${a.sweepId}\`, scenario hash \`${a.scenario.hash}\`, ${a.seeds} seed(s) per point` +
      (a.recipients !== null ? `, ${a.recipients} recipients` : '') +
      '.',
    `Runs: ${a.runs.total} total, ${a.runs.ok} ok, ${a.runs.failed} failed` +
      (a.runs.missing ? `, ${a.runs.missing} missing (a shard's partial view)` : '') +
      '.',
    `Figures: median [${q.low * 100}th – ${q.high * 100}th percentile] over the seeds.`,
    '',
  ];
  const keys = a.grid.map((g) => g.key);
  lines.push(
    `| point | ${keys.map((k) => cell(k)).join(' | ')}${keys.length ? ' | ' : ''}runs ok | ${SWEEP_METRICS.map((m) => m.label).join(' | ')} |`,
  );
  lines.push(`|${' --- |'.repeat(2 + keys.length + SWEEP_METRICS.length)}`);
  for (const p of a.points) {
    const vals = keys.map((k) => cell(valueText(p.values[k]!)));
    const figures = SWEEP_METRICS.map((m) => formatStats(m, p.metrics[m.key] ?? null));
    lines.push(
      `| \`${p.id}\` | ${vals.join(' | ')}${vals.length ? ' | ' : ''}${p.runs.ok}/${p.runs.total} | ${figures.join(' | ')} |`,
    );
  }
  const errors = a.points.flatMap((p) => p.errors.map((e) => ({ point: p.id, ...e })));
  if (errors.length) {
    lines.push('', '## Failed runs', '', '| point | seed | error |', '| --- | --- | --- |');
    for (const e of errors) lines.push(`| ${cell(e.point)} | ${e.seed} | ${cell(e.error, 300)} |`);
  }
  return `${lines.join('\n')}\n`;
}
