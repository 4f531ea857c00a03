/**
 * `expectConsistentStore(dir, plan?)`: every test that produces a run store calls this on it, so a
 * run whose tables disagree with each other or with its summary.json fails the test that made it
 * (store/consistency.ts lists the checks; runner/check-run.ts adds the MX-rule limits of the plan).
 */
import { expect } from 'vitest';
import { checkRun } from '../runner/check-run.ts';
import type { RunPlan } from '../runner/run-plan.ts';
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

// Defects of today's code that the checks catch, being fixed elsewhere (issue #19). Tests that meet
// them name them; delete each (and its uses) once its fix merges.
/** issue #19 defect 4: each suspension, block or throttle is written several times (up to 100 identical rows) */
export const DUPLICATE_SUSPENSIONS: KnownDefect = {
  defect: 'issue #19 defect 4',
  check: 'suspensions-unique',
};
/** issue #19 defect 6: Enhanced mode counts messages still retrying at the horizon as delivered */
export const UNACCEPTED_DELIVERED: KnownDefect = {
  defect: 'issue #19 defect 6',
  check: 'summary',
  key: /^messages\.(delivered|pending)$/,
};

const explains = (k: KnownDefect, v: Violation) =>
  v.check === k.check && (k.key === undefined || k.key.test(v.key));

/**
 * Fails the calling test, listing every violation, unless the run folder `dir` is consistent but for
 * `knownDefects`, each of which must show (unless `requireKnown` is false: where the test's size or
 * timing decides whether it does).
 */
export async function expectConsistentStore(
  dir: string,
  plan?: RunPlan,
  knownDefects: readonly KnownDefect[] = [],
  requireKnown = true,
): Promise<void> {
  const r = await checkRun(dir, plan);
  const left = r.violations.filter((v) => !knownDefects.some((k) => explains(k, v)));
  expect(formatViolations(left), `run store ${dir} is inconsistent`).toBe('');
  if (requireKnown)
    for (const k of knownDefects)
      expect(
        r.violations.some((v) => explains(k, v)),
        `${k.defect} no longer breaks '${k.check}' in ${dir}: it is fixed, remove it from the known defects`,
      ).toBe(true);
  if (plan) expect(r.checkedSlices).toBe(true);
}
