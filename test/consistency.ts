/**
 * `expectConsistentStore(dir, plan?)`: every test that produces a run store calls this on it, so a
 * run whose tables disagree with each other or with its summary.json fails the test that made it
 * (store/consistency.ts lists the checks; scenarios/check-run.ts adds the MX-rule limits of the plan).
 */
import { expect } from 'vitest';
import { checkRun } from '../scenarios/check-run.ts';
import type { RunPlan } from '../scenarios/run-plan.ts';
import { type CheckName, formatViolations, type Violation } from '../store/consistency.ts';

/**
 * A defect known to break a check on today's code and being fixed elsewhere. Its violations are
 * expected: the call fails if there are none (the fix merged: delete the entry) and still fails on
 * every violation that no known defect explains.
 */
export interface KnownDefect {
  /** where it is described, e.g. 'issue #19 defect 4' */
  defect: string;
  check: CheckName;
  /** only violations whose key matches (default: every violation of `check`) */
  key?: RegExp;
}

const explains = (k: KnownDefect, v: Violation) =>
  v.check === k.check && (k.key === undefined || k.key.test(v.key));

/** Fails the calling test, listing every violation, unless the run folder `dir` is consistent. */
export async function expectConsistentStore(
  dir: string,
  plan?: RunPlan,
  knownDefects: readonly KnownDefect[] = [],
): Promise<void> {
  const r = await checkRun(dir, plan);
  const left = r.violations.filter((v) => !knownDefects.some((k) => explains(k, v)));
  expect(formatViolations(left), `run store ${dir} is inconsistent`).toBe('');
  for (const k of knownDefects)
    expect(
      r.violations.some((v) => explains(k, v)),
      `${k.defect} no longer breaks '${k.check}' in ${dir}: it is fixed, remove it from the known defects`,
    ).toBe(true);
  if (plan) expect(r.checkedSlices).toBe(true);
}
