/**
 * Theoretical hourly capacity of an MX rule (SPEC §7.1 table): with Shared on, one bucket per local
 * IP; with Shared off, one per (local IP, MX IP). {@link measureHourlyCapacity} gets the same figure by
 * sending through a real {@link Shaper} for one hour, so the table comes out of the code that enforces it.
 */
import type { MxHost } from '../ports.ts';
import { type MxRule, type MxRuleSettings, makeMxRuleSet } from './mx-rules.ts';
import { createShaper } from './shaper.ts';

/** Number of limit buckets a rule gives N local IPs reaching M MX IPs. */
export function bucketCount(rule: Pick<MxRule, 'shared'>, localIps: number, mxIps: number): number {
  return rule.shared ? localIps : localIps * mxIps;
}

/** Nominal messages per hour: buckets × messagesPerHour (Infinity when the rule has no hourly limit). */
export function hourlyCapacity(
  rule: Pick<MxRule, 'shared' | 'messagesPerHour'>,
  localIps: number,
  mxIps: number,
): number {
  if (rule.messagesPerHour === 0) return Number.POSITIVE_INFINITY;
  return bucketCount(rule, localIps, mxIps) * rule.messagesPerHour;
}

/**
 * Sends as fast as the shaper allows for one hour from t = 0 to one domain with `mxIps` MX IPs (one
 * host per IP, same preference) from `localIps` local IPs under `rule`, and returns how many went out.
 */
export function measureHourlyCapacity(
  rule: MxRule,
  settings: MxRuleSettings,
  localIps: number,
  mxIps: number,
): number {
  const general: MxRule = { ...rule, mask: '*', name: 'general' };
  const shaper = createShaper({ mode: 'legacy', mxRules: makeMxRuleSet([general], settings) });
  const hosts: MxHost[] = [];
  for (let i = 0; i < mxIps; i++)
    hosts.push({ host: `mx${i}.example.net`, preference: 10, ips: [`192.0.2.${i + 1}`] });
  const ips: string[] = [];
  for (let i = 0; i < localIps; i++) ips.push(`198.51.100.${i + 1}`);
  const d = shaper.registerSite('example.net', hosts, ips);
  const end = 3_600_000;
  let t = 0;
  let sent = 0;
  for (;;) {
    const c = shaper.routeId(d, t);
    if (c.pathId < 0 || c.at >= end) break;
    t = c.at;
    shaper.onSend(c.pathId, t);
    sent++;
  }
  return sent;
}
