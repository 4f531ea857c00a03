/**
 * Issue #24 item 2: the delivery log qualification table in runs (SPEC §6.1), through the scenario
 * format. Seed 000 (../shared/seeds/000_c6497a8802f963fa.txt):
 *   line 252: "Ce nombre est limité à 100 000 occurrences. Vous pouvez modifier le champ si vous le
 *             souhaitez, par exemple pour le réinitialiser."
 *   line 257: Conserver: "sera utilisé par le workflow Mise à jour pour la délivrabilité pour être
 *             comparé aux règles de gestion des e-mails existantes et en enrichir la liste."
 *   line 258: Ignorer: "ce rebond ne provoquera jamais la mise en quarantaine de l'adresse du destinataire.
 *             Il ne sera pas utilisé par le workflow Mise à jour pour la délivrabilité"
 *   line 256: À qualifier: "Tant qu'il n'est pas qualifié, le mail rebond n'est pas utilisé pour
 *             compléter la liste des règles de gestion des emails."
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entriesFromCsv } from '../../core/qualification/qualification-table.ts';
import { defineScenario, planOf } from '../../runner/index.ts';
import { runPlan } from '../../runner/run-scenario.ts';
import type { ScenarioInput } from '../../scenarios/schema.ts';
import type { RunStore } from '../../store/index.ts';
import { expectConsistentStore } from '../consistency.ts';
import { cleanupRuns, count, run, tempDir } from './helpers.ts';

afterAll(cleanupRuns);

const APPLE =
  '550 5.1.1 <rcpt>: user lookup success but no user record found. Please see https://support.apple.com/en-us/HT204137';
const ODD = '550 5.9.9 zorblax gateway refused the message';

/** Apple's outage reply to valid recipients all day; delivery 1 targets half, delivery 2 everyone. */
function outage(
  actions: ScenarioInput['actions'] = [],
  extra: Partial<ScenarioInput> = {},
  deliveries: ScenarioInput['deliveries'] = [
    { name: 'first', at: 'day1 06:00', targetShare: 0.5, validity: '1d' },
    { name: 'second', at: 'day1 12:00', validity: '1d' },
  ],
) {
  return defineScenario({
    name: 'table-workflow',
    seed: 5,
    horizon: '2d',
    population: { size: 3000, mix: 'consumer-us' },
    isps: {
      windows: [
        {
          profile: 'apple-icloud',
          name: 'outage',
          from: 'day1 00:00',
          to: 'day2 00:00',
          phase: 'rcpt',
          reply: APPLE,
          truths: ['valid'],
        },
        {
          profile: 'gmail',
          name: 'odd',
          from: 'day1 00:00',
          to: 'day2 00:00',
          phase: 'rcpt',
          reply: ODD,
          truths: ['valid'],
        },
      ],
    },
    mta: { cleanup: false },
    deliveries,
    actions,
    ...extra,
  });
}

/** Valid iCloud recipients of delivery 2 first targeted by it (the second half) quarantined by the Apple text. */
async function secondHalfQuarantined(store: RunStore): Promise<{ tried: number; quarantined: number }> {
  const from = `FROM delivery_log l JOIN recipients r ON r.id = l.recipient_id
    WHERE l.delivery_id = 2 AND r.id >= 1500 AND r.truth = 'valid' AND l.domain IN ('icloud.com', 'me.com', 'mac.com') AND l.attempts > 0`;
  return {
    tried: await count(store, `SELECT count(*) AS n ${from}`),
    quarantined: await count(
      store,
      `SELECT count(*) AS n ${from} AND l.address IN (SELECT address FROM quarantine WHERE status = 'quarantine')`,
    ),
  };
}

