/**
 * Issue #24 item 1: "change a rule set" as an action of the scenario format. The catalog's
 * isp-outage at 5,000 recipients over one day, its outage from 06:00 (iCloud capped at 400 an hour,
 * so its ~400 recipients go out from 06:00 to about 07:00); at 06:30 an operator puts in
 * isp-outage-fixed's rule set (the Apple text is Soft / Unreachable, no address impact): the Apple
 * rule quarantines valid iCloud recipients until 06:30 and none after.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../core/types.ts';
import { CATALOG_DIR, parseScenario, planOf } from '../../runner/index.ts';
import { cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

const FILE = join(CATALOG_DIR, 'isp-outage.yaml');
const SWITCH = 6 * HOUR + 30 * MINUTE;

describe('setRules action', () => {
  it('the rule set put in at 06:30 qualifies every later reply: no Apple quarantine after it', async () => {
    const text = readFileSync(FILE, 'utf8')
      .replace(/^( {2}size:) 20000$/m, '$1 5000')
      .replace(/^horizon: 5d$/m, 'horizon: 1d')
      .replace(/^( {4}validity:) 5d$/m, '$1 1d')
      .replace(/^( {6}from:) day1 07:00$/m, '$1 day1 06:00');
    expect(text).toMatch(/size: 5000[\s\S]*from: day1 06:00[\s\S]*validity: 1d/);
    const r = await run(
      planOf(
        parseScenario(
          `${text}actions:\n  - { at: day1 06:30, kind: setRules, inbound: rules/apple-outage-fix }\n`,
          FILE,
        ),
      ),
    );
    try {
      const apple = `FROM quarantine_history WHERE new_status = 'quarantine' AND rule = 'apple_user_lookup_no_record'`;
      expect(await count(r.store, `SELECT count(*) AS n ${apple} AND t < ${SWITCH}`)).toBeGreaterThan(20);
      expect(await count(r.store, `SELECT count(*) AS n ${apple} AND t >= ${SWITCH}`)).toBe(0);
      // the outage text still comes back after the switch, under the new rule set
      const after = `FROM attempts WHERE text LIKE '%user lookup success%' AND t >= ${SWITCH}`;
      expect(await count(r.store, `SELECT count(*) AS n ${after}`)).toBeGreaterThan(20);
      expect(await count(r.store, `SELECT count(*) AS n ${after} AND type = 'hard'`)).toBe(0);
      expect(await r.store.all(`SELECT kind, outcome FROM actions`)).toEqual([
        { kind: 'setRules', outcome: 'applied' },
      ]);
    } finally {
      await r.store.close();
    }
  });
});
