/**
 * Issue #24 item 5: the EFS curve has a reporting delay. ../shared/seeds/004_2af6d25939a77706.txt:33
 * "Les statuts des diffusions ne s'affichent pas en temps réel." (report setting
 * `efsReportingDelayMs`, default 1 hour); the final figure does not move.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { kpiCurves } from '../../reports/metrics/kpi.ts';
import { DEFAULT_REPORT_SETTINGS } from '../../reports/settings.ts';
import { defineScenario, planOf } from '../../runner/index.ts';
import { cleanupRuns, run } from './helpers.ts';

afterAll(cleanupRuns);

describe('EFS reporting delay', () => {
  it('the EFS curve is the real-time one shifted by the delay; the final figure is the same', async () => {
    const r = await run(
      planOf(
        defineScenario({
          name: 'efs-delay',
          seed: 4,
          horizon: '1d',
          mode: 'enhanced',
          population: { size: 800 },
          deliveries: [{ name: 'news', at: 'day1 06:00', validity: '12h' }],
        }),
      ),
    );
    try {
      const live = await kpiCurves(r.store, { ...DEFAULT_REPORT_SETTINGS, efsReportingDelayMs: 0 });
      const late = await kpiCurves(r.store, DEFAULT_REPORT_SETTINGS);
      const two = await kpiCurves(r.store, {
        ...DEFAULT_REPORT_SETTINGS,
        efsReportingDelayMs: 2 * 3_600_000,
      });
      expect(DEFAULT_REPORT_SETTINGS.efsReportingDelayMs).toBe(3_600_000);
      const first = live.curves.efs.findIndex((v) => v > 0);
      expect(first).toBeGreaterThan(0);
      expect(late.curves.efs.findIndex((v) => v > 0)).toBe(first + 1);
      expect(two.curves.efs.slice(2, -1)).toEqual(live.curves.efs.slice(0, -3));
      expect(late.final).toEqual(live.final);
      // the other modes are real time
      expect(late.curves.legacy).toEqual(live.curves.legacy);
      expect(late.curves.enhanced).toEqual(live.curves.enhanced);
    } finally {
      await r.store.close();
    }
  });
});
