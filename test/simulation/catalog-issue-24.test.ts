/**
 * Issue #24 item 6: the catalog scenarios stop-delivery and table-ignore at their catalog size (a few
 * seconds each), with the figure each exists to show (allowlist: reasons.test.ts; rule-sync-overwrite:
 * rule-sync-run.test.ts).
 *   ../shared/seeds/003_f1591a8501b485a3.txt:112 "Une diffusion ne peut pas être arrêtée une fois
 *     qu’elle a été transférée au MTA amélioré"
 *   ../shared/seeds/000_c6497a8802f963fa.txt:258 "ce rebond ne provoquera jamais la mise en
 *     quarantaine de l'adresse du destinataire"
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_DIR, parseScenario, planOf } from '../../runner/index.ts';
import { catalogPlan, cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

describe('catalog stop-delivery: legacy vs Enhanced', () => {
  it('legacy cancels the held messages at the stop; the Enhanced MTA cannot stop a delivery handed over', async () => {
    const file = join(CATALOG_DIR, 'stop-delivery.yaml');
    const legacy = await run(catalogPlan('stop-delivery'));
    const enhanced = await run(
      planOf(
        parseScenario(readFileSync(file, 'utf8').replace('\nmode: legacy\n', '\nmode: enhanced\n'), file),
      ),
    );
    try {
      const cancelled = await count(
        legacy.store,
        `SELECT count(*) AS n FROM delivery_log WHERE status = 'cancelled'`,
      );
      expect(cancelled).toBeGreaterThan(1000);
      expect(legacy.summary.actions?.find((a) => a.kind === 'stopDelivery')).toMatchObject({
        outcome: 'stopped',
        affected: cancelled,
      });
      // cancelled messages are not processed (SPEC §8): the KPI base leaves them out
      expect(legacy.summary.kpi.processed).toBe(
        legacy.summary.messages.targeted - legacy.summary.messages.excluded.total - cancelled,
      );
      expect(
        await count(enhanced.store, `SELECT count(*) AS n FROM delivery_log WHERE status = 'cancelled'`),
      ).toBe(0);
      expect(enhanced.summary.actions?.find((a) => a.kind === 'stopDelivery')).toMatchObject({
        outcome: 'handedOver',
        affected: 0,
      });
      expect(enhanced.summary.messages.delivered).toBeGreaterThan(legacy.summary.messages.delivered + 1000);
    } finally {
      await legacy.store.close();
      await enhanced.store.close();
    }
  });
});

describe('catalog table-ignore', () => {
  it('after the 09:00 Ignore, the second delivery quarantines no valid iCloud recipient', async () => {
    const r = await run(catalogPlan('table-ignore'));
    try {
      const icloud = `FROM quarantine_history h JOIN recipients r USING (address)
        WHERE h.new_status = 'quarantine' AND r.truth = 'valid' AND r.domain IN ('icloud.com', 'me.com', 'mac.com')`;
      expect(
        await count(r.store, `SELECT count(*) AS n ${icloud} AND h.t < ${9 * 3_600_000}`),
      ).toBeGreaterThan(20);
      expect(await count(r.store, `SELECT count(*) AS n ${icloud} AND h.t >= ${9 * 3_600_000}`)).toBe(0);
      // the second delivery still met the text (its first-time recipients failed, not quarantined)
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n FROM attempts WHERE delivery_id = 2 AND text LIKE '%user lookup success%'`,
        ),
      ).toBeGreaterThan(20);
    } finally {
      await r.store.close();
    }
  });
});
