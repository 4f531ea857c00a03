/**
 * Issue #24, seed 003 line 116 (../shared/seeds/003_f1591a8501b485a3.txt): "Le graphique du débit des
 * diffusions de Campaign n'affiche plus le débit vers vos destinataires d'emails. Il indique maintenant
 * la vitesse de débit pour le relais de vos messages entre Campaign et le MTA amélioré." The report of
 * the enhanced catalog scenario has the relay chart; a legacy one has none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html/render-html.ts';
import { relayRate } from '../../reports/metrics/relay.ts';
import { collectReport } from '../../reports/report-data.ts';
import { catalogPlan, cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

describe('the relay rate in the report (seed 003:116)', () => {
  it('yahoo-deferrals-enhanced: #chart-relay shows every message relayed to the Enhanced MTA; isp-outage (legacy): none', async () => {
    const enhanced = await run(catalogPlan('yahoo-deferrals-enhanced', { recipients: 3000 }));
    const legacy = await run(catalogPlan('isp-outage', { recipients: 3000 }));
    try {
      const relay = (await relayRate(enhanced.store))!;
      const relayed = await count(
        enhanced.store,
        'SELECT count(*) AS n FROM delivery_log WHERE NOT excluded',
      );
      expect(relayed).toBeGreaterThan(2500);
      expect(relay.total).toBe(relayed);
      // handed over at the delivery's start; the MTA's sends spread over many slices after it
      expect(relay.relayed.filter((n) => n > 0).length).toBe(1);
      expect(relay.firstAttempts.filter((n) => n > 0).length).toBeGreaterThan(1);
      const html = renderHtml(await collectReport(enhanced.store));
      const m = /<figure class="chart" id="chart-relay" data-points="(\d+)"><svg[^>]*>([\s\S]*?)<\/svg>/.exec(
        html,
      );
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(2);
      expect(html).toContain('Relay to the Enhanced MTA');

      expect(await relayRate(legacy.store)).toBeNull();
      expect(renderHtml(await collectReport(legacy.store))).not.toContain('chart-relay');
    } finally {
      await enhanced.store.close();
      await legacy.store.close();
    }
  }, 120_000);
});
