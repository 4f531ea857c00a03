/**
 * `report.md`: a compact report that fits a pull-request comment: headline figures, top reasons,
 * false and missed quarantines, top to-qualify texts, small tables. Every remote text is escaped.
 */
import { escapeMarkdownCell as md } from '../format/escape.ts';
import { dur, int, pct } from '../format/figures.ts';
import { formatTimeNotation } from '../format/time-notation.ts';
import { truthSplit } from '../metrics/ground-truth.ts';
import { REPORTING_MODE_NAMES, REPORTING_MODES } from '../metrics/kpi.ts';
import type { ReportData, ReportLinks } from '../report-data.ts';
import { headlineLines } from '../summary/headline.ts';

function table(head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ['_none_', ''];
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ];
}

/** Under a list cut at its first rows: how many of how many, and the CSV with all of them. */
function more(shown: number, total: number, csv?: string): string[] {
  if (total <= shown) return [];
  return [`_first ${int(shown)} of ${int(total)}${csv ? `; all in [${csv}](${csv})` : ''}_`, ''];
}

/** Renders the Markdown report. */
export function renderMarkdown(d: ReportData, links: ReportLinks = {}): string {
  const s = d.summary;
  const m = s.messages;
  const q = s.quarantine;
  const out: string[] = [];
  out.push(`## mxlab run: ${md(s.scenario.name ?? 'unnamed')}`);
  out.push('');
  out.push(
    `seed \`${md(s.seed ?? '—')}\` · scenario hash \`${md(s.scenario.hash ?? '—')}\` · completed ${s.completedAt.text}`,
  );
  out.push('');
  for (const l of headlineLines(s)) out.push(`- ${l.tone === 'bad' ? '❌' : '✅'} ${md(l.text, 400)}`);
  out.push('');
  out.push(
    ...table(
      [
        'targeted',
        'delivered',
        'failed',
        'pending',
        'excluded',
        'quarantined',
        'false quarantines',
        'missed',
      ],
      [
        [
          int(m.targeted),
          int(m.delivered),
          int(m.failed.total),
          int(m.pending),
          int(m.excluded.total),
          `${int(q.addresses)} (${pct(q.rate)})`,
          `**${int(q.falseQuarantines)}**`,
          int(q.missedQuarantines),
        ],
      ],
    ),
  );
  if (m.cancelled)
    out.push(`${int(m.cancelled)} messages Delivery cancelled by an operator's stop (not pending).`, '');
  const f = s.feedback;
  out.push(
    `Complaints ${int(f.complaints)} (${int(f.complainers)} addresses) · denylisted by the run ${int(f.denylisted)}, before it ${int(f.denylistedBefore)} · allowlisted ${int(f.allowlisted)}`,
    '',
  );
  out.push(
    `Quarantine precision ${pct(q.precision)}, recall ${pct(q.recall)} · peak ${int(s.throughput.peakPerHour)} attempts/h at ${formatTimeNotation(s.throughput.peakHourMs)} · time to deliver p50 ${dur(s.timeToDeliver.p50)}, p90 ${dur(s.timeToDeliver.p90)}, p99 ${dur(s.timeToDeliver.p99)}`,
  );
  out.push('');
  out.push('### Success KPI by reporting mode');
  out.push('');
  out.push(
    ...table(
      REPORTING_MODES.map((k) => REPORTING_MODE_NAMES[k]),
      [REPORTING_MODES.map((k) => pct(s.kpi[k]))],
    ),
  );
  if (s.actions?.length) {
    out.push('### Operator actions');
    out.push('');
    out.push(
      ...table(
        ['when', 'action', 'target', 'outcome', 'affected', 'detail'],
        s.actions.map((a) => [
          a.text,
          a.kind,
          md(a.target ?? '—'),
          md(a.outcome),
          int(a.affected),
          md(a.detail ?? ''),
        ]),
      ),
    );
  }
  out.push('### Top failure reasons');
  out.push('');
  out.push(
    ...table(
      ['reason', 'messages'],
      m.failed.byReason
        .slice(0, d.settings.topN)
        .map((r) => [`${r.reason ?? '—'} ${md(r.name)}`, int(r.count)]),
    ),
  );
  out.push('### Quarantine by reason');
  out.push('');
  out.push(
    ...table(
      ['reason', 'addresses', 'rate'],
      q.byReason
        .slice(0, d.settings.topN)
        .map((r) => [`${r.reason ?? '—'} ${md(r.name)}`, int(r.addresses), pct(r.rate)]),
    ),
  );
  out.push('### Quarantine against ground truth, by truth');
  out.push('');
  out.push(
    ...table(
      ['truth', 'quarantined, not warranted', 'warranted, missed'],
      truthSplit(q).map((r) => [
        md(r.truth),
        r.wrong === null ? '—' : int(r.wrong),
        r.missed === null ? '—' : int(r.missed),
      ]),
    ),
  );
  out.push(`### False quarantines (valid addresses quarantined): ${int(q.falseQuarantines)}`);
  out.push('');
  out.push(
    ...table(
      ['address', 'when', 'rule', 'text'],
      d.falseQuarantines.map((f) => [
        md(f.address),
        f.t === null ? '—' : formatTimeNotation(f.t),
        md(f.rule ?? '—'),
        md(f.text ?? '', 80),
      ]),
    ),
    ...more(d.falseQuarantines.length, q.falseQuarantines, links.falseQuarantinesCsv),
  );
  out.push(`### Missed quarantines: ${int(q.missedQuarantines)}`);
  out.push('');
  out.push(
    ...table(
      ['address', 'truth', 'last text'],
      d.missedQuarantines.map((f) => [md(f.address), md(f.truth), md(f.text ?? '', 80)]),
    ),
    ...more(d.missedQuarantines.length, q.missedQuarantines, links.missedQuarantinesCsv),
  );
  out.push(
    `### Texts to qualify: ${int(s.qualification.toQualify)} (${int(s.qualification.toQualifyOccurrences)} occurrences)`,
  );
  out.push('');
  out.push(
    ...table(
      ['occurrences', 'text'],
      d.toQualify.map((e) => [int(e.occurrences), md(e.firstText, 100)]),
    ),
  );
  if (d.blocks.length > 0) {
    out.push('### Suspensions and blocks');
    out.push('');
    out.push(
      ...table(
        ['kind', 'domain', 'from', 'to', 'rule'],
        d.blocks
          .slice(0, d.settings.topN)
          .map((b) => [
            md(b.kind),
            md(b.domain),
            formatTimeNotation(b.startMs),
            formatTimeNotation(b.endMs),
            md(b.rule ?? '—'),
          ]),
      ),
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}
