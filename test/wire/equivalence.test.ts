/**
 * Wire mode gives the same per-recipient outcome as the in-process simulation: every catalog
 * scenario, reduced to a few thousand recipients (issue #6), run both ways with the same seed; the
 * delivery log (status, type, reason) and the quarantine (status, error count) must match row for row.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_DIR, loadScenario, planOf, runPlan, wirePorts } from '../../runner/index.ts';
import type { FakeMxStats } from '../../simulators/wire/fake-mx.ts';
import { expectConsistentStore } from '../consistency.ts';

const RECIPIENTS = Number(process.env.MXLAB_WIRE_RECIPIENTS ?? 2000);
/**
 * scenarios retrying for weeks make many more sessions per recipient (40 days of daily sends: 150
 * recipients already take 20 s each way over the wire, 2,000 would take minutes): fewer recipients
 */
const FEWER: Record<string, number> = { 'mailbox-full-cleanup': 150, 'mailbox-full-no-cleanup': 150 };
const dir = mkdtempSync(join(tmpdir(), 'mxlab-wire-eq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenarios = readdirSync(CATALOG_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

const LOG = 'select delivery_id, recipient_id, status, type, reason from delivery_log order by 1, 2';
const QUARANTINE = 'select address, status, error_count from quarantine order by 1';

describe('wire mode ≡ in-process', () => {
  it('covers the whole catalog', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
  });
  for (const name of scenarios) {
    it(`${name}: same delivery log and quarantine`, async () => {
      const plan = planOf(
        loadScenario(join(CATALOG_DIR, `${name}.yaml`), { recipients: FEWER[name] ?? RECIPIENTS }),
      );
      const a = await runPlan(plan, { out: join(dir, `${name}-a`) });
      // read before the run stops its ports: a stopped fleet has no servers and counts nothing
      const seen: { totals?: FakeMxStats; maybeDuplicates?: number } = {};
      const b = await runPlan(plan, {
        out: join(dir, `${name}-b`),
        ports: wirePorts({
          onStop: (w) => {
            seen.totals = w.fleet.totals();
            seen.maybeDuplicates = w.transport.stats.maybeDuplicates;
          },
        }),
      });
      try {
        const [la, lb] = [await a.store!.all(LOG), await b.store!.all(LOG)];
        expect(lb.length).toBe(la.length);
        expect(lb).toEqual(la);
        expect(await b.store!.all(QUARANTINE)).toEqual(await a.store!.all(QUARANTINE));
        // every accepted message was DKIM-verified by the fake MX, none failed
        const t = seen.totals!;
        expect(t.accepted).toBeGreaterThan(0);
        expect(t.dkimFail).toBe(0);
        expect(t.dkimPass).toBe(t.accepted + t.rejected);
        expect(seen.maybeDuplicates).toBe(0);
        for (const r of [a, b]) await expectConsistentStore(r.out, plan);
      } finally {
        await a.store!.close();
        await b.store!.close();
      }
    }, 180_000);
  }
});
