/**
 * Issue #24 item 1: "run or skip the cleanup" as actions of the scenario format. The catalog's
 * mailbox-full pair (the daily cleanup lifts a Mailbox-full quarantine after 30 days, SPEC §5) at
 * 600 recipients: `runCleanup` releases them in a run whose scheduled cleanup is off, at the
 * action's time only; `skipCleanup` makes the next scheduled run do nothing, and the day after
 * releases what it would have released.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../core/types.ts';
import { CATALOG_DIR, parseScenario, planOf } from '../../runner/index.ts';
import { cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

/** A catalog scenario at 600 recipients with `actions` appended (same folder: its paths hold). */
function variant(name: string, actions: string) {
  const file = join(CATALOG_DIR, `${name}.yaml`);
  const text = readFileSync(file, 'utf8').replace(/^( {2}size:) 10000$/m, '$1 600');
  return planOf(parseScenario(`${text}${actions ? `actions:\n${actions}` : ''}`, file));
}

const RELEASED = `FROM quarantine_history WHERE old_status = 'quarantine' AND new_status = 'valid' AND cause = 'cleanup'`;
const at = (day: number) => (day - 1) * DAY + 2 * HOUR + 30 * 60_000;

describe('cleanup actions', () => {
  it('runCleanup with the scheduled cleanup off: releases at the action time, none at any other', async () => {
    const r = await run(variant('mailbox-full-no-cleanup', '  - { at: day38 02:30, kind: runCleanup }\n'));
    try {
      expect(await count(r.store, `SELECT count(*) AS n ${RELEASED}`)).toBeGreaterThan(0);
      expect(await count(r.store, `SELECT count(*) AS n ${RELEASED} AND t <> ${at(38)}`)).toBe(0);
      expect(await r.store.all(`SELECT kind, outcome FROM actions`)).toEqual([
        { kind: 'runCleanup', outcome: 'applied' },
      ]);
    } finally {
      await r.store.close();
    }
  });

  it('skipCleanup: the next scheduled cleanup releases nothing; the one after releases what it held back', async () => {
    const base = await run(variant('mailbox-full-cleanup', ''));
    const skip = await run(variant('mailbox-full-cleanup', '  - { at: day36 01:00, kind: skipCleanup }\n'));
    try {
      const on = (day: number) =>
        `SELECT count(*) AS n ${RELEASED} AND t >= ${(day - 1) * DAY} AND t < ${day * DAY}`;
      const base36 = await count(base.store, on(36));
      expect(base36).toBeGreaterThan(0);
      expect(await count(skip.store, on(36))).toBe(0);
      expect(await count(skip.store, on(37))).toBeGreaterThanOrEqual(base36);
      // before the skipped run, both runs are the same
      const before = `SELECT count(*) AS n ${RELEASED} AND t < ${35 * DAY}`;
      expect(await count(skip.store, before)).toBe(await count(base.store, before));
    } finally {
      await base.store.close();
      await skip.store.close();
    }
  });
});
