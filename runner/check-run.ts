/**
 * `checkRun(dir, plan?)`: every consistency check of `store/consistency.ts` on a run folder
 * (`run.duckdb` + `summary.json`), with the MX-rule limits of its plan for the `slice-limit` check.
 * Without a plan it loads the scenario file named in `run_meta` (a run of an inline scenario has none:
 * then the slice limits are not checked, and `checkedSlices` says so).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnyScenario } from '../scenarios/define-scenario.ts';
import { type CheckOptions, checkConsistency, type Violation } from '../store/consistency.ts';
import { openRunStore } from '../store/index.ts';
import { pathLimits } from './path-limits.ts';
import { planOf } from './plan-of.ts';
import type { RunPlan } from './run-plan.ts';

export interface RunCheck {
  violations: Violation[];
  /** false when no plan was given or found, so `slice-limit` did not run */
  checkedSlices: boolean;
}

export async function checkRun(
  dir: string,
  plan?: RunPlan,
  options: Omit<CheckOptions, 'limits'> = {},
): Promise<RunCheck> {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as unknown;
  const store = await openRunStore(dir, { readonly: true });
  try {
    let p = plan;
    if (!p) {
      const meta = await store.all<{ value: string }>(
        `SELECT value FROM run_meta WHERE key = 'scenario_file'`,
      );
      const file = meta[0]?.value;
      if (file && existsSync(file)) p = planOf(await loadAnyScenario(file));
    }
    let limits: CheckOptions['limits'];
    if (p) {
      const domains = await store.all<{ domain: string }>(
        'SELECT DISTINCT domain FROM attempts WHERE mx_ip IS NOT NULL ORDER BY domain',
      );
      limits = pathLimits(
        p,
        domains.map((d) => d.domain),
      );
    }
    return { violations: await checkConsistency(store, summary, { ...options, limits }), checkedSlices: !!p };
  } finally {
    await store.close();
  }
}
