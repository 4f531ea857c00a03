/** Tables of `report.html` on bounce qualification: texts still to qualify, the qualification table (top). */
import { escapeHtml as h } from '../../format/escape.ts';
import { int } from '../../format/figures.ts';
import type { ReportData } from '../../report-data.ts';
import { table } from '../elements.ts';

export function qualificationTables(d: ReportData): string[] {
  return [
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
  ];
}
