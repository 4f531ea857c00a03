/**
 * The daily rule refresh of a run (SPEC §6.1, §7.1): at `refreshAt` each day of virtual time the run
 * asks the deliverability instance for its rules (core/rulesync). A success replaces the rules in
 * force, the user's own included, unless the instance is in custom mode; a failure (HTTP error,
 * timeout, invalid payload) keeps them. Each refresh is a row of the `actions` table (kind
 * `ruleSync`). With `mxUrl` the MX rules are refreshed at the same time, after the inbound rules
 * (kind `mxRuleSync`): the throughput level is applied over the fetched set and the shaper takes it
 * (`Shaper.useMxRules`); off when the MX rules in force say `syncRules: false` (the Custom level
 * sets that) or in custom mode. `instanceFetch` is the in-process instance a scenario may declare:
 * a fetch that serves its rule file (and MX rule file at `mxUrl`), or its outage's reply while one is on.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { SwitchableQualifier } from '../core/qualification/index.ts';
import type { RuleSet } from '../core/qualification/rule-schema.ts';
import { createMxRuleSync, createRuleSync, type RuleSyncStatus } from '../core/rulesync/index.ts';
import {
  applyThroughputLevel,
  type LevelTable,
  type MxRuleSet,
  type Shaper,
  type ThroughputLevel,
} from '../core/shaping/index.ts';
import { DAY } from '../core/types.ts';
import type { Simulation } from '../engine/index.ts';
import {
  DEFAULT_MX_RULES_FILE,
  DEFAULT_RULES_DIR,
  loadMxRules,
  parseDataText,
  ruleFiles,
} from '../node/index.ts';
import type { ScenarioRuleSync } from '../scenarios/rule-sync-schema.ts';
import type { ActionRow } from '../store/index.ts';

/** The simulation event kind of a refresh (the MTA uses 1..7, actions 100). */
export const RULE_SYNC_EVENT_KIND = 101;

/**
 * Why the MX-rule sync does not refresh (seed 001:80: custom mode turns it off; the custom throughput
 * level and the MX rules in force may too), or null when it does. The runner's sync and `mxlab check`'s
 * path limits (path-limits.ts) both ask here.
 */
export function mxSyncOff(
  mode: ScenarioRuleSync['mode'],
  customLevel: boolean,
  rulesInForce: MxRuleSet,
): string | null {
  if (mode === 'custom') return 'custom mode';
  if (customLevel) return 'custom throughput level';
  return rulesInForce.settings.syncRules ? null : 'syncRules: false in the MX rules in force';
}

/** A fetch answering for the in-process instance at virtual time `now()`; `mxUrl` gets its MX rules. */
export function instanceFetch(
  instance: NonNullable<ScenarioRuleSync['instance']>,
  now: () => number,
  mxUrl: string | null = null,
): typeof fetch {
  // every rule of the file or directory, in order, as one rule file
  const rules = ruleFiles(instance.rules === 'default' ? DEFAULT_RULES_DIR : instance.rules).flatMap(
    (f) => (parseYaml(readFileSync(f, 'utf8')) as { rules: unknown[] }).rules,
  );
  const body = JSON.stringify({ version: instance.version, rules });
  const mxFile = instance.mxRules === 'default' ? DEFAULT_MX_RULES_FILE : instance.mxRules;
  // a bad file fails the run's setup here, naming file, line and field (exit 2), not every refresh
  if (mxFile !== null) loadMxRules(mxFile);
  const mxBody =
    mxFile === null
      ? null
      : JSON.stringify({ version: instance.version, mxRules: parseYaml(readFileSync(mxFile, 'utf8')) });
  return ((url: string, init?: RequestInit) => {
    const t = now();
    const outage = instance.outages.find((o) => t >= o.from && t < o.to);
    if (outage?.reply === 'timeout')
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      });
    if (outage?.reply === 'invalid') return Promise.resolve(new Response('{"version": 1, "rules": "none"}'));
    if (typeof outage?.reply === 'number')
      return Promise.resolve(new Response('unavailable', { status: outage.reply }));
    if (mxBody !== null && String(url) === mxUrl) return Promise.resolve(new Response(mxBody));
    // the rule file with the instance's version label (what core/rulesync's payload schema wants)
    return Promise.resolve(new Response(body));
  }) as typeof fetch;
}

