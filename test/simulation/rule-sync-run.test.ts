/**
 * Issue #24 item 4: the daily rule refresh in runs, through the scenario format.
 *   ../shared/seeds/001_1184207a49278854.txt:72 "Une mise à jour quotidienne des règles MX et des règles
 *     de rebond est gérée par un workflow spécifique dans l’instance client qui est connectée au
 *     propriétaire de l’instance de délivrabilité de ces règles."
 *   ../shared/seeds/001_1184207a49278854.txt:80 "Lorsque le mode personnalisé est activé, le client ne
 *     sera pas mis à jour par l’instance de délivrabilité, car la synchronisation sera désactivée."
 *   ../shared/seeds/000_c6497a8802f963fa.txt:301 "les règles mail créées par l'utilisateur sont écrasées."
 * The catalog's rule-sync-overwrite uses an in-process instance; the last test fetches a real URL,
 * served through msw, with a 500, a timeout and an invalid payload: the rules in force stay.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_DIR, parseScenario, planOf } from '../../runner/index.ts';
import { cleanupRuns, count, run } from './helpers.ts';

const FILE = join(CATALOG_DIR, 'rule-sync-overwrite.yaml');
const TEXT = readFileSync(FILE, 'utf8');
const HOUR = 3_600_000;
const URL = 'http://deliverability.test/rules.json';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => {
  server.close();
  cleanupRuns();
});

/** The catalog scenario with edits to its text (same folder: its relative paths hold). */
const variant = (edit: (t: string) => string = (t) => t) => planOf(parseScenario(edit(TEXT), FILE));

const VALID_ICLOUD_QUARANTINED = `SELECT count(*) AS n FROM quarantine q JOIN recipients r USING (address)
  WHERE q.status = 'quarantine' AND r.truth = 'valid' AND r.initial_status = 'valid' AND r.domain IN ('icloud.com', 'me.com', 'mac.com')`;

describe('rule sync in a run (catalog rule-sync-overwrite)', () => {
  it('sync: the 09:00 refresh replaces the user fix, valid iCloud recipients are quarantined after it; custom: the fix stays', async () => {
    const sync = await run(variant());
    const custom = await run(variant((t) => t.replace('  mode: sync', '  mode: custom')));
    try {
      expect(await count(sync.store, VALID_ICLOUD_QUARANTINED)).toBeGreaterThan(50);
      // none before the refresh: the user's rule made the text transient
      expect(
        await count(
          sync.store,
          `SELECT count(*) AS n FROM quarantine_history WHERE new_status = 'quarantine' AND rule = 'apple_user_lookup_no_record' AND t < ${9 * HOUR}`,
        ),
      ).toBe(0);
      expect(await count(custom.store, VALID_ICLOUD_QUARANTINED)).toBe(0);
      expect(await sync.store.all(`SELECT t, kind, outcome FROM actions ORDER BY t`)).toEqual([
        { t: 9 * HOUR, kind: 'ruleSync', outcome: 'applied' },
        { t: 33 * HOUR, kind: 'ruleSync', outcome: 'applied' },
      ]);
      expect(await custom.store.all(`SELECT t, outcome FROM actions ORDER BY t`)).toEqual([
        { t: 9 * HOUR, outcome: 'custom' },
        { t: 33 * HOUR, outcome: 'custom' },
      ]);
    } finally {
      await sync.store.close();
      await custom.store.close();
    }
  });

  it('a real URL (msw): 500, timeout and an invalid payload keep the rules in force, each logged', async () => {
    let n = 0;
    server.use(
      http.get(URL, async () => {
        n++;
        if (n === 1) return new HttpResponse('down', { status: 500 });
        if (n === 2) {
          await delay(2_000);
          return HttpResponse.json({ version: 'late', rules: [] });
        }
        return HttpResponse.json({ version: 'broken', rules: [{ name: 'x', type: 'nonsense' }] });
      }),
    );
    const r = await run(
      variant((t) =>
        t
          .replace('url: http://deliverability.example/rules.json', `url: ${URL}`)
          .replace(
            / {2}instance:\n {4}rules: default\n {4}version: central-2021-04-26\n/,
            '  timeout: 200ms\n',
          )
          .replace("refreshAt: '09:00'", "refreshAt: '00:30'")
          .replace('horizon: 2d', 'horizon: 3d'),
      ),
    );
    try {
      const rows = await r.store.all<{ outcome: string; detail: string }>(
        `SELECT outcome, detail FROM actions ORDER BY t`,
      );
      expect(rows.map((x) => x.outcome)).toEqual(['failed', 'failed', 'failed']);
      expect(rows[0]!.detail).toMatch(/^HTTP 500/);
      expect(rows[1]!.detail).toMatch(/^timeout after 200 ms/);
      expect(rows[2]!.detail).toMatch(/^invalid rule set: /);
      // the user's fix stayed in force all along
      expect(await count(r.store, VALID_ICLOUD_QUARANTINED)).toBe(0);
    } finally {
      await r.store.close();
    }
  });
});
