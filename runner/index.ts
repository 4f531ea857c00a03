/**
 * The mxlab library API, the package's main entry: load or define a scenario (the format,
 * re-exported from `scenarios/`), run it in virtual time (in process or over real SMTP and DNS on
 * loopback), check and query its run store.
 *
 * ```ts
 * import { loadScenario, runScenario } from 'mxlab';
 * const { summary, store } = await runScenario(loadScenario('scenarios/catalog/isp-outage.yaml'), { out: 'out/x' });
 * ```
 */
import type { Scenario } from '../scenarios/index.ts';
import { planOf } from './plan-of.ts';
import { type RunOptions, type RunResult, runPlan } from './run-scenario.ts';

export { parseReply } from '../core/reply/index.ts';
export { createQualifier } from '../node/index.ts';
export {
  applyOverrides,
  CATALOG_DIR,
  type DefineOptions,
  defineScenario,
  loadAnyScenario,
  loadScenario,
  loadScenarioModule,
  MAX_POPULATION,
  parseScenario,
  profileJsonSchemaText,
  type Scenario,
  type ScenarioInput,
  type ScenarioOverrides,
  scenarioJsonSchemaText,
} from '../scenarios/index.ts';
export { checkRun, type RunCheck } from './check-run.ts';
export { planOf } from './plan-of.ts';
export { planPopulation, planProfiles } from './plan-world.ts';
export type { RunPlan } from './run-plan.ts';
export {
  type RunOptions,
  type RunProgress,
  type RunResult,
  type RunTiming,
  runPlan,
  type WorldPorts,
} from './run-scenario.ts';
export {
  DKIM_SELECTORS,
  type DkimSigner,
  dkimSignerOf,
  type WireOptions,
  type WireRun,
  wirePorts,
} from './wire-ports.ts';

/** Runs a scenario: returns the summary and a query handle on the run store (close it when done). */
export function runScenario(scenario: Scenario, options: RunOptions): Promise<RunResult> {
  return runPlan(planOf(scenario), options);
}
