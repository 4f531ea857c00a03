/** Tables of `report.html` on quarantine: by domain, against ground truth by truth, the false and the missed quarantines (first rows, link to the full CSV). */
import { escapeHtml as h } from '../../format/escape.ts';
import { int, pct } from '../../format/figures.ts';
import { formatTimeNotation as at } from '../../format/time-notation.ts';
import { truthSplit } from '../../metrics/ground-truth.ts';
import type { ReportData, ReportLinks } from '../../report-data.ts';
import { table } from '../elements.ts';

export function quarantineTables(d: ReportData, links: ReportLinks): string[] {
  const q = d.summary.quarantine;
  const topN = d.settings.topN;
  return [
    table(
      'Quarantine by domain',
      d.quarantineByDomain.slice(0, topN),
      [
        { head: 'domain', cell: (r) => h(r.domain) },
        { head: 'targeted', cell: (r) => int(r.targeted), cls: 'n' },
        { head: 'quarantined', cell: (r) => int(r.quarantined), cls: 'n' },
        { head: 'rate', cell: (r) => pct(r.rate), cls: 'n' },
      ],
      'table-quarantine-domain',
    ),
    table(
      'Quarantine against ground truth, by truth',
      truthSplit(q),
      [
        { head: 'truth', cell: (r) => h(r.truth) },
        {
          head: 'quarantined, not warranted',
          cell: (r) => (r.wrong === null ? '—' : int(r.wrong)),
          cls: 'n',
        },
        { head: 'warranted, missed', cell: (r) => (r.missed === null ? '—' : int(r.missed)), cls: 'n' },
      ],
      'table-quarantine-truth',
    ),
    table(
      `False quarantines (${int(q.falseQuarantines)})`,
      d.falseQuarantines,
      [
        { head: 'address', cell: (r) => h(r.address) },
        { head: 'when', cell: (r) => (r.t === null ? '—' : at(r.t)), cls: 'w' },
        { head: 'rule', cell: (r) => h(r.rule ?? '—') },
        { head: 'text', cell: (r) => h(r.text), cls: 'x' },
      ],
      'table-false-quarantines',
      { total: q.falseQuarantines, csv: links.falseQuarantinesCsv, wide: true },
    ),
    table(
      `Missed quarantines (${int(q.missedQuarantines)})`,
      d.missedQuarantines,
      [
        { head: 'address', cell: (r) => h(r.address) },
        { head: 'truth', cell: (r) => h(r.truth) },
        { head: 'last text', cell: (r) => h(r.text), cls: 'x' },
      ],
      'table-missed-quarantines',
      { total: q.missedQuarantines, csv: links.missedQuarantinesCsv, wide: true },
    ),
  ];
}
