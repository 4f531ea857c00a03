/**
 * The report's headline in deliverability terms, from the summary alone: which valid addresses were
 * quarantined, by which rule, at which domains and when; what should have been quarantined and was
 * not; complaints and the denylist. Each line has a tone (bad / ok) for the HTML bullets.
 */
import { int } from '../format/figures.ts';
import type { Summary } from './summary-schema.ts';

export interface HeadlineLine {
  text: string;
  tone: 'bad' | 'ok';
}

/** How many rules the headline names (the rest are in the tables). */
const RULES_NAMED = 3;

/** `1 address`, `941 addresses`. */
function n(count: number, one: string, many: string): string {
  return `${int(count)} ${count === 1 ? one : many}`;
}

export function headlineLines(s: Summary): HeadlineLine[] {
  const q = s.quarantine;
  const out: HeadlineLine[] = [];
  // no address with a known truth (an ingested production log): nothing to say about right or wrong
  if (q.precision === null) {
    out.push({
      text: `${n(q.addresses, 'address', 'addresses')} quarantined; no ground truth (a production log), so false and missed quarantines are unknown`,
      tone: 'ok',
    });
    return [...out, ...feedbackLines(s)];
  }
  for (const i of q.falseQuarantinesByRule.slice(0, RULES_NAMED)) {
    const domains = i.domains.map((d) => `${d.domain} ${int(d.addresses)}`).join(', ');
    const rest =
      i.domainCount > i.domains.length
        ? ` and ${n(i.domainCount - i.domains.length, 'more domain', 'more domains')}`
        : '';
    const by = i.rule === null ? 'without a named rule' : `by rule ${i.rule}`;
    out.push({
      text: `${n(i.addresses, 'valid address', 'valid addresses')} quarantined ${by}: ${domains}${rest}, ${i.window}`,
      tone: 'bad',
    });
  }
  const named = q.falseQuarantinesByRule.slice(0, RULES_NAMED).reduce((n, i) => n + i.addresses, 0);
  if (q.falseQuarantines > named)
    out.push({
      text: `${n(q.falseQuarantines - named, 'more valid address', 'more valid addresses')} quarantined by other rules`,
      tone: 'bad',
    });
  if (q.falseQuarantines === 0) out.push({ text: 'no valid address quarantined', tone: 'ok' });
  const missed = Object.entries(q.missedQuarantinesByTruth)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  out.push(
    q.missedQuarantines > 0
      ? {
          text: `${n(q.missedQuarantines, 'address that should be quarantined is', 'addresses that should be quarantined are')} not (${missed.map(([t, n]) => `${t} ${int(n)}`).join(', ')})`,
          tone: 'bad',
        }
      : { text: 'every address that should be quarantined is', tone: 'ok' },
  );
  return [...out, ...feedbackLines(s)];
}

function feedbackLines(s: Summary): HeadlineLine[] {
  const f = s.feedback;
  if (f.complaints === 0 && f.denylisted === 0) return [];
  return [
    {
      text: `${n(f.complaints, 'complaint', 'complaints')} from ${n(f.complainers, 'address', 'addresses')}; ${n(f.denylisted, 'address', 'addresses')} denylisted by the run (${int(f.denylistedBefore)} before it)`,
      tone: 'ok',
    },
  ];
}
