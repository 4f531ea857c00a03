/**
 * SPEC §7.1 error-rate block against a burst (issue #19, defect 4): 2 local IPs × 10 connections ×
 * 50 messages per connection (the default general MX rule) open at once to a domain that refuses
 * everyone. The block must hold from the reply that trips it: no message may leave after that reply
 * is known, although every session opens in the same millisecond. Before the fix all 1,000 messages
 * left at 06:00 (700 after the 300th reply tripped the block) and the block was written 3 times.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario, planOf } from '../../runner/index.ts';
import { cleanupRuns, count, run, tempDir } from './helpers.ts';

afterAll(cleanupRuns);

const HOUR = 3_600_000;
const START = 6 * HOUR;

function burstPlan() {
  const dir = tempDir('mxlab-burst-');
  writeFileSync(join(dir, 'dark-mix.yaml'), 'name: dark\ndomains:\n  - { domain: comcast.net, share: 1 }\n');
  const file = join(dir, 'burst.yaml');
  const text = [
    'name: error-block-burst',
    'seed: 7',
    'horizon: 1d',
    'mode: legacy',
    'population:',
    '  size: 1200',
    '  mix: dark-mix.yaml',
    'isps:',
    '  windows:',
    '    - profile: generic',
    '      name: dark',
    '      from: day1 00:00',
    '      to: day1 23:00',
    '      phase: rcpt',
    '      domains: [comcast.net]',
    "      reply: '550 5.7.1 <rcpt>: Relay access denied'",
    'mta:',
    '  localIps: 2',
    '  mxRules: default',
    'deliveries:',
    '  - name: burst',
    '    at: day1 06:00',
    '    validity: 1d',
    '',
  ].join('\n');
  writeFileSync(file, text);
  return planOf(parseScenario(text, file));
}

describe('error-rate block against a burst of sessions opened in the same millisecond', () => {
  it('holds from the reply that trips it: exactly 300 messages leave, and the block is one row', async () => {
    const r = await run(burstPlan());
    try {
      const queued = await count(
        r.store,
        `SELECT count(*) AS n FROM delivery_log WHERE NOT excluded AND address LIKE '%@comcast.net'`,
      );
      expect(queued).toBeGreaterThan(1000); // enough for 2 IPs × 10 connections × 50 messages
      const blocks = await r.store.all<{ start_ms: number; end_ms: number }>(
        `SELECT start_ms, end_ms FROM suspensions WHERE kind = 'block' AND domain = 'comcast.net' ORDER BY start_ms`,
      );
      expect(Number(blocks[0]!.start_ms)).toBe(START);
      expect(Number(blocks[0]!.end_ms)).toBe(START + 3 * HOUR);
      // every attempt up to and at the crossing millisecond; the 300th reply trips the block, so any
      // attempt beyond 300 left after it was known
      const upToCrossing = await count(
        r.store,
        `SELECT count(*) AS n FROM attempts WHERE domain = 'comcast.net' AND t <= ${START}`,
      );
      expect(upToCrossing).toBe(300);
      const during = await count(
        r.store,
        `SELECT count(*) AS n FROM attempts WHERE domain = 'comcast.net' AND t > ${START} AND t < ${START + 3 * HOUR}`,
      );
      expect(during).toBe(0);
      // one row per block: the later blocks start where the earlier ones end, none twice
      const dup = await count(
        r.store,
        `SELECT count(*) AS n FROM (SELECT kind, domain, start_ms, count(*) AS c FROM suspensions GROUP BY ALL HAVING c > 1)`,
      );
      expect(dup).toBe(0);
    } finally {
      await r.store.close();
    }
  });
});
