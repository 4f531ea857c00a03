/**
 * Issue #24 item 3: reasons reachable in runs, through the scenario format.
 * Reason 25, ../shared/seeds/000_c6497a8802f963fa.txt lines 99-102: "Erreur ignorée | Ignoré | 25 |
 * L'adresse est sur la liste autorisée. L'erreur est donc ignorée et un email sera envoyé."
 * Complaints, SPEC §8: "complaints = Failed with reason 8"; the address is denylisted, seed 000
 * line 206: "Les adresses de ces utilisateurs figurent sur la liste bloquée".
 */
import { afterAll, describe, expect, it } from 'vitest';
import { defineScenario, planOf } from '../../runner/index.ts';
import { catalogPlan, cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

describe('reason 25: an allowlisted address (catalog allowlist)', () => {
  it('is sent, its errors are logged as 25 with type Ignored (never Failed/Hard), and it is never quarantined', async () => {
    const r = await run(catalogPlan('allowlist'));
    try {
      const allow = `FROM delivery_log l JOIN recipients r ON r.id = l.recipient_id WHERE r.initial_status = 'allowlisted'`;
      const sent = await count(r.store, `SELECT count(*) AS n ${allow} AND l.attempts > 0`);
      expect(sent).toBeGreaterThan(300);
      const failed = await count(r.store, `SELECT count(*) AS n ${allow} AND l.reason = 25`);
      expect(failed).toBeGreaterThan(10);
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n FROM delivery_log WHERE reason = 25 AND type <> 'ignored'`,
        ),
      ).toBe(0);
      expect(
        await count(r.store, `SELECT count(*) AS n FROM attempts WHERE reason = 25 AND type <> 'ignored'`),
      ).toBe(0);
      expect(r.summary.messages.failed.byType.ignored).toBe(failed);
      // an unknown user on the allow list: not quarantined; one not on it: quarantined
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n FROM quarantine q JOIN recipients r USING (address)
           WHERE r.initial_status = 'allowlisted' AND q.status <> 'allowlisted'`,
        ),
      ).toBe(0);
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n FROM quarantine q JOIN recipients r USING (address)
           WHERE r.initial_status = 'valid' AND r.truth = 'unknown' AND q.status = 'quarantine'`,
        ),
      ).toBeGreaterThan(10);
    } finally {
      await r.store.close();
    }
  });
});

describe('complaints (catalog feedback-loop)', () => {
  it('a complained message is Failed with reason 8 in the delivery log, and counts in the KPIs', async () => {
    const r = await run(catalogPlan('feedback-loop', { recipients: 3000 }));
    try {
      const arf = `FROM inmail i JOIN delivery_log l USING (delivery_id, recipient_id)
        JOIN recipients r ON r.id = l.recipient_id WHERE i.kind = 'arf' AND r.initial_status <> 'allowlisted'`;
      const complaints = await count(
        r.store,
        `SELECT count(DISTINCT (l.delivery_id, l.recipient_id)) AS n ${arf}`,
      );
      expect(complaints).toBeGreaterThan(5);
      expect(
        await count(
          r.store,
          `SELECT count(DISTINCT (l.delivery_id, l.recipient_id)) AS n ${arf} AND l.status = 'failed' AND l.reason = 8 AND l.type = 'hard'`,
        ),
      ).toBe(complaints);
      expect(r.summary.messages.failed.byReason.find((x) => x.reason === 8)?.count).toBe(complaints);
    } finally {
      await r.store.close();
    }
  });
});

describe('typology exclusions: reasons 11, 12, 14, 15 and 16 from population fields', () => {
  // ../shared/seeds/000_c6497a8802f963fa.txt, the reasons table: "Exclu par une règle SQL" (11,
  // line 111), "Exclu par un arbitrage" (12, line 105), "Adresse de mauvaise qualité" (14, line 75),
  // "Adresse non qualifiée" (15, line 159), "Non éligible aux offres" (16, line 141), each of type
  // Ignoré, decided at preparation (SPEC §3)
  it('a typology rate excludes that share of the target with its reason, type Ignored, never sent', async () => {
    const r = await run(
      planOf(
        defineScenario({
          name: 'typology',
          seed: 3,
          horizon: '1d',
          population: {
            size: 4000,
            settings: {
              typology: {
                sqlRule: 0.05,
                arbitration: 0.04,
                badQuality: 0.03,
                unqualified: 0.02,
                notEligible: 0.01,
              },
            },
          },
          deliveries: [{ name: 'news', at: 'day1 06:00', validity: '12h' }],
        }),
      ),
    );
    try {
      const got = await r.store.all<{ reason: number; type: string; n: number; tried: number }>(
        `SELECT reason, type, count(*) AS n, count(*) FILTER (WHERE attempts > 0) AS tried FROM delivery_log
         WHERE excluded AND reason IN (11, 12, 14, 15, 16) GROUP BY ALL ORDER BY reason`,
      );
      expect(got.map((g) => g.reason)).toEqual([11, 12, 14, 15, 16]);
      const want: Record<number, number> = { 11: 0.05, 12: 0.04, 14: 0.03, 15: 0.02, 16: 0.01 };
      for (const g of got) {
        expect(g.type).toBe('ignored');
        expect(Number(g.tried)).toBe(0);
        expect(Math.abs(Number(g.n) / 4000 - want[g.reason]!)).toBeLessThan(0.012);
      }
    } finally {
      await r.store.close();
    }
  });
});
