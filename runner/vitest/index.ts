/**
 * `mxlab/vitest`: matchers and a fixture for users' own vitest suites. Importing it registers the
 * matchers (`toHaveNoFalseQuarantines`, `toQuarantine`) with vitest's `expect`.
 *
 * ```ts
 * import { expect, test } from 'mxlab/vitest';
 * test('no valid customer quarantined', async ({ runScenario }) => {
 *   const run = await runScenario('isp-outage-fixed', { recipients: 2000 });
 *   expect(run).toHaveNoFalseQuarantines();
 * });
 * ```
 */
import { expect } from 'vitest';
import { matchers, type QuarantineOptions } from './matchers.ts';

expect.extend(matchers);

export { type FixtureRunOptions, type RunScenarioFixture, test } from './fixture.ts';
export type { QuarantineOptions, RunLike } from './matchers.ts';
export { expect };

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: the declaration must match vitest's own `Matchers<T = any>` to merge with it
  interface Matchers<T = any> {
    /** No valid address (ground truth) ended the run in quarantine. */
    toHaveNoFalseQuarantines(): T;
    /** The run left `address` in quarantine (by the rule `options.rule`, when given). Await it. */
    toQuarantine(address: string, options?: QuarantineOptions): Promise<T>;
  }
}
