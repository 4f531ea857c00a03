/**
 * Fits ISP profiles (simulators/isp/profile-schema.ts) to a run store, an ingested production log or a
 * simulated run, so a scenario can rerun "the ISPs we saw" (`mxlab calibrate`). Per profile (domains
 * that share an MX IP: one ISP's fleet), from the attempts:
 *
 * * **windows**: a failure reply that takes at least `windowShare` of the first attempts in an
 *   hour, `windowMin` times or more, and is at least `windowRatio` times as frequent there as in the
 *   other hours: an outage (or a deferral window); consecutive hours make one window, probability the
 *   reply's share inside it;
 * * **rateLimits**: a 4xx reply that, in a (local IP, clock hour), first comes after k clean attempts
 *   (at least `rateMinOnset` and a fifth of the hour's), then answers at least `rateAfter` of the rest,
 *   to messages mostly accepted later: a per-hour limit at the median k;
 * * **truth**: replies of the reasons that name a recipient truth (1 -> unknown; 4 -> disabled and
 *   disabledPermanent; 5 -> mailboxFull and mailboxFullPermanent): the most frequent for unknown; for
 *   the others the reply whose messages were mostly accepted later plays the temporary truth, the one
 *   whose messages never were the permanent one; the rerun's population decides who gets them (a log
 *   knows no truth);
 * * **random**: every other reply seen `randomMin` times or more, with its share of the attempts;
 * * **acceptThenBounce**: async DSNs matched to an accepted message (the `inmail` table): the share of
 *   unknown recipients accepted then bounced, and the delay as a lognormal (median, sigma).
 *
 * MX hosts: a store keeps MX IPs, not names; a shipped profile whose MX IPs are the ones seen lends
 * its MX list (so MX rules by host name still apply to a rerun), else `mx1.{domain}` with as many IPs
 * as seen. Greylisting, complaints and latencies are not fitted (profile defaults).
 */
import { HOUR } from '../core/types.ts';
import type { IspProfile, IspProfileInput } from '../simulators/isp/profile-schema.ts';
import { loadIspProfiles, mxIps } from '../simulators/isp/profiles-load.ts';
import type { RunStore } from '../store/index.ts';

export interface FitSettings {
  /** domains (with MX IPs) below this many attempts are left to the shipped catch-all */
  minAttempts: number;
  windowShare: number;
  windowMin: number;
  windowRatio: number;
  rateAfter: number;
  /** a rate limit starts after at least this many clean attempts in the hour */
  rateMinOnset: number;
  /** and recurs at least this many times in the hour */
  rateMinHits: number;
  /** share of the messages a rate-limit reply hit that were accepted in the end */
  rateAccepted: number;
  randomMin: number;
}

export const DEFAULT_FIT: FitSettings = {
  minAttempts: 50,
  windowShare: 0.2,
  windowMin: 5,
  windowRatio: 5,
  rateAfter: 0.15,
  rateMinOnset: 10,
  rateMinHits: 5,
  rateAccepted: 0.5,
  randomMin: 3,
};

interface Attempt {
  t: number;
  /** the message: delivery and recipient */
  msg: string;
  attempt: number;
  /** the message was accepted in the end */
  accepted: boolean;
  domain: string;
  address: string;
  mx_ip: string | null;
  local_ip: string | null;
  phase: string;
  code: number | null;
  text: string;
  type: string | null;
  reason: number | null;
  outcome: string;
}

/** One fitted reply: its template and where it was seen. */
interface Reply {
  template: string;
  phase: ScriptPhase;
  code: number;
  type: string | null;
  reason: number | null;
  count: number;
  /** the messages it answered at their first attempt */
  msgs: string[];
  byHour: Map<number, number>;
  firstT: Map<number, number>;
  lastT: Map<number, number>;
}

type ScriptPhase = 'connect' | 'ehlo' | 'mail' | 'rcpt' | 'data';
const SCRIPT_PHASES = new Set(['connect', 'ehlo', 'mail', 'rcpt', 'data']);

export interface FittedProfile {
  profile: IspProfileInput;
  attempts: number;
  /** what each fitted part rests on, for the report */
  evidence: string[];
}

