/** Tables of `report.html` on what became of the messages: operator actions, failures by reason, exclusions. */
import { escapeHtml as h } from '../../format/escape.ts';
import { int } from '../../format/figures.ts';
import type { ReportData } from '../../report-data.ts';
import { table } from '../elements.ts';

export function deliveryTables(d: ReportData): string[] {
  const s = d.summary;
  const m = s.messages;
  return [
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
  ];
}
