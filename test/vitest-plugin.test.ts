/**
 * `mxlab/vitest` as the README shows it: the `runScenario` fixture and the run matchers, imported by
 * the package name as a user's suite would. Each matcher is also checked to fail where it should.
 */
import { existsSync } from 'node:fs';
import { expect, test } from 'mxlab/vitest';

// README example ("In your own tests"): the outage fix leaves no valid customer in quarantine
test('the outage fix quarantines no valid customer', async ({ runScenario }) => {
  const before = await runScenario('isp-outage', { recipients: 3000 });
  const after = await runScenario('isp-outage-fixed', { recipients: 3000 });
  expect(before).not.toHaveNoFalseQuarantines();
  expect(after).toHaveNoFalseQuarantines();
});

let out = '';
test('toQuarantine names the address and the rule', async ({ runScenario }) => {
  const run = await runScenario('isp-outage', { recipients: 3000 });
  out = run.out;
  const [victim] = await run.store!.all<{ address: string }>(
    `SELECT r.address FROM recipients r JOIN quarantine q USING (address)
      WHERE r.truth = 'valid' AND r.initial_status = 'valid' AND q.status = 'quarantine' AND r.domain = 'icloud.com'
      ORDER BY 1 LIMIT 1`,
  );
  const address = victim!.address;
  await expect(run).toQuarantine(address);
  await expect(run).toQuarantine(address, { rule: 'apple_user_lookup_no_record' });
  await expect(run).not.toQuarantine(address, { rule: 'another_rule' });
  await expect(run).not.toQuarantine('nobody@example.invalid');
  await expect(expect(run).toQuarantine(address, { rule: 'another_rule' })).rejects.toThrow(
    /last quarantined by rule apple_user_lookup_no_record/,
  );
  expect(() => expect(run).toHaveNoFalseQuarantines()).toThrow(/quarantined \d+ valid address/);
  // without an open store, the matcher opens the run's own
  await expect({ ...run, store: null }).toQuarantine(address);
  // an address quarantined before the run is said so
  const [pre] = await run.store!.all<{ address: string }>(
    `SELECT address FROM recipients WHERE initial_status = 'quarantine' ORDER BY 1 LIMIT 1`,
  );
  if (pre) {
    await expect(run).toQuarantine(pre.address);
    await expect(
      expect(run).toQuarantine(pre.address, { rule: 'apple_user_lookup_no_record' }),
    ).rejects.toThrow(/quarantined before the run/);
  }
});

test('the fixture removes its runs when the test ends', () => {
  expect(out).not.toBe('');
  expect(existsSync(out)).toBe(false);
});
