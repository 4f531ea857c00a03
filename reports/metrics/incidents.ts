/**
 * Where things went wrong, in a deliverability engineer's terms: false quarantines grouped by the
 * rule that quarantined them, with the domains hit and the window they happened in ("941 valid
 * addresses quarantined by rule apple_user_lookup_no_record: icloud.com 593, me.com 276, mac.com 72,
 * day1 07:00–11:40"). The report's headline and its zoomed time axis are built from these.
 */
import { DAY } from '../../core/types.ts';
import { formatTimeNotation } from '../format/time-notation.ts';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../settings.ts';
import type { ReportStore } from '../store-port.ts';
import { type QuarantineFact, quarantineFacts } from './quarantine.ts';

export interface FalseQuarantineIncident {
  /** the rule that quarantined (null: none named, e.g. the error threshold of SPEC §5) */
  rule: string | null;
  /** valid addresses it quarantined */
  addresses: number;
  /** the domains hit, most first (at most 3) */
  domains: { domain: string; addresses: number }[];
  /** how many domains it hit in all */
  domainCount: number;
  /** first and last entry into quarantine, ms */
  fromMs: number;
  toMs: number;
}

/** How many domains an incident names. */
const DOMAINS_SHOWN = 3;

/**
 * False quarantines by rule (most addresses first), at most `limit` rules, from the quarantine facts
 * (one pass over the recipients that the summary makes anyway; no query of its own).
 */
export async function falseQuarantineIncidents(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
  limit = 5,
  facts?: readonly QuarantineFact[],
): Promise<FalseQuarantineIncident[]> {
  const f = facts ?? (await quarantineFacts(store));
  const byRule = new Map<string | null, FalseQuarantineIncident>();
  const perDomain = new Map<string | null, Map<string, number>>();
  for (const x of f) {
    if (!x.quar || x.pre || x.truth !== settings.validTruth) continue;
    let inc = byRule.get(x.rule);
    if (!inc) {
      inc = {
        rule: x.rule,
        addresses: 0,
        domains: [],
        domainCount: 0,
        fromMs: x.fromMs ?? 0,
        toMs: x.toMs ?? 0,
      };
      byRule.set(x.rule, inc);
      perDomain.set(x.rule, new Map());
    }
    inc.addresses += x.n;
    const d = perDomain.get(x.rule)!;
    d.set(x.domain, (d.get(x.domain) ?? 0) + x.n);
    inc.fromMs = Math.min(inc.fromMs, x.fromMs ?? inc.fromMs);
    inc.toMs = Math.max(inc.toMs, x.toMs ?? inc.toMs);
  }
  for (const [rule, inc] of byRule) {
    const ds = [...perDomain.get(rule)!].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    inc.domainCount = ds.length;
    inc.domains = ds.slice(0, DOMAINS_SHOWN).map(([domain, addresses]) => ({ domain, addresses }));
  }
  return [...byRule.values()]
    .sort((a, b) => b.addresses - a.addresses || String(a.rule).localeCompare(String(b.rule)))
    .slice(0, limit);
}

/** `day1 07:00–11:40`, `day1 07:00–day2 03:10` across days, `day1 07:00` for one minute. */
export function formatWindow(fromMs: number, toMs: number): string {
  const a = formatTimeNotation(fromMs);
  const b = formatTimeNotation(toMs);
  if (a === b) return a;
  return Math.floor(fromMs / DAY) === Math.floor(toMs / DAY)
    ? `${a}–${b.slice(b.indexOf(' ') + 1)}`
    : `${a}–${b}`;
}
