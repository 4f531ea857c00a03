/**
 * Issue acceptance: the isp-outage scenario's falseQuarantines equals the number of valid iCloud
 * recipients who got the outage reply (ground truth in the run store), and the -fixed rule set has none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { catalogPlan, cleanupRuns, count, run } from './helpers.ts';

const OUTAGE_TEXT = 'user lookup success but no user record found';
const RECIPIENTS = 8000;

afterAll(cleanupRuns);

describe('isp-outage', () => {
  it('quarantines exactly the valid iCloud recipients who got the outage reply', async () => {
    const r = await run(catalogPlan('isp-outage', { recipients: RECIPIENTS }));
    try {
      const hit = await count(
        r.store,
        `SELECT count(DISTINCT a.recipient_id) AS n FROM attempts a JOIN recipients r ON r.id = a.recipient_id
         WHERE a.text LIKE '%${OUTAGE_TEXT}%' AND r.truth = 'valid' AND r.initial_status = 'valid'`,
      );
      expect(hit).toBeGreaterThan(50);
      expect(r.summary.quarantine.falseQuarantines).toBe(hit);
      const quarantinedByOutage = await count(
        r.store,
        `SELECT count(DISTINCT address) AS n FROM quarantine_history
         WHERE new_status = 'quarantine' AND text LIKE '%${OUTAGE_TEXT}%'`,
      );
      expect(quarantinedByOutage).toBeGreaterThanOrEqual(hit);
    } finally {
      await r.store.close();
    }
  });

  it('the fixed rule set treats the outage text as transient: no false quarantine', async () => {
    const r = await run(catalogPlan('isp-outage-fixed', { recipients: RECIPIENTS }));
    try {
      const hit = await count(
        r.store,
        `SELECT count(*) AS n FROM attempts WHERE text LIKE '%${OUTAGE_TEXT}%'`,
      );
      expect(hit).toBeGreaterThan(50);
      expect(r.summary.quarantine.falseQuarantines).toBe(0);
      const retried = await count(
        r.store,
        `SELECT count(*) AS n FROM attempts WHERE text LIKE '%${OUTAGE_TEXT}%' AND outcome = 'retry'`,
      );
      expect(retried).toBe(hit);
    } finally {
      await r.store.close();
    }
  });
});
