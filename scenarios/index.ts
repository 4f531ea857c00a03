/**
 * The scenario format's public entry: load, define and validate scenarios, and the JSON Schemas of
 * scenarios and ISP profiles. Running one is the runner's (`runner/index.ts`, the package's main
 * entry, re-exports all of this).
 *
 * ```ts
 * import { loadScenario } from 'mxlab';
 * const s = loadScenario('scenarios/catalog/isp-outage.yaml', { seed: 7, recipients: 2000 });
 * ```
 */
import { fileURLToPath } from 'node:url';

export {
  type DefineOptions,
  defineScenario,
  loadAnyScenario,
  loadScenarioModule,
} from './define-scenario.ts';
export { applyOverrides, loadScenario, parseScenario, type ScenarioOverrides } from './load-scenario.ts';
export { MAX_POPULATION, type Scenario, type ScenarioInput } from './schema.ts';
export { profileJsonSchemaText, scenarioJsonSchemaText } from './write-json-schema.ts';

/** The built-in catalog folder. */
export const CATALOG_DIR = fileURLToPath(new URL('./catalog/', import.meta.url));
