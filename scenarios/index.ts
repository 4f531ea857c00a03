/**
 * The mxlab library API: load or define a scenario, run it, and query its run store.
 *
 * ```ts
 * import { loadScenario, runScenario } from 'mxlab';
 * const { summary, store } = await runScenario(loadScenario('scenarios/catalog/isp-outage.yaml'), { out: 'out/x' });
 * ```
 */
import { fileURLToPath } from 'node:url';
import { planOf } from './plan-of.ts';
import { type RunOptions, type RunResult, runPlan } from './run-scenario.ts';
import type { Scenario } from './schema.ts';

export { parseReply } from '../core/reply/index.ts';
export { createQualifier } from '../node/index.ts';
export { defineScenario } from './define-scenario.ts';
export { loadScenario, parseScenario } from './load-scenario.ts';
export { planOf } from './plan-of.ts';
export type { RunPlan } from './run-plan.ts';
export { type RunOptions, type RunProgress, type RunResult, runPlan } from './run-scenario.ts';
export { MAX_POPULATION, type Scenario, type ScenarioInput } from './schema.ts';
export { profileJsonSchemaText, scenarioJsonSchemaText } from './write-json-schema.ts';

/** The built-in catalog folder. */
export const CATALOG_DIR = fileURLToPath(new URL('./catalog/', import.meta.url));

/** Runs a scenario: returns the summary and a query handle on the run store (close it when done). */
export function runScenario(scenario: Scenario, options: RunOptions): Promise<RunResult> {
  return runPlan(planOf(scenario), options);
}