describe('the qualification table in runs', () => {
  it('Ignore (seed 000:258): after an operator sets the Apple text to Ignore, it quarantines no one', async () => {
    const before = await run(planOf(outage()));
    const after = await run(
      planOf(
        outage([
          {
            at: 'day1 09:00',
            kind: 'reviewEntry',
            text: APPLE.replace('<rcpt>', '<someone@icloud.com>'),
            status: 'ignore',
          },
        ]),
      ),
    );
    try {
      const b = await secondHalfQuarantined(before.store);
      const a = await secondHalfQuarantined(after.store);
      expect(b.tried).toBeGreaterThan(20);
      expect(b.quarantined).toBe(b.tried);
      expect(a.tried).toBe(b.tried);
      expect(a.quarantined).toBe(0);
      expect(await after.store.all(`SELECT outcome, affected FROM actions`)).toEqual([
        { outcome: 'applied', affected: 1 },
      ]);
      expect(
        await count(
          after.store,
          `SELECT count(*) AS n FROM qualification WHERE status = 'ignore' AND first_text LIKE '%user lookup success%'`,
        ),
      ).toBe(1);
    } finally {
      await before.store.close();
      await after.store.close();
    }
  });

  it('--table FILE: the table persists across runs; an Ignore set in the CSV takes effect; the occurrence cap holds', async () => {
    const table = join(tempDir(), 'table.csv');
    const first = outage([], { qualificationTable: { occurrenceCap: 10 } }, [
      { name: 'first', at: 'day1 06:00', targetShare: 0.5, validity: '1d' },
    ]);
    const r1 = await runPlan(planOf(first), { out: tempDir(), table });
    await expectConsistentStore(r1.out, planOf(first));
    const apple1 = await count(
      r1.store!,
      `SELECT count(*) AS n FROM attempts WHERE text LIKE '%user lookup success%'`,
    );
    await r1.store!.close();
    const saved = entriesFromCsv(readFileSync(table, 'utf8'), table);
    const entry = saved.find((e) => e.firstText.includes('user lookup success'))!;
    expect(apple1).toBeGreaterThan(10);
    // capped at the scenario's cap (default 100,000)
    expect(entry).toMatchObject({ occurrences: 10, type: 'hard', reason: 1, status: 'keep' });
    // an operator edits the CSV
    writeFileSync(
      table,
      readFileSync(table, 'utf8').replace(/(user lookup success[^\r\n]*),keep\r\n/, '$1,ignore\r\n'),
    );
    expect(
      entriesFromCsv(readFileSync(table, 'utf8')).find((e) => e.normalized === entry.normalized)!.status,
    ).toBe('ignore');

    const r2 = await run(planOf(outage()), []);
    const r3 = await runPlan(planOf(outage()), { out: tempDir(), table });
    try {
      await expectConsistentStore(r3.out, planOf(outage()));
      const without = await secondHalfQuarantined(r2.store);
      const withTable = await secondHalfQuarantined(r3.store!);
      expect(without.quarantined).toBeGreaterThan(20);
      expect(withTable.quarantined).toBe(0);
      // the loaded entries are in the run's table, and saved back
      expect(await count(r3.store!, `SELECT count(*) AS n FROM qualification WHERE status = 'ignore'`)).toBe(
        1,
      );
      expect(entriesFromCsv(readFileSync(table, 'utf8')).length).toBeGreaterThanOrEqual(saved.length);
    } finally {
      await r2.store.close();
      await r3.store!.close();
    }
  });

  it('Keep (seed 000:257) and the count reset (seed 000:252): the deliverability update makes a kept entry a rule', async () => {
    const r = await run(
      planOf(
        outage([
          {
            at: 'day1 10:00',
            kind: 'reviewEntry',
            text: ODD,
            status: 'keep',
            type: 'hard',
            reason: 1,
            occurrences: 0,
          },
          { at: 'day1 10:01', kind: 'deliverabilityUpdate' },
        ]),
      ),
    );
    try {
      const odd = `FROM attempts WHERE text = '${ODD}'`;
      // before: Not defined; after the update: the kept rule says Hard / User unknown
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n ${odd} AND delivery_id = 1 AND type = 'undefined' AND rule IS NULL`,
        ),
      ).toBeGreaterThan(20);
      const second = await count(r.store, `SELECT count(*) AS n ${odd} AND delivery_id = 2`);
      expect(second).toBeGreaterThan(20);
      expect(
        await count(r.store, `SELECT count(*) AS n ${odd} AND delivery_id = 2 AND rule = 'kept_1'`),
      ).toBe(second);
      // Hard / User unknown (an allowlisted address's error is logged as reason 25, SPEC §5)
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n ${odd} AND delivery_id = 2 AND NOT (type = 'hard' AND reason = 1)`,
        ),
      ).toBeLessThan(second / 100);
      expect(await r.store.all(`SELECT kind, outcome, affected FROM actions ORDER BY t`)).toEqual([
        { kind: 'reviewEntry', outcome: 'applied', affected: 1 },
        { kind: 'deliverabilityUpdate', outcome: 'applied', affected: 1 },
      ]);
      // the count was reset at 10:00: it holds the occurrences since then
      const entry = await r.store.all<{ occurrences: number; status: string; type: string }>(
        `SELECT occurrences, status, type FROM qualification WHERE normalized LIKE '%zorblax%'`,
      );
      const since = await count(r.store, `SELECT count(*) AS n ${odd} AND t >= ${10 * 3_600_000}`);
      expect(entry).toEqual([{ occurrences: since, status: 'keep', type: 'hard' }]);
    } finally {
      await r.store.close();
    }
  });

  it('To qualify (seed 000:256) and Ignore (seed 000:258): the deliverability update never makes them rules', async () => {
    for (const status of ['toQualify', 'ignore'] as const) {
      const r = await run(
        planOf(
          outage([
            { at: 'day1 10:00', kind: 'reviewEntry', text: ODD, status, type: 'hard', reason: 1 },
            { at: 'day1 10:01', kind: 'deliverabilityUpdate' },
          ]),
        ),
      );
      try {
        expect(await r.store.all(`SELECT kind, outcome, affected FROM actions ORDER BY t`)).toEqual([
          { kind: 'reviewEntry', outcome: 'applied', affected: 1 },
          { kind: 'deliverabilityUpdate', outcome: 'none', affected: 0 },
        ]);
        const odd = `FROM attempts WHERE text = '${ODD}' AND delivery_id = 2`;
        expect(await count(r.store, `SELECT count(*) AS n ${odd}`)).toBeGreaterThan(20);
        // no rule qualifies the text after the update: never Hard (an allowlisted address logs 25, Ignored)
        expect(
          await count(r.store, `SELECT count(*) AS n ${odd} AND (rule IS NOT NULL OR type = 'hard')`),
        ).toBe(0);
        expect(
          await count(
            r.store,
            `SELECT count(*) AS n FROM qualification WHERE normalized LIKE '%zorblax%' AND status = '${status}'`,
          ),
        ).toBe(1);
      } finally {
        await r.store.close();
      }
    }
  });
});
