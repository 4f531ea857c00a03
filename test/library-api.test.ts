/**
 * The library API as the README shows it: a rule change regression-tested in ten lines, and the
 * `mxlab/testing` arbitraries in a property test. Imports go through the package name, as a user's would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { CATALOG_DIR, createQualifier, defineScenario, loadScenario, planOf, runScenario } from 'mxlab';
import { replyArb, smallScenarioArb } from 'mxlab/testing';
import { afterAll, expect, it } from 'vitest';
import { expectConsistentStore } from './consistency.ts';

const out = mkdtempSync(join(tmpdir(), 'mxlab-lib-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// README example: does the outage fix leave any valid iCloud customer in quarantine?
it('regression-tests a rule change (README example)', async () => {
  const scenario = loadScenario(join(CATALOG_DIR, 'isp-outage.yaml'), { recipients: 6000 });
  const fixed = {
    ...scenario,
    rules: { ...scenario.rules, inbound: join(CATALOG_DIR, 'rules/apple-outage-fix') },
  };
  const before = await runScenario(scenario, { out: join(out, 'before'), openStore: false });
  const after = await runScenario(fixed, { out: join(out, 'after'), openStore: false });
  expect(before.summary.quarantine.falseQuarantines).toBeGreaterThan(0);
  expect(after.summary.quarantine.falseQuarantines).toBe(0);
  await expectConsistentStore(before.out, planOf(scenario));
  await expectConsistentStore(after.out, planOf(fixed));
});

const legacy = createQualifier({ mode: 'legacy' });
test.prop([replyArb()])('a 4xx reply is never permanent and never quarantines at once', (reply) => {
  const q = legacy.qualify(reply, { phase: 'rcpt' });
  if (reply.startsWith('4')) {
    expect(q.disposition).toBe('transient');
    expect(q.impact).not.toBe('quarantine');
  }
});

test.prop([smallScenarioArb()], { numRuns: 20 })('small scenarios are valid scenarios', (input) => {
  const s = defineScenario(input);
  expect(s.population.size).toBe(input.population?.size);
});

it('runs a generated small scenario end to end', async () => {
  const [input] = fc.sample(smallScenarioArb(), { numRuns: 1, seed: 11 });
  const scenario = defineScenario(input!);
  const r = await runScenario(scenario, { out: join(out, 'small'), openStore: false });
  const m = r.summary.messages;
  expect(m.excluded.total + m.delivered + m.failed.total + m.pending).toBe(m.targeted);
  await expectConsistentStore(r.out, planOf(scenario));
});
