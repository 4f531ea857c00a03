/** Tables of `report.html` on timing: throughput per domain, retry delay by attempt, deferral periods, suspensions and blocks. */
import { escapeHtml as h } from '../../format/escape.ts';
import { dur, int } from '../../format/figures.ts';
import { formatTimeNotation as at } from '../../format/time-notation.ts';
import type { ReportData } from '../../report-data.ts';
import { table } from '../elements.ts';

export function timingTables(d: ReportData): string[] {
  const topN = d.settings.topN;
  return [
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
}
