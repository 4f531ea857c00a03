/**
 * Issue #24: the `setMode` action switches the MTA mode mid-run, through the scenario format.
 *   ../shared/seeds/003_f1591a8501b485a3.txt:80 "Si des problèmes sont détectés, Adobe peut rapidement
 *   et temporairement rétablir votre instance vers le MTA natif d'Adobe Campaign."
 *   ../shared/seeds/003_f1591a8501b485a3.txt:112 "Une diffusion ne peut pas être arrêtée une fois
 *   qu'elle a été transférée au MTA amélioré, même si elle apparaît avec le statut Arrêté dans Campaign."
 * Decided (docs/decisions.md): a delivery that starts after the switch follows the new mode (its
 * retry policy too); legacy -> enhanced hands the running deliveries over; enhanced -> legacy leaves
 * those already handed over where they are.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { defineScenario, planOf } from '../../runner/index.ts';
import type { ScenarioInput } from '../../scenarios/schema.ts';
import { cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

function scenario(mode: 'legacy' | 'enhanced', actions: ScenarioInput['actions']) {
  return defineScenario({
    name: 'set-mode',
    seed: 11,
    horizon: '2d',
    mode,
    population: { size: 400, mix: 'consumer-us' },
    deliveries: [
      { name: 'news', at: 'day1 06:00', validity: '3d' },
      { name: 'later', at: 'day1 20:00', validity: '1d' },
    ],
    actions,
  });
}

// gmail held across both sends, so each delivery has pending messages when it is stopped
const HOLDS: ScenarioInput['actions'] = [
  { at: 'day1 05:00', kind: 'addSuspension', domain: 'gmail.com', duration: '12h' },
  { at: 'day1 19:00', kind: 'addSuspension', domain: 'gmail.com', duration: '12h' },
];

describe('setMode action', () => {
  it('legacy -> enhanced: the running delivery is handed over and cannot be stopped; the next starts enhanced', async () => {
    const r = await run(
      planOf(
        scenario('legacy', [
          ...HOLDS,
          { at: 'day1 07:00', kind: 'setMode', mode: 'enhanced' },
          { at: 'day1 08:00', kind: 'stopDelivery', delivery: 'news' },
          { at: 'day1 21:00', kind: 'stopDelivery', delivery: 'later' },
        ]),
      ),
    );
    try {
      expect(await count(r.store, `SELECT count(*) AS n FROM delivery_log WHERE status = 'cancelled'`)).toBe(
        0,
      );
      expect(
        await r.store.all(
          `SELECT kind, target, outcome, affected FROM actions WHERE kind <> 'addSuspension' ORDER BY t`,
        ),
      ).toEqual([
        { kind: 'setMode', target: 'enhanced', outcome: 'applied', affected: 2 },
        { kind: 'stopDelivery', target: 'news', outcome: 'handedOver', affected: 0 },
        { kind: 'stopDelivery', target: 'later', outcome: 'handedOver', affected: 0 },
      ]);
      const rows = await r.store.all<{ name: string; mode: string; retry_policy: string }>(
        'SELECT name, mode, retry_policy FROM deliveries ORDER BY id',
      );
      expect(rows.map((d) => [d.name, d.mode])).toEqual([
        ['news', 'legacy'],
        ['later', 'enhanced'],
      ]);
      // the delivery that started after the switch took the Enhanced MTA's retry policy
      expect(rows[1]!.retry_policy).not.toBe(rows[0]!.retry_policy);
    } finally {
      await r.store.close();
    }
  });

  it('enhanced -> legacy: a delivery handed over stays there; one that starts after the switch can be stopped', async () => {
    const r = await run(
      planOf(
        scenario('enhanced', [
          ...HOLDS,
          { at: 'day1 07:00', kind: 'setMode', mode: 'legacy' },
          { at: 'day1 08:00', kind: 'stopDelivery', delivery: 'news' },
          { at: 'day1 21:00', kind: 'stopDelivery', delivery: 'later' },
        ]),
      ),
    );
    try {
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n FROM delivery_log WHERE delivery_id = 1 AND status = 'cancelled'`,
        ),
      ).toBe(0);
      const cancelled = await count(
        r.store,
        `SELECT count(*) AS n FROM delivery_log WHERE delivery_id = 2 AND status = 'cancelled'`,
      );
      expect(cancelled).toBeGreaterThan(20);
      expect(
        await r.store.all(
          `SELECT kind, target, outcome, affected FROM actions WHERE kind <> 'addSuspension' ORDER BY t`,
        ),
      ).toEqual([
        { kind: 'setMode', target: 'legacy', outcome: 'applied', affected: 1 },
        { kind: 'stopDelivery', target: 'news', outcome: 'handedOver', affected: 0 },
        { kind: 'stopDelivery', target: 'later', outcome: 'stopped', affected: cancelled },
      ]);
      expect(r.summary.actions?.map((a) => [a.text, a.kind, a.outcome])).toContainEqual([
        'day1 07:00',
        'setMode',
        'applied',
      ]);
      expect(
        (await r.store.all<{ mode: string }>('SELECT mode FROM deliveries ORDER BY id')).map((d) => d.mode),
      ).toEqual(['enhanced', 'legacy']);
    } finally {
      await r.store.close();
    }
  });
});
