/**
 * Issue acceptance: `mxlab compare` between isp-outage-fixed and isp-outage lists exactly the falsely
 * quarantined addresses and exits non-zero with `--fail-on falseQuarantines>0` on the unfixed run.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { compareRuns } from '../../reports/index.ts';
import { catalogPlan, cleanupRuns, run } from './helpers.ts';

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'mxlab.mjs');

afterAll(cleanupRuns);

it('lists exactly the falsely quarantined addresses and fails the unfixed run', async () => {
  const unfixed = await run(catalogPlan('isp-outage', { recipients: 8000 }));
  const fixed = await run(catalogPlan('isp-outage-fixed', { recipients: 8000 }));
  try {
    const falselyQuarantined = (
      await unfixed.store.all<{ address: string }>(
        `SELECT DISTINCT q.address FROM quarantine q JOIN recipients r USING (address)
         WHERE q.status = 'quarantine' AND r.truth = 'valid' AND r.initial_status = 'valid' ORDER BY 1`,
      )
    ).map((r) => r.address);
    expect(falselyQuarantined.length).toBe(unfixed.summary.quarantine.falseQuarantines);
    expect(falselyQuarantined.length).toBeGreaterThan(50);

    const c = await compareRuns(fixed.store, unfixed.store, { failOn: 'falseQuarantines>0', limit: 100_000 });
    expect(c.onlyInB.map((f) => f.address).sort()).toEqual(falselyQuarantined);
    expect(c.onlyInB.every((f) => f.truth === 'valid' && /user lookup success/.test(f.text ?? ''))).toBe(
      true,
    );
    expect(c.onlyInA).toEqual([]);
    expect(c.failed).toBe(true);
  } finally {
    await unfixed.store.close();
    await fixed.store.close();
  }
  const cli = await exec(process.execPath, [
    BIN,
    'compare',
    fixed.out,
    unfixed.out,
    '--fail-on',
    'falseQuarantines>0',
  ]).then(
    () => 0,
    (e: { code: number }) => e.code,
  );
  expect(cli).toBe(1);
  const ok = await exec(process.execPath, [
    BIN,
    'compare',
    unfixed.out,
    fixed.out,
    '--fail-on',
    'falseQuarantines>0',
  ]).then(
    () => 0,
    (e: { code: number }) => e.code,
  );
  expect(ok).toBe(0);
}, 120_000); // two 8,000-recipient runs, each with its consistency checks