export interface HourMix {
  domain: string;
  hour: number;
  attempts: number;
  delivered: number;
  deferred: number;
  failed: number;
  byReason: Record<string, number>;
}

export interface Calibration {
  profiles: FittedProfile[];
  /** reply mix per domain and hour of the run */
  mix: HourMix[];
  /** domains left to the catch-all (too few attempts or no MX IP) */
  leftOut: string[];
}

/** A reply as a profile writes it: the recipient and client IP as placeholders, one final line. */
export function templateOf(text: string, address: string, localIp: string | null): string {
  let s = text.replace(/\r?\n/g, '\n');
  if (address) s = s.split(address).join('<rcpt>');
  // the client IP a reply names: the local IP when the log has it, else any IPv4 address in the text
  s = localIp ? s.split(localIp).join('x.x.x.x') : s.replace(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, 'x.x.x.x');
  // a multi-line reply joined on one line (as MTAs log them) must not end in a continuation line
  if (!s.includes('\n') && s[3] === '-') s = `${s.slice(0, 3)} ${s.slice(4)}`;
  return s;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
}

/** Domains grouped by shared MX IPs (union-find). */
function groupDomains(ipsOf: Map<string, Set<string>>): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const owner = new Map<string, string>();
  for (const [d, ips] of ipsOf) {
    parent.set(d, d);
    for (const ip of ips) {
      const o = owner.get(ip);
      if (o === undefined) owner.set(ip, d);
      else parent.set(find(d), find(o));
    }
  }
  const groups = new Map<string, string[]>();
  for (const d of ipsOf.keys()) {
    const r = find(d);
    groups.set(r, [...(groups.get(r) ?? []), d]);
  }
  return [...groups.values()].map((g) => g.sort());
}

/** The MX list of a shipped profile whose IPs for `domain` include one seen, else a generic one. */
function mxFor(domain: string, seen: Set<string>, shipped: IspProfile[]): IspProfileInput['mx'] {
  const dashed = domain.replaceAll('.', '-');
  for (const p of shipped) {
    const ips = p.mx.flatMap((m) => mxIps(m.host.replaceAll('{domain}', dashed), m.ips));
    if (ips.some((ip) => seen.has(ip)))
      return p.mx.map((m) => ({ host: m.host, preference: m.preference, ips: m.ips }));
  }
  return [{ host: 'mx1.{domain}', preference: 10, ips: Math.min(64, Math.max(1, seen.size)) }];
}

/** Reasons that name a recipient truth family (SPEC §3): user unknown, account disabled, mailbox full. */
const FAMILY_OF: Record<number, string> = { 1: 'unknown', 4: 'disabled', 5: 'mailboxFull' };

