/**
 * Issue #24 item 5: without webhooks the Enhanced MTA's sync bounces go through the inbound email
 * rules (SPEC §6.2; seed 003 line 102: "Le MTA amélioré détermine le type et la qualification de
 * rebond, puis renvoie ces informations à Campaign"). Setting `mta.webhooks`, default true.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { defineScenario, planOf } from '../../runner/index.ts';
import { cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

const scenario = (webhooks: boolean) =>
  defineScenario({
    name: 'webhooks',
    seed: 9,
    horizon: '1d',
    mode: 'enhanced',
    population: { size: 1500, settings: { truth: { unknown: 0.1 } } },
    mta: { webhooks },
    deliveries: [{ name: 'news', at: 'day1 06:00', validity: '12h' }],
  });

describe('Enhanced MTA sync bounces with and without webhooks', () => {
  it('webhooks: Momentum bounce-class rules qualify every sync failure; without: the inbound email rules do', async () => {
    const on = await run(planOf(scenario(true)));
    const off = await run(planOf(scenario(false)));
    try {
      const sync = `FROM attempts WHERE outcome <> 'delivered' AND phase IN ('rcpt', 'data', 'mail') AND code IS NOT NULL`;
      const nOn = await count(on.store, `SELECT count(*) AS n ${sync}`);
      expect(nOn).toBeGreaterThan(50);
      expect(await count(on.store, `SELECT count(*) AS n ${sync} AND rule NOT LIKE 'Momen_%'`)).toBe(0);
      const nOff = await count(off.store, `SELECT count(*) AS n ${sync}`);
      expect(nOff).toBeGreaterThan(50);
      expect(await count(off.store, `SELECT count(*) AS n ${sync} AND rule LIKE 'Momen_%'`)).toBe(0);
      // user unknown is still Hard / 1, by an inbound rule
      expect(
        await count(
          off.store,
          `SELECT count(*) AS n ${sync} AND code = 550 AND type = 'hard' AND reason = 1`,
        ),
      ).toBeGreaterThan(20);
    } finally {
      await on.store.close();
      await off.store.close();
    }
  });
});
