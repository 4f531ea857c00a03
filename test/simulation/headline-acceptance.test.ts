/**
 * Issue #19 item 6: the headline and summary count acceptance by the remote MX (ground truth), in every
 * reporting mode. In Enhanced mode a relayed message is "Sent" in the delivery log from its first try
 * (SPEC §8, the per-mode KPI); one the remote side never accepted, still retrying at the horizon, is
 * pending in the headline, not delivered.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { defineScenario, planOf } from '../../runner/index.ts';
import { cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

describe('the headline counts acceptance', () => {
  it('Enhanced mode: messages still retrying at the horizon are pending, not delivered', async () => {
    const scenario = defineScenario({
      name: 'enhanced-pending',
      seed: 11,
      horizon: '1d',
      mode: 'enhanced',
      population: { size: 600, mix: 'consumer-us' },
      isps: {
        windows: [
          {
            profile: 'gmail',
            name: 'deferring-all-day',
            from: 'day1 00:00',
            to: 'day2 00:00',
            phase: 'rcpt',
            reply: '451 4.7.0 Try again later',
          },
        ],
      },
      deliveries: [{ name: 'newsletter', at: 'day1 06:00', validity: '5d' }],
    });
    const r = await run(planOf(scenario));
    try {
      const m = r.summary.messages;
      const retrying = await count(
        r.store,
        `SELECT count(*) AS n FROM delivery_log WHERE NOT excluded AND status = 'sent' AND delivered_ms IS NULL`,
      );
      expect(retrying, 'Enhanced "Sent" messages gmail never accepted').toBeGreaterThan(20);
      expect(m.delivered).toBe(
        await count(
          r.store,
          `SELECT count(*) AS n FROM delivery_log WHERE NOT excluded AND status = 'sent' AND delivered_ms IS NOT NULL`,
        ),
      );
      expect(m.pending).toBeGreaterThanOrEqual(retrying);
      expect(m.excluded.total + m.delivered + m.failed.total + m.pending).toBe(m.targeted);
      // the Enhanced MTA KPI is separate and still counts them as Sent (relayed)
      expect(r.summary.kpi.enhanced * r.summary.kpi.processed).toBeGreaterThan(m.delivered);
    } finally {
      await r.store.close();
    }
  });
});