/** Fits profiles to the store's attempts (and inmail). */
export async function calibrate(store: RunStore, settings: Partial<FitSettings> = {}): Promise<Calibration> {
  const s = { ...DEFAULT_FIT, ...settings };
  const rows = await store.all<Attempt>(
    `SELECT a.t, a.delivery_id || ':' || a.recipient_id AS msg, a.attempt, l.delivered_ms IS NOT NULL AS accepted, a.domain, l.address, a.mx_ip, a.local_ip, a.phase::VARCHAR AS phase, a.code, a.text, a.type::VARCHAR AS type,
            a.reason, a.outcome::VARCHAR AS outcome
     FROM attempts a JOIN delivery_log l USING (delivery_id, recipient_id) ORDER BY a.t, a.delivery_id, a.recipient_id, a.attempt`,
  );
  const mix = await store.all<Omit<HourMix, 'byReason'>>(
    `SELECT domain, (t // ${HOUR})::INTEGER AS hour, count(*)::INTEGER AS attempts,
            count(*) FILTER (WHERE outcome = 'delivered')::INTEGER AS delivered,
            count(*) FILTER (WHERE outcome = 'retry')::INTEGER AS deferred,
            count(*) FILTER (WHERE outcome IN ('failed', 'expired'))::INTEGER AS failed
     FROM attempts GROUP BY ALL ORDER BY domain, hour`,
  );
  const reasons = await store.all<{ domain: string; hour: number; reason: number; n: number }>(
    `SELECT domain, (t // ${HOUR})::INTEGER AS hour, reason, count(*)::INTEGER AS n
     FROM attempts WHERE reason IS NOT NULL GROUP BY ALL ORDER BY domain, hour, reason`,
  );
  const byReason = new Map<string, Record<string, number>>();
  for (const r of reasons) {
    const k = `${r.domain}\u0000${r.hour}`;
    byReason.set(k, { ...(byReason.get(k) ?? {}), [r.reason]: r.n });
  }
  const ipsOf = new Map<string, Set<string>>();
  const count = new Map<string, number>();
  for (const r of rows) {
    count.set(r.domain, (count.get(r.domain) ?? 0) + 1);
    if (r.mx_ip) {
      let set = ipsOf.get(r.domain);
      if (!set) {
        set = new Set();
        ipsOf.set(r.domain, set);
      }
      set.add(r.mx_ip);
    }
  }
  const shipped = loadIspProfiles();
  const dsns = await store.all<{ domain: string; delay: number }>(
    `SELECT l.domain, (i.t - l.delivered_ms)::DOUBLE AS delay FROM inmail i
     JOIN delivery_log l ON l.delivery_id = i.delivery_id AND l.recipient_id = i.recipient_id
     WHERE i.kind = 'dsn' AND l.delivered_ms IS NOT NULL AND i.t > l.delivered_ms`,
  );
  const leftOut: string[] = [];
  const profiles: FittedProfile[] = [];
  for (const group of groupDomains(ipsOf)) {
    const total = group.reduce((n, d) => n + (count.get(d) ?? 0), 0);
    if (total < s.minAttempts) {
      leftOut.push(...group);
      continue;
    }
    const inGroup = new Set(group);
    const attempts = rows.filter((r) => inGroup.has(r.domain) && r.mx_ip !== null);
    const seen = new Set(group.flatMap((d) => [...(ipsOf.get(d) ?? [])]));
    profiles.push(
      fitGroup(
        group,
        attempts,
        seen,
        shipped,
        dsns.filter((d) => inGroup.has(d.domain)),
        s,
      ),
    );
  }
  for (const d of count.keys()) if (!ipsOf.has(d)) leftOut.push(d);
  return {
    profiles,
    mix: mix.map((m) => ({ ...m, byReason: byReason.get(`${m.domain}\u0000${m.hour}`) ?? {} })),
    leftOut: leftOut.sort(),
  };
}