/** What the MX-rule refresh needs of the run: its shaper and its throughput level. */
export interface MxSyncTarget {
  shaper: Shaper;
  level: ThroughputLevel;
  levels: LevelTable;
}

/** Schedules the daily refreshes; `record` gets one row per refresh (two with `mxUrl`). */
export function scheduleRuleSync(
  sim: Simulation,
  config: ScenarioRuleSync,
  horizonMs: number,
  qualifier: SwitchableQualifier,
  qualifierFor: (rules: RuleSet) => Parameters<SwitchableQualifier['use']>[0],
  record: (row: ActionRow) => void,
  mx: MxSyncTarget,
): void {
  const fetch = config.instance ? instanceFetch(config.instance, () => sim.now, config.mxUrl) : undefined;
  const sync = createRuleSync({
    url: config.url,
    mode: config.mode,
    initial: qualifier.current(),
    build: (rules) => qualifierFor(rules),
    clock: sim.clock,
    // the instance may serve YAML: read it with the located errors of a data file
    parse: parseDataText,
    timeoutMs: config.timeoutMs,
    fetch,
  });
  const refreshMx = config.mxUrl ? mxRefresh(sim, config, config.mxUrl, mx, fetch, record) : null;
  sim.on(RULE_SYNC_EVENT_KIND, async () => {
    const st = await sync.refresh();
    const t = sim.now;
    if (st.mode === 'custom')
      record(row(t, 'ruleSync', config.url, 'custom', 0, 'custom mode: no refresh, the rules in force stay'));
    else if (applied(st, t)) {
      qualifier.use(sync.holder.current);
      record(
        row(
          t,
          'ruleSync',
          config.url,
          'applied',
          st.ruleCount ?? 0,
          `version ${st.version}: ${st.ruleCount} rules replace the rules in force`,
        ),
      );
    } else record(row(t, 'ruleSync', config.url, 'failed', 0, failedDetail(st, 'rules')));
    if (refreshMx) await refreshMx();
  });
  for (let t = config.refreshAtMs; t < horizonMs; t += DAY) sim.schedule(t, RULE_SYNC_EVENT_KIND);
}

/** One MX-rule refresh: off, applied (the shaper takes the set, level applied) or failed (kept). */
function mxRefresh(
  sim: Simulation,
  config: ScenarioRuleSync,
  url: string,
  mx: MxSyncTarget,
  fetch: typeof globalThis.fetch | undefined,
  record: (row: ActionRow) => void,
): () => Promise<void> {
  const sync = createMxRuleSync<MxRuleSet>({
    url,
    initial: mx.shaper.rules,
    build: (set) => applyThroughputLevel(set, mx.level, mx.levels),
    clock: sim.clock,
    parse: parseDataText,
    timeoutMs: config.timeoutMs,
    fetch,
  });
  return async () => {
    const t = sim.now;
    const off = mxSyncOff(config.mode, mx.levels[mx.level].custom, mx.shaper.rules);
    if (off !== null) {
      record(row(t, 'mxRuleSync', url, 'custom', 0, `${off}: no refresh, the MX rules in force stay`));
      return;
    }
    const st = await sync.refresh();
    if (!applied(st, t)) {
      record(row(t, 'mxRuleSync', url, 'failed', 0, failedDetail(st, 'MX rules')));
      return;
    }
    const sites = mx.shaper.useMxRules(sync.holder.current);
    record(
      row(
        t,
        'mxRuleSync',
        url,
        'applied',
        sites,
        `version ${st.version}: ${st.ruleCount} MX rules replace the MX rules in force (${sites} sites)`,
      ),
    );
  };
}

const applied = (st: RuleSyncStatus, t: number): boolean => st.lastError === null && st.lastSuccessAt === t;

const failedDetail = (st: RuleSyncStatus, what: string): string =>
  `${st.lastError}; the ${what} in force (version ${st.version}) stay`;

function row(
  t: number,
  kind: string,
  target: string,
  outcome: string,
  affected: number,
  detail: string,
): ActionRow {
  return { t, kind, target, outcome, affected, detail };
}
