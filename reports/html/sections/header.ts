/** The header of `report.html`: title, run identity, the headline lines and the figure cards. */
import { escapeHtml as h } from '../../format/escape.ts';
import { dur, int, pct } from '../../format/figures.ts';
import type { ReportData } from '../../report-data.ts';
import { headlineLines } from '../../summary/headline.ts';
import { card } from '../elements.ts';

/** The `<header>` element. */
export function headerSection(d: ReportData, title: string): string {
  const s = d.summary;
  const m = s.messages;
  const q = s.quarantine;
  const cards = [
    card('targeted', int(m.targeted)),
    card('delivered', int(m.delivered), 'good'),
    card('failed', int(m.failed.total)),
    card('pending', int(m.pending)),
    ...(m.cancelled ? [card('cancelled by a stop', int(m.cancelled))] : []),
    card('excluded', int(m.excluded.total)),
    card('quarantine rate', pct(q.rate)),
    card('false quarantines', int(q.falseQuarantines), q.falseQuarantines > 0 ? 'bad' : 'good'),
    card('missed quarantines', int(q.missedQuarantines), q.missedQuarantines > 0 ? 'bad' : 'good'),
    card('precision / recall', `${pct(q.precision, 1)} / ${pct(q.recall, 1)}`),
    card('peak attempts / hour', int(s.throughput.peakPerHour)),
    card('time to deliver p50 / p90', `${dur(s.timeToDeliver.p50)} / ${dur(s.timeToDeliver.p90)}`),
    card('texts to qualify', int(s.qualification.toQualify), s.qualification.toQualify > 0 ? 'bad' : ''),
    card('complaints', int(s.feedback.complaints)),
    card('denylisted by the run', int(s.feedback.denylisted)),
    card('allowlisted', int(s.feedback.allowlisted)),
  ];
  const headline = `<ul class="headline" id="headline">${headlineLines(s)
    .map((l) => `<li class="${l.tone}">${h(l.text)}</li>`)
    .join('')}</ul>`;
  return `<header>
<h1>${h(title)}</h1>
<div class="meta">seed <code>${h(s.seed ?? '—')}</code> · scenario hash <code>${h(s.scenario.hash ?? '—')}</code> · completed ${h(s.completedAt.text)} · summary schema v${s.schemaVersion}</div>
${headline}
<div class="cards">${cards.join('')}</div>
</header>`;
}