function fitGroup(
  domains: string[],
  attempts: Attempt[],
  seen: Set<string>,
  shipped: IspProfile[],
  dsns: { delay: number }[],
  s: FitSettings,
): FittedProfile {
  const evidence: string[] = [];
  // first attempts only: retries are the failures of earlier hours again, not what the ISP said to new mail
  const perHour = new Map<number, number>();
  const replies = new Map<string, Reply>();
  let firsts = 0;
  for (const a of attempts) {
    const h = Math.floor(a.t / HOUR);
    if (a.attempt !== 1) continue;
    firsts++;
    perHour.set(h, (perHour.get(h) ?? 0) + 1);
    if (a.outcome === 'delivered' || a.code === null || !SCRIPT_PHASES.has(a.phase)) continue;
    const template = templateOf(a.text, a.address, a.local_ip);
    const key = `${a.phase}\u0000${template}`;
    let r = replies.get(key);
    if (!r) {
      r = {
        template,
        phase: a.phase as ScriptPhase,
        code: a.code,
        type: a.type,
        reason: a.reason,
        count: 0,
        msgs: [],
        byHour: new Map(),
        firstT: new Map(),
        lastT: new Map(),
      };
      replies.set(key, r);
    }
    r.count++;
    r.msgs.push(a.msg);
    r.byHour.set(h, (r.byHour.get(h) ?? 0) + 1);
    if (!r.firstT.has(h)) r.firstT.set(h, a.t);
    r.lastT.set(h, a.t);
  }
  const n = firsts;
  const used = new Set<Reply>();

  // windows
  const windows: NonNullable<IspProfileInput['windows']> = [];
  for (const r of replies.values()) {
    const hot = [...r.byHour.entries()]
      .filter(([h, c]) => c >= s.windowMin && c / perHour.get(h)! >= s.windowShare)
      .map(([h]) => h)
      .sort((a, b) => a - b);
    if (hot.length === 0) continue;
    const hotSet = new Set(hot);
    let inC = 0;
    let inN = 0;
    for (const h of hot) {
      inC += r.byHour.get(h)!;
      inN += perHour.get(h)!;
    }
    const outShare = (r.count - inC) / Math.max(1, n - inN);
    if (inC / inN < s.windowRatio * outShare) continue;
    // consecutive hours make one window
    let start = hot[0]!;
    for (let k = 0; k < hot.length; k++) {
      const h = hot[k]!;
      if (hotSet.has(h + 1)) continue;
      let c = 0;
      let m = 0;
      for (let x = start; x <= h; x++) {
        c += r.byHour.get(x) ?? 0;
        m += perHour.get(x) ?? 0;
      }
      const from = r.firstT.get(start)!;
      const to = Math.max(r.lastT.get(h)! + 60_000, from + 60_000);
      windows.push({
        name: `fitted-${windows.length + 1}`,
        from,
        to,
        phase: r.phase,
        reply: r.template,
        probability: Math.min(1, Math.round((c / m) * 1000) / 1000),
      });
      evidence.push(
        `window ${fmtHour(from)}-${fmtHour(to)}: ${c} of ${m} attempts got "${short(r.template)}"`,
      );
      start = hot[k + 1] ?? start;
    }
    used.add(r);
  }

  // rate limits: per (local IP, clock hour) bucket, clean attempts before the reply, and its share after
  const rateLimits: NonNullable<IspProfileInput['rateLimits']> = [];
  for (const r of replies.values()) {
    if (used.has(r) || r.code < 400 || r.code >= 500) continue;
    const buckets = new Map<string, { k: number; first: number; after: number; hits: number }>();
    for (const a of attempts) {
      const key = `${a.local_ip ?? ''}\u0000${Math.floor(a.t / HOUR)}`;
      let b = buckets.get(key);
      if (!b) {
        b = { k: 0, first: -1, after: 0, hits: 0 };
        buckets.set(key, b);
      }
      const hit =
        a.code !== null && a.phase === r.phase && templateOf(a.text, a.address, a.local_ip) === r.template;
      if (b.first < 0) {
        if (hit) {
          b.first = b.k;
          b.hits++;
        }
        b.k++;
      } else {
        b.after++;
        if (hit) b.hits++;
      }
    }
    // buckets where the reply starts late (after `rateMinOnset` clean attempts and a fifth of the
    // hour's) and recurs: a random reply starts early, a retried one does not recur
    const withHit = [...buckets.values()].filter(
      (b) => b.hits >= s.rateMinHits && b.first >= s.rateMinOnset && b.first >= 0.2 * (b.k + b.after),
    );
    if (withHit.length === 0) continue;
    // a rate limit defers mail the ISP takes later: most of the messages it hit were accepted in the end
    const hitMsgs = new Map<string, boolean>();
    for (const a of attempts)
      if (a.code !== null && a.phase === r.phase && templateOf(a.text, a.address, a.local_ip) === r.template)
        hitMsgs.set(a.msg, a.accepted);
    const acceptedShare = [...hitMsgs.values()].filter(Boolean).length / Math.max(1, hitMsgs.size);
    if (acceptedShare < s.rateAccepted) continue;
    const shareAfter = median(withHit.map((b) => (b.after === 0 ? 1 : (b.hits - 1) / b.after)));
    if (shareAfter < s.rateAfter) continue;
    const limit = Math.max(1, median(withHit.map((b) => b.first)));
    rateLimits.push({ perHour: limit, phase: r.phase, reply: r.template });
    evidence.push(
      `rate limit ${limit}/h per local IP: "${short(r.template)}" answered ${Math.round(shareAfter * 100)}% of attempts after the first, in ${withHit.length} IP-hours`,
    );
    used.add(r);
  }

  // truth replies: per family, the reply most of whose messages were accepted later plays the
  // temporary truth (disabled, mailboxFull), the one whose messages never were the permanent one
  const accepted = new Map<string, boolean>();
  for (const a of attempts) accepted.set(a.msg, a.accepted);
  const truth: Record<string, { phase: ScriptPhase; reply: string }> = {};
  const families = new Map<string, Reply[]>();
  for (const r of replies.values()) {
    if (used.has(r)) continue;
    const family = FAMILY_OF[r.reason ?? -1];
    if (family) families.set(family, [...(families.get(family) ?? []), r]);
  }
  for (const [family, rs] of families) {
    for (const r of rs) used.add(r);
    const total = rs.reduce((x, r) => x + r.count, 0);
    if (family === 'unknown') {
      const top = rs.sort((a, b) => b.count - a.count)[0]!;
      truth.unknown = { phase: top.phase, reply: top.template };
      evidence.push(`truth unknown: "${short(top.template)}" (${total} first attempts, ${rs.length} texts)`);
      continue;
    }
    const later = (r: Reply) => r.msgs.filter((m) => accepted.get(m)).length;
    const temp = [...rs].sort((a, b) => later(b) - later(a))[0]!;
    const perm = [...rs].sort((a, b) => b.msgs.length - later(b) - (a.msgs.length - later(a)))[0]!;
    const [tKind, pKind] =
      family === 'disabled' ? ['disabled', 'disabledPermanent'] : ['mailboxFull', 'mailboxFullPermanent'];
    truth[tKind] = { phase: temp.phase, reply: temp.template };
    truth[pKind] = { phase: perm.phase, reply: perm.template };
    evidence.push(
      `truth ${tKind}: "${short(temp.template)}", ${pKind}: "${short(perm.template)}" (${total} first attempts, ${rs.length} texts)`,
    );
  }
  const random: NonNullable<IspProfileInput['random']> = [];
  for (const r of [...replies.values()].sort((a, b) => b.count - a.count)) {
    if (used.has(r) || r.count < s.randomMin) continue;
    const p = Math.round((r.count / Math.max(1, n)) * 10_000) / 10_000;
    if (p <= 0) continue;
    random.push({ phase: r.phase, probability: p, reply: r.template });
    evidence.push(`random ${(p * 100).toFixed(2)}%: "${short(r.template)}"`);
  }

  const all = attempts.length;
  const profile: IspProfileInput = {
    name: `fit-${domains[0]!.replaceAll('.', '-')}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
    description: `fitted by mxlab calibrate from ${all} attempts to ${domains.length} domain${domains.length > 1 ? 's' : ''}`,
    domains,
    mx: mxFor(domains[0]!, seen, shipped),
    magicLocalParts: true,
    truth,
    random,
    windows,
    rateLimits,
  };
  if (dsns.length > 0) {
    const unknownSync = [...replies.values()].filter((r) => r.reason === 1).reduce((x, r) => x + r.count, 0);
    const ln = dsns.map((d) => Math.log(Math.max(1, d.delay)));
    const mu = ln.reduce((a, b) => a + b, 0) / ln.length;
    const sigma = Math.sqrt(ln.reduce((a, b) => a + (b - mu) ** 2, 0) / ln.length);
    profile.acceptThenBounce = {
      probability: Math.round((dsns.length / (dsns.length + unknownSync)) * 1000) / 1000,
      delay: {
        medianMs: Math.max(1, Math.round(median(dsns.map((d) => d.delay)))),
        sigma: Math.min(5, Math.round(sigma * 100) / 100),
      },
    };
    evidence.push(
      `accept then bounce: ${dsns.length} DSNs after acceptance, median delay ${Math.round(median(dsns.map((d) => d.delay)) / 60_000)} min`,
    );
  }
  return { profile, attempts: all, evidence };
}

function short(s: string): string {
  return s.length > 70 ? `${s.slice(0, 67)}...` : s;
}

function fmtHour(ms: number): string {
  const day = Math.floor(ms / 86_400_000) + 1;
  const h = Math.floor((ms % 86_400_000) / HOUR);
  const m = Math.floor((ms % HOUR) / 60_000);
  return `day${day} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
