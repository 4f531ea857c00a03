/** `mxlab ingest`, `mxlab export postfix-log`, `compare --rules` over an ingested store, `mxlab calibrate`, as a user runs them. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHarness } from './cli-harness.ts';
import { expectConsistentStore } from './consistency.ts';

const FIX = join(import.meta.dirname, 'fixtures', 'mta-logs');
const { dir, mxlab } = cliHarness('mxlab-cli-ingest-');
// each call starts a node process (seconds on a loaded machine); the tests share the first store
const SLOW = 240_000;

describe('mxlab ingest (CLI)', () => {
  it(
    'names malformed lines with their numbers, counts skipped ones, and writes a store report reads',
    async () => {
      const r = await mxlab('ingest', 'pmta', join(FIX, 'pmta.csv'), '--out', 'pmta');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/pmta\.csv:14: malformed \(unknown record type 'x'\)/);
      expect(r.stderr).toMatch(/pmta\.csv:16: malformed \(unclosed quote\)/);
      expect(r.stderr).toMatch(/11 lines read, 5 used \(5 attempts\), 3 skipped .*, 3 malformed/);
      expect(r.stdout).toMatch(/ingested 5 attempts of 4 messages/);
      await expectConsistentStore(join(dir, 'pmta'));
      const rep = await mxlab('report', 'pmta');
      expect(rep.code, rep.stderr).toBe(0);
    },
    SLOW,
  );
  it(
    'exits 2 when nothing is usable and on an unknown format',
    async () => {
      writeFileSync(join(dir, 'junk.log'), 'hello\nDec  6 10:00:00 mail kernel: eth0 up\n');
      const none = await mxlab('ingest', 'postfix', 'junk.log', '--out', 'junk');
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/junk\.log:1: malformed/);
      expect(none.stderr).toMatch(/junk\.log:2: malformed/);
      expect(none.stderr).toMatch(/nothing to ingest in junk\.log/);
      expect((await mxlab('ingest', 'qmail', 'junk.log', '--out', 'x')).stderr).toMatch(
        /FORMAT: expected one of postfix/,
      );
    },
    SLOW,
  );
  it(
    'export postfix-log writes lines ingest reads back attempt for attempt',
    async () => {
      const ex = await mxlab('export', 'postfix-log', 'pmta', '--out', 'pmta.log');
      expect(ex.code, ex.stderr).toBe(0);
      expect(ex.stderr).toMatch(/5 attempts written/);
      const back = await mxlab('ingest', 'postfix', 'pmta.log', '--out', 'pmta2');
      expect(back.code, back.stderr).toBe(0);
      expect(back.stderr).toMatch(/5 used \(5 attempts\).* 0 malformed/);
      await expectConsistentStore(join(dir, 'pmta2'));
    },
    SLOW,
  );
  it(
    'compare --rules OLD NEW STORE qualifies an ingested store again with each rule set',
    async () => {
      writeFileSync(
        join(dir, 'soft.yaml'),
        'rules:\n  - name: unknown_is_soft\n    regex: User unknown\n    type: soft\n    reason: 3\n',
      );
      const defaults = join(import.meta.dirname, '..', 'core', 'qualification', 'rules', 'default');
      const c = await mxlab('compare', '--rules', defaults, 'soft.yaml', 'pmta', '--out', 'cmp', '--json');
      expect(c.code, c.stderr).toBe(0);
      const j = JSON.parse(c.stdout);
      const q = j.metrics.find((m: { name: string }) => m.name === 'quarantine.addresses');
      expect([q.a, q.b]).toEqual([1, 0]);
      await expectConsistentStore(join(dir, 'cmp', 'b'));
    },
    SLOW,
  );
  it(
    'calibrate exits 2 when no ISP has enough attempts',
    async () => {
      const r = await mxlab('calibrate', 'pmta', '--out', 'fit');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/nothing to fit/);
    },
    SLOW,
  );
});
