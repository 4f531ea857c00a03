/**
 * Issue acceptance: `mxlab run isp-outage` then `mxlab remediate` with the documented Apple criteria
 * (SPEC §9) restores every falsely quarantined iCloud address and no invalid one, checked on the run store.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { openRunStore } from '../../store/index.ts';
import { expectConsistentStore } from '../consistency.ts';
import { cleanupRuns, count, tempDir } from './helpers.ts';

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'mxlab.mjs');
const APPLE = ['icloud.com', 'me.com', 'mac.com'];
const FALSELY_QUARANTINED = `SELECT count(DISTINCT q.address) AS n FROM quarantine q JOIN recipients r ON r.address = q.address
  WHERE q.status = 'quarantine' AND r.truth = 'valid' AND r.initial_status = 'valid'
  AND r.domain IN ('icloud.com', 'me.com', 'mac.com')`;

afterAll(cleanupRuns);

it('restores every falsely quarantined iCloud address and no invalid one', async () => {
  const out = tempDir();
  await exec(process.execPath, [
    BIN,
    'run',
    'isp-outage',
    '--recipients',
    '8000',
    '--out',
    out,
    '--no-progress',
  ]);
  await expectConsistentStore(out);
  let store = await openRunStore(out);
  const falseBefore = await count(store, FALSELY_QUARANTINED);
  const invalidQuarantined = await store.all<{ address: string }>(
    `SELECT DISTINCT q.address FROM quarantine q JOIN recipients r ON r.address = q.address
     WHERE q.status = 'quarantine' AND r.truth IN ('unknown', 'disabledPermanent', 'mailboxFullPermanent', 'invalidDomain')`,
  );
  await store.close();
  expect(falseBefore).toBeGreaterThan(50);

  const { stdout } = await exec(process.execPath, [
    BIN,
    'remediate',
    out,
    '--contains',
    'user lookup success but no user record found',
    '--domain',
    APPLE.join(','),
    '--from',
    'day1 07:00',
    '--to',
    'day1 13:00',
    '--apply',
    '--json',
  ]);
  const plan = JSON.parse(stdout) as {
    restoredValid: number;
    wronglyRestored: number;
    missedValid: number;
    restored: number;
  };
  expect(plan.restoredValid).toBe(falseBefore);
  expect(plan.wronglyRestored).toBe(0);
  expect(plan.missedValid).toBe(0);

  store = await openRunStore(out);
  try {
    expect(await count(store, FALSELY_QUARANTINED)).toBe(0);
    // every invalid address quarantined before is still quarantined
    const still = await count(
      store,
      `SELECT count(*) AS n FROM quarantine WHERE status = 'quarantine' AND address IN (${invalidQuarantined
        .map((r) => `'${r.address.replaceAll("'", "''")}'`)
        .join(',')})`,
    );
    expect(still).toBe(invalidQuarantined.length);
    expect(
      await count(store, `SELECT count(*) AS n FROM quarantine_history WHERE cause = 'remediation'`),
    ).toBe(plan.restored);
  } finally {
    await store.close();
  }
});
