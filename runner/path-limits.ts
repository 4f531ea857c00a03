/**
 * The MX-rule limit of every (domain, MX IP) a run sent to, derived from its plan the way the run
 * built them: the plan's ISP profiles give each domain's MX hosts and IPs (simulators' resolver), the
 * plan's MX rules with its throughput level give the rule of each host (core's `matchMxRule`), and
 * SPEC §7.1 splits the rule's hourly rate in slices. The run store does not hold the rules, so
 * `store/consistency.ts` gets them from here for its `slice-limit` check.
 */

import { applyThroughputLevel, type LevelTable, type MxRuleSet, matchMxRule } from '../core/shaping/index.ts';
import { HOUR } from '../core/types.ts';
import { loadMxRules, loadThroughputLevels } from '../node/index.ts';
import { createInProcessWorld, mxHostsOf } from '../simulators/index.ts';
import type { PathLimit } from '../store/consistency.ts';
import { planProfiles } from './plan-world.ts';
import type { RunPlan } from './run-plan.ts';
import { mxSyncOff } from './run-rule-sync.ts';

/** The MX rules a run of `plan` shapes with (throughput level applied). */
export function planMxRules(plan: RunPlan, levels: LevelTable = loadThroughputLevels()): MxRuleSet {
  return rulesAtLevel(plan, plan.mta.mxRules, levels);
}

/**
 * Most sends per slice and slice length for `messagesPerHour` under `set`'s slice settings, or null
 * when the rule has no hourly limit. Floor rounding: floor(R / n) per slice, or 1 per ceil(1 h / R)
 * when that is 0 (core/shaping/slice-limiter.ts); spread: slices differ by at most one, so ceil(R / n).
 */
export function sliceAllowance(
  set: MxRuleSet,
  messagesPerHour: number,
): { perSlice: number; sliceMs: number } | null {
  if (messagesPerHour <= 0) return null;
  const n = set.settings.slicesPerHour;
  if (set.settings.sliceRounding === 'spread')
    return { perSlice: Math.ceil(messagesPerHour / n), sliceMs: HOUR / n };
  const per = Math.floor(messagesPerHour / n);
  return per > 0
    ? { perSlice: per, sliceMs: HOUR / n }
    : { perSlice: 1, sliceMs: Math.ceil(HOUR / messagesPerHour) };
}

/**
 * The MX rules a run's MX-rule sync may put in force (its in-process instance's, level applied), or
 * null when there is none or the sync is off (runner/run-rule-sync.ts's `mxSyncOff`). A refresh
 * changes the limits mid-run: the check allows the larger of the two.
 */
function syncedMxRules(plan: RunPlan, initial: MxRuleSet, levels: LevelTable): MxRuleSet | null {
  const sync = plan.ruleSync;
  const file = sync?.mxUrl ? sync.instance?.mxRules : null;
  if (!sync || !file) return null;
  if (mxSyncOff(sync.mode, levels[plan.mta.throughputLevel].custom, initial) !== null) return null;
  return rulesAtLevel(plan, file, levels);
}

/** The MX rules of `file` ('default': the shipped ones) at the plan's throughput level. */
function rulesAtLevel(plan: RunPlan, file: string, levels: LevelTable): MxRuleSet {
  return applyThroughputLevel(
    loadMxRules(file === 'default' ? undefined : file),
    plan.mta.throughputLevel,
    levels,
  );
}

/** Limits of every (domain, MX IP) of `domains` under `plan` (domains no profile serves are left out). */
export function pathLimits(plan: RunPlan, domains: Iterable<string>): PathLimit[] {
  const levels = loadThroughputLevels();
  const set = planMxRules(plan, levels);
  const synced = syncedMxRules(plan, set, levels);
  const senderId = plan.mta.senderId ?? undefined;
  const world = createInProcessWorld({
    population: { truthOf: () => null },
    profiles: planProfiles(plan),
    seed: plan.seed,
    clock: { now: () => 0 },
  });
  const out: PathLimit[] = [];
  for (const domain of domains) {
    const brain = world.directory.brainFor(domain.toLowerCase());
    if (brain === null) continue;
    for (const h of mxHostsOf(brain, domain.toLowerCase())) {
      const rule = set.rules[matchMxRule(set, h.host, senderId)]!;
      let allowance = sliceAllowance(set, rule.messagesPerHour);
      if (allowance === null) continue;
      const later = synced && synced.rules[matchMxRule(synced, h.host, senderId)]!;
      if (later) {
        const a = sliceAllowance(set, later.messagesPerHour);
        if (a === null) continue;
        if (a.perSlice / a.sliceMs > allowance.perSlice / allowance.sliceMs) allowance = a;
      }
      for (const mxIp of h.ips)
        out.push({ domain, mxIp, rule: rule.name, shared: rule.shared, ...allowance });
    }
  }
  return out;
}
