/**
 * Where things went wrong, in a deliverability engineer's terms: false quarantines grouped by the
 * rule that quarantined them, with the domains hit and the window they happened in ("941 valid
 * addresses quarantined by rule apple_user_lookup_no_record: icloud.com 593, me.com 276, mac.com 72,
 * day1 07:00–11:40"). The report's headline and its zoomed time axis are built from these.
 */
import { DAY } from '../core/types.ts';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from './settings.ts';
import { QUARANTINED_CTES } from './sql.ts';
import { num, type ReportStore, rows } from './store-port.ts';
import { formatTimeNotation } from './time-notation.ts';

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

/** False quarantines by rule (most addresses first), at most `limit` rules. */
export async function falseQuarantineIncidents(
  store: ReportStore,
  settings: ReportSettings = DEFAULT_REPORT_SETTINGS,
  limit = 5,
): Promise<FalseQuarantineIncident[]> {
  const r = await rows<{ rule: string | null; domain: string; n: unknown; a: unknown; b: unknown }>(
    store,
    `WITH ${QUARANTINED_CTES}
     SELECT rule, domain, count(*) AS n, min(t) AS a, max(t) AS b FROM quarantined WHERE truth = ?
     GROUP BY ALL ORDER BY rule NULLS LAST, n DESC, domain`,
    [settings.validTruth],
  );
  const byRule = new Map<string | null, FalseQuarantineIncident>();
  for (const x of r) {
    let inc = byRule.get(x.rule);
    if (!inc) {
      inc = { rule: x.rule, addresses: 0, domains: [], domainCount: 0, fromMs: num(x.a), toMs: num(x.b) };
      byRule.set(x.rule, inc);
    }
    inc.addresses += num(x.n);
    inc.domains.push({ domain: x.domain, addresses: num(x.n) });
    inc.domainCount++;
    inc.fromMs = Math.min(inc.fromMs, num(x.a));
    inc.toMs = Math.max(inc.toMs, num(x.b));
  }
  return [...byRule.values()]
    .sort((a, b) => b.addresses - a.addresses || String(a.rule).localeCompare(String(b.rule)))
    .slice(0, limit)
    .map((i) => ({ ...i, domains: i.domains.slice(0, DOMAINS_SHOWN) }));
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
