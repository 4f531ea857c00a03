/**
 * The relay rate (seed 003 line 116, ../shared/seeds/003_f1591a8501b485a3.txt: "Il indique maintenant
 * la vitesse de débit pour le relais de vos messages entre Campaign et le MTA amélioré") on the tiny
 * store (`../test-helpers/tiny-expected.md`): 10 targeted, 2 excluded, delivery d1 starting at 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../html/render-html.ts';
import { collectReport } from '../report-data.ts';
import { type TestStore, tinyStore } from '../test-helpers/tiny-store.ts';
import { relayRate } from './relay.ts';

let s: TestStore;
beforeAll(async () => {
  s = await tinyStore();
});
afterAll(() => s.close());

describe('relayRate', () => {
  it('is null for a run whose deliveries all ran legacy, and its report has no relay chart', async () => {
    expect(await relayRate(s)).toBeNull();
    expect(renderHtml(await collectReport(s))).not.toContain('id="chart-relay"');
  });

  it('under the Enhanced MTA: the 8 messages not excluded are relayed at the start; the first attempts follow', async () => {
    await s.run(`UPDATE deliveries SET mode = 'enhanced'`);
    try {
      const r = (await relayRate(s))!;
      expect(r.total).toBe(8);
      expect(r.peak).toBe(8);
      expect(r.relayed[0]).toBe(8);
      expect(r.times.length).toBe(r.relayed.length);
      const first = await s.all<{ n: number | bigint }>(
        'SELECT count(*) AS n FROM delivery_log WHERE NOT excluded AND first_attempt_ms IS NOT NULL',
      );
      expect(r.firstAttempts.reduce((a, b) => a + b, 0)).toBe(Number(first[0]!.n));
      const html = renderHtml(await collectReport(s));
      const m = /<figure class="chart" id="chart-relay" data-points="(\d+)"><svg/.exec(html);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(0);
    } finally {
      await s.run(`UPDATE deliveries SET mode = 'legacy'`);
    }
  });
});
