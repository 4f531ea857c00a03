/**
 * Issue #24: postmaster-type senders. ../shared/seeds/000_c6497a8802f963fa.txt line 44: "Ignoré : il
 * s'agit d'une erreur que l'on sait temporaire, par exemple "Out of office", ou d'une erreur technique,
 * par exemple si l'expéditeur est de type "postmaster"." An ISP profile's `postmasterNotice` makes the
 * simulated postmaster send technical notices naming no recipient; inMail types them Ignored and no
 * address is quarantined for them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { defineScenario, planOf } from '../../runner/index.ts';
import { cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

function scenario(probability: number | null) {
  return defineScenario({
    name: 'postmaster-notices',
    seed: 44,
    horizon: '2d',
    mode: 'legacy',
    population: { size: 1500, mix: 'b2b', settings: { truth: { unknown: 0.05 } } },
    isps:
      probability === null
        ? {}
        : {
            overrides: [
              {
                profile: 'generic',
                postmasterNotice: { probability, delay: { minMs: 60_000, maxMs: 3_600_000 } },
              },
            ],
          },
    mta: { inmailEvery: '15m' },
    deliveries: [{ name: 'news', at: 'day1 06:00', validity: '1d' }],
  });
}

const NOTICES = `FROM inmail WHERE recipient = '' AND text LIKE 'technical notice from postmaster:%'`;
const QUARANTINED = `SELECT count(*) AS n FROM quarantine WHERE status = 'quarantine'`;

describe('postmaster-type senders (seed 000:44)', () => {
  it('N technical notices among 1,500 recipients are all Ignored, match no message and quarantine no one', async () => {
    const r = await run(planOf(scenario(0.05)));
    const off = await run(planOf(scenario(null)));
    try {
      const notices = await count(r.store, `SELECT count(*) AS n ${NOTICES}`);
      // 5% of the b2b list's accepted messages at the generic servers
      expect(notices).toBeGreaterThan(20);
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n ${NOTICES} AND kind = 'dsn' AND type = 'ignored' AND impact = 'none'`,
        ),
      ).toBe(notices);
      expect(await count(r.store, `SELECT count(*) AS n ${NOTICES} AND delivery_id IS NOT NULL`)).toBe(0);
      // nothing else in the mailbox was typed by them: every non-notice result has a recipient or is not Ignored
      expect(
        await count(r.store, `SELECT count(*) AS n FROM inmail WHERE recipient = '' AND kind = 'unknown'`),
      ).toBe(0);
      // the same quarantine as the run without notices: the notices put no address in it
      const quarantined = await count(r.store, QUARANTINED);
      expect(quarantined).toBeGreaterThan(10);
      expect(await count(off.store, `SELECT count(*) AS n ${NOTICES}`)).toBe(0);
      expect(quarantined).toBe(await count(off.store, QUARANTINED));
      const list = `SELECT string_agg(address, ',' ORDER BY address) AS a FROM quarantine WHERE status = 'quarantine'`;
      const [on] = await r.store.all<{ a: string }>(list);
      const [without] = await off.store.all<{ a: string }>(list);
      expect(on!.a).toBe(without!.a);
    } finally {
      await r.store.close();
      await off.store.close();
    }
  });
});
