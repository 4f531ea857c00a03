/**
 * SPEC §5 (turn 2): which Soft errors count is a quarantine setting a scenario sets
 * (`quarantine.uncountedSoftReasons`), and the run's qualifier honours it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { defineScenario, runScenario } from './index.ts';

const out = mkdtempSync(join(tmpdir(), 'mxlab-qset-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** every iCloud recipient's mailbox is full for the whole run: Soft / Mailbox full (5), retried */
const scenario = (uncountedSoftReasons?: number[]) =>
  defineScenario({
    name: 'full-icloud',
    seed: 7,
    horizon: '2d',
    mode: 'legacy',
    population: { size: 400, mix: 'consumer-us' },
    isps: {
      windows: [
        {
          profile: 'apple-icloud',
          from: 'day1 00:00',
          to: 'day3 00:00',
          phase: 'rcpt',
          reply: '452 4.2.2 <rcpt>: mailbox is full',
        },
      ],
    },
    ...(uncountedSoftReasons ? { quarantine: { uncountedSoftReasons } } : {}),
    deliveries: [{ name: 'd', at: 'day1 06:00', validity: '1d' }],
  });

async function withErrors(uncounted?: number[]): Promise<{ withErrors: number; retried: number }> {
  const r = await runScenario(scenario(uncounted), { out: join(out, String(uncounted ?? 'default')) });
  try {
    const [a] = await r.store!.all(
      `SELECT count(*) FILTER (WHERE status = 'withErrors') AS w FROM quarantine
       WHERE address LIKE '%@icloud.com' OR address LIKE '%@me.com' OR address LIKE '%@mac.com'`,
    );
    const [b] = await r.store!.all(
      `SELECT count(*) AS n FROM attempts WHERE reason = 5 AND outcome = 'retry'`,
    );
    return { withErrors: Number(a!.w), retried: Number(b!.n) };
  } finally {
    await r.store!.close();
  }
}

it('counts a full mailbox by default, not when the scenario lists reason 5 as uncounted', async () => {
  const counted = await withErrors();
  const uncounted = await withErrors([5, 20]);
  expect(counted.withErrors).toBeGreaterThan(10);
  expect(uncounted.withErrors).toBe(0);
  // the setting is about counting only: the messages are retried the same way
  expect(uncounted.retried).toBe(counted.retried);
});
