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
const scenarios = readdirSync(CATALOG_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

describe('every catalog scenario at reduced size: the run ends and its store is consistent', () => {
  it('covers the whole catalog', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(11);
  });
  for (const name of scenarios) {
    it(name, async () => {
      const r = await run(catalogPlan(name, { recipients: FEWER[name] ?? RECIPIENTS }));
      await r.store.close();
      expect(r.summary.messages.targeted).toBeGreaterThan(0);
    }, 120_000);
  }
});
