/**
 * The daily rule refresh of a run (SPEC §6.1): at `refreshAt` each day of virtual time the run asks
 * the deliverability instance for its rules (core/rulesync). A success replaces the rules in force,
 * the user's own included, unless the instance is in custom mode; a failure (HTTP error, timeout,
 * invalid payload) keeps them. Each refresh is a row of the `actions` table (kind `ruleSync`).
 * `instanceFetch` is the in-process instance a scenario may declare: a fetch that serves its rule
 * file, or its outage's reply while one is on.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_RULES_DIR, ruleFiles, type SwitchableQualifier } from '../core/qualification/index.ts';
import type { RuleSet } from '../core/qualification/rule-schema.ts';
import { createRuleSync } from '../core/rulesync/index.ts';
import { DAY } from '../core/types.ts';
import type { Simulation } from '../engine/index.ts';
import type { ScenarioRuleSync } from '../scenarios/rule-sync-schema.ts';
import type { ActionRow } from '../store/index.ts';

/** The simulation event kind of a refresh (the MTA uses 1..7, actions 100). */
export const RULE_SYNC_EVENT_KIND = 101;

/** A fetch answering for the in-process instance at virtual time `now()`. */
export function instanceFetch(
  instance: NonNullable<ScenarioRuleSync['instance']>,
  now: () => number,
): typeof fetch {
  // every rule of the file or directory, in order, as one rule file
  const rules = ruleFiles(instance.rules === 'default' ? DEFAULT_RULES_DIR : instance.rules).flatMap(
    (f) => (parseYaml(readFileSync(f, 'utf8')) as { rules: unknown[] }).rules,
  );
  const body = JSON.stringify({ version: instance.version, rules });
  return ((_url: string, init?: RequestInit) => {
    const t = now();
    const outage = instance.outages.find((o) => t >= o.from && t < o.to);
    if (outage?.reply === 'timeout')
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      });
    if (outage?.reply === 'invalid') return Promise.resolve(new Response('{"version": 1, "rules": "none"}'));
    if (typeof outage?.reply === 'number')
      return Promise.resolve(new Response('unavailable', { status: outage.reply }));
    // the rule file with the instance's version label (what core/rulesync's payload schema wants)
    return Promise.resolve(new Response(body));
  }) as typeof fetch;
}

/** Schedules the daily refreshes; `record` gets one row per refresh. */
export function scheduleRuleSync(
  sim: Simulation,
  config: ScenarioRuleSync,
  horizonMs: number,
  qualifier: SwitchableQualifier,
  qualifierFor: (rules: RuleSet) => Parameters<SwitchableQualifier['use']>[0],
  record: (row: ActionRow) => void,
): void {
  const sync = createRuleSync({
    url: config.url,
    mode: config.mode,
    initial: qualifier.current(),
    build: (rules) => qualifierFor(rules),
    clock: sim.clock,
    timeoutMs: config.timeoutMs,
    fetch: config.instance ? instanceFetch(config.instance, () => sim.now) : undefined,
  });
  sim.on(RULE_SYNC_EVENT_KIND, () =>
    sync.refresh().then((st) => {
      const t = sim.now;
      if (st.mode === 'custom') {
        record(row(t, config.url, 'custom', 0, 'custom mode: no refresh, the rules in force stay'));
        return;
      }
      if (st.lastError === null && st.lastSuccessAt === t) {
        qualifier.use(sync.holder.current);
        record(
          row(
            t,
            config.url,
            'applied',
            st.ruleCount ?? 0,
            `version ${st.version}: ${st.ruleCount} rules replace the rules in force`,
          ),
        );
      } else
        record(
          row(t, config.url, 'failed', 0, `${st.lastError}; the rules in force (version ${st.version}) stay`),
        );
    }),
  );
  for (let t = config.refreshAtMs; t < horizonMs; t += DAY) sim.schedule(t, RULE_SYNC_EVENT_KIND);
}

function row(t: number, target: string, outcome: string, affected: number, detail: string): ActionRow {
  return { t, kind: 'ruleSync', target, outcome, affected, detail };
}
