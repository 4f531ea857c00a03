/**
 * Every catalog scenario, at a reduced size, finishes and leaves a consistent store (issue #19 items 4
 * and 5; at their default sizes: `npx tsx scripts/bench-catalog.ts`). A scenario added to the catalog
 * is picked up here without a change.
 */
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_DIR } from '../../scenarios/index.ts';
import { catalogPlan, cleanupRuns, run } from './helpers.ts';

afterAll(cleanupRuns);

const RECIPIENTS = 2000;
/** 40 daily sends: 300 recipients already make 12,000 messages */
const FEWER: Record<string, number> = { 'mailbox-full-cleanup': 300, 'mailbox-full-no-cleanup': 300 };
/**
 * Scenarios whose store today's code leaves inconsistent at this size, with the defect (being fixed
 * elsewhere, test/consistency.ts): their case is `it.fails` until the fix merges; then delete the entry.
 */
const FAILS: Record<string, string> = {
  // messages.delivered 1873 vs 1851 accepted, messages.pending 0 vs 22
  'yahoo-deferrals-enhanced': 'issue #19 defect 6, Enhanced mode counts unaccepted messages as delivered',
};

const scenarios = readdirSync(CATALOG_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

describe('every catalog scenario at reduced size: the run ends and its store is consistent', () => {
  it('covers the whole catalog', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(11);
  });
  for (const name of scenarios) {
    const test = FAILS[name] ? it.fails : it;
    test(`${name}${FAILS[name] ? ` (fails today: ${FAILS[name]})` : ''}`, async () => {
      const r = await run(catalogPlan(name, { recipients: FEWER[name] ?? RECIPIENTS }));
      await r.store.close();
      expect(r.summary.messages.targeted).toBeGreaterThan(0);
    }, 120_000);
  }
});
