/**
 * The `runScenario` fixture of `mxlab/vitest`'s `test`: runs a scenario (a `Scenario`, a file or a
 * catalog name) in a scratch folder under the system's temporary directory; when the test ends, it
 * closes every run store the test opened and removes the folder.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from 'vitest';
import { applyOverrides, loadScenario } from '../../scenarios/load-scenario.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { CATALOG_DIR, runScenario as run } from '../index.ts';
import type { RunResult } from '../run-scenario.ts';

export interface FixtureRunOptions {
  /** overrides the scenario's population size */
  recipients?: number;
  /** overrides the scenario's seed */
  seed?: number;
  /** keep a SQL handle on the run store (default true; closed when the test ends) */
  openStore?: boolean;
}

export type RunScenarioFixture = (
  scenario: Scenario | string,
  options?: FixtureRunOptions,
) => Promise<RunResult>;

/** A scenario argument: a `Scenario`, a file path, or a catalog name such as `isp-outage`. */
function scenarioOf(arg: Scenario | string, options: FixtureRunOptions): Scenario {
  const overrides = { recipients: options.recipients, seed: options.seed };
  if (typeof arg !== 'string') return applyOverrides(arg, overrides);
  const file = existsSync(arg) ? arg : join(CATALOG_DIR, `${arg}.yaml`);
  return loadScenario(file, overrides);
}

export const test = base.extend<{ runScenario: RunScenarioFixture }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixture's dependencies from this pattern
  runScenario: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlab-run-'));
    const runs: RunResult[] = [];
    let n = 0;
    try {
      await use(async (scenario, options = {}) => {
        const r = await run(scenarioOf(scenario, options), {
          out: join(dir, String(++n)),
          openStore: options.openStore ?? true,
        });
        runs.push(r);
        return r;
      });
    } finally {
      for (const r of runs) r.store?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
