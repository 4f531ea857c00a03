/**
 * Each consistency check (store/consistency.ts) fails on a store with a planted inconsistency, and
 * passes on the untouched store: one small legacy run, copied and tampered with once per case.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../reports/summary/summary-schema.ts';
import { checkRun } from '../runner/check-run.ts';
import { pathLimits, planMxRules, sliceAllowance } from '../runner/path-limits.ts';
import type { RunPlan } from '../runner/run-plan.ts';
import { runPlan } from '../runner/run-scenario.ts';
import { checkConsistency, type Violation } from '../store/consistency.ts';
import { openRunStore } from '../store/index.ts';
import { DUPLICATE_SUSPENSIONS, expectConsistentStore, UNACCEPTED_DELIVERED } from './consistency.ts';
import { catalogPlan, cleanupRuns, tempDir } from './simulation/helpers.ts';

afterAll(cleanupRuns);

let plan: RunPlan;
let clean: string;

beforeAll(async () => {
  plan = catalogPlan('baseline', { recipients: 600 });
  clean = tempDir();
  await runPlan(plan, { out: clean, openStore: false });
});

/** A copy of the clean run, changed by `sql` statements (read-write store) and `summary` edits. */
async function planted(sql: string[], edit?: (summary: Summary) => void): Promise<string> {
  const dir = tempDir();
  cpSync(clean, dir, { recursive: true });
  if (sql.length) {
    const s = await openRunStore(dir, { readonly: false });
    try {
      for (const q of sql) await s.run(q);
    } finally {
      s.close();
    }
  }
  if (edit) {
    const f = join(dir, 'summary.json');
    const summary = JSON.parse(readFileSync(f, 'utf8'));
    edit(summary);
    writeFileSync(f, JSON.stringify(summary));
  }
  return dir;
}

async function violations(dir: string): Promise<Violation[]> {
  return (await checkRun(dir, plan)).violations;
}

async function one<T>(dir: string, sql: string): Promise<T> {
  const s = await openRunStore(dir);
  try {
    const rows = await s.all<Record<string, unknown>>(sql);
    for (const k of Object.keys(rows[0]!))
      if (typeof rows[0]![k] === 'bigint') rows[0]![k] = Number(rows[0]![k]);
    return rows[0] as T;
  } finally {
    s.close();
  }
}

describe('consistency checks', () => {
  it('an untouched run has no violation, with every check run', async () => {
    const r = await checkRun(clean, plan);
    expect(r.violations).toEqual([]);
    expect(r.checkedSlices).toBe(true);
    // found without a plan too: the scenario file named in run_meta
    expect((await checkRun(clean)).checkedSlices).toBe(true);
  });

  it('a duplicated suspension row is reported with its key', async () => {
    const dir = await planted([
      `INSERT INTO suspensions VALUES ('block', 'example.com', NULL, NULL, 1000, 10801000, 'errorRate', 'planted'),
                                      ('block', 'example.com', NULL, NULL, 1000, 10801000, 'errorRate', 'planted')`,
    ]);
    const v = await violations(dir);
    expect(v).toEqual([
      {
        check: 'suspensions-unique',
        table: 'suspensions',
        key: 'kind=block domain=example.com local_ip=null mx_ip=null start_ms=1000',
        detail: '2 identical rows (end_ms=10801000, rule=errorRate)',
      },
    ]);
  });

  it('a known defect is tolerated only while it shows, and only for its own check', async () => {
    const dup = await planted([
      `INSERT INTO suspensions VALUES ('block', 'example.com', NULL, NULL, 1000, 10801000, 'errorRate', 'planted'),
                                      ('block', 'example.com', NULL, NULL, 1000, 10801000, 'errorRate', 'planted')`,
    ]);
    await expectConsistentStore(dup, plan, [DUPLICATE_SUSPENSIONS]);
    await expect(expectConsistentStore(dup, plan)).rejects.toThrow(/suspensions-unique/);
    await expect(expectConsistentStore(clean, plan, [DUPLICATE_SUSPENSIONS])).rejects.toThrow(
      /issue #19 defect 4 no longer breaks 'suspensions-unique'/,
    );
    await expectConsistentStore(clean, plan, [DUPLICATE_SUSPENSIONS], false);
    const both = await planted([], (s) => s.messages.targeted++);
    await expect(expectConsistentStore(both, plan, [UNACCEPTED_DELIVERED])).rejects.toThrow(
      /summary\.json messages\.target/,
    );
  });

  it('an attempt after delivery is reported with its message and attempt number', async () => {
    const a = await one<{ d: number; r: number; attempt: number; t: number }>(
      clean,
      `SELECT delivery_id AS d, recipient_id AS r, attempt, t FROM attempts WHERE outcome = 'delivered' ORDER BY t, r LIMIT 1`,
    );
    const dir = await planted([
      `INSERT INTO attempts SELECT t + 60000, delivery_id, recipient_id, attempt + 1, domain, local_ip, mx_ip, phase, 451,
         '4.7.1', 'planted', 'soft', 3, 'count', 'transient', NULL, NULL, 'retry'
       FROM attempts WHERE delivery_id = ${a.d} AND recipient_id = ${a.r} AND attempt = ${a.attempt}`,
    ]);
    const v = await violations(dir);
    expect(v.filter((x) => x.check === 'attempt-after-final')).toEqual([
      {
        check: 'attempt-after-final',
        table: 'attempts',
        key: `delivery_id=${a.d} recipient_id=${a.r} attempt=${a.attempt + 1}`,
        detail: `at ${a.t + 60000} (retry) after attempt ${a.attempt} ended it (delivered at ${a.t})`,
      },
    ]);
    // the delivery log no longer agrees with the attempts either
    expect(
      v.some((x) => x.check === 'log-attempts' && x.key === `delivery_id=${a.d} recipient_id=${a.r}`),
    ).toBe(true);
  });

  it('a delivery-log row that disagrees with its attempts is reported', async () => {
    const a = await one<{ d: number; r: number }>(
      clean,
      `SELECT delivery_id AS d, recipient_id AS r FROM delivery_log WHERE status = 'failed' AND NOT excluded ORDER BY r LIMIT 1`,
    );
    const dir = await planted([
      `UPDATE delivery_log SET status = 'pending' WHERE delivery_id = ${a.d} AND recipient_id = ${a.r}`,
    ]);
    const v = (await violations(dir)).filter((x) => x.check === 'log-attempts');
    expect(v).toHaveLength(1);
    expect(v[0]!.key).toBe(`delivery_id=${a.d} recipient_id=${a.r}`);
    expect(v[0]!.detail).toMatch(/^last attempt (failed|expired) but status pending$/);
  });

  it('a throughput row that does not count the attempts is reported', async () => {
    const dir = await planted([
      `UPDATE throughput SET delivered = delivered + 1 WHERE (slice_ms, domain, local_ip) =
         (SELECT (slice_ms, domain, local_ip) FROM throughput ORDER BY attempts DESC, slice_ms, domain LIMIT 1)`,
    ]);
    const v = (await violations(dir)).filter((x) => x.check === 'throughput-attempts');
    expect(v).toHaveLength(1);
    expect(v[0]!.detail).toMatch(/^delivered (\d+) but (\d+) in attempts$/);
  });

  const FIELDS: [string, (s: Summary) => void][] = [
    ['messages.targeted', (s) => s.messages.targeted++],
    ['messages.delivered', (s) => s.messages.delivered++],
    ['messages.failed.total', (s) => s.messages.failed.total--],
    ['messages.pending', (s) => s.messages.pending++],
    ['messages.excluded.total', (s) => s.messages.excluded.total++],
    ['quarantine.addresses', (s) => s.quarantine.addresses++],
    ['quarantine.rate', (s) => (s.quarantine.rate += 0.001)],
    ['quarantine.falseQuarantines', (s) => s.quarantine.falseQuarantines++],
    ['quarantine.missedQuarantines', (s) => s.quarantine.missedQuarantines++],
    ['throughput.peakPerHour', (s) => s.throughput.peakPerHour++],
    ['quarantine.precision', (s) => (s.quarantine.precision = s.quarantine.precision! > 0.5 ? 0.25 : 0.75)],
    ['quarantine.recall', (s) => (s.quarantine.recall = s.quarantine.recall! > 0.5 ? 0.25 : 0.75)],
    ['retries.retries', (s) => s.retries.retries++],
    ['completedAt.ms', (s) => (s.completedAt.ms += 1)],
  ];
  it('a tampered per-domain figure is reported with its domain', async () => {
    const dir = await planted([], (s) => s.throughput.perDomain[0]!.peakPerHour++);
    const summary = JSON.parse(readFileSync(join(clean, 'summary.json'), 'utf8')) as Summary;
    const v = await violations(dir);
    expect(v.map((x) => x.key)).toEqual([
      `throughput.perDomain[${summary.throughput.perDomain[0]!.domain}].peakPerHour`,
    ]);
  });

  it.each(FIELDS)('a tampered summary figure (%s) is reported by name', async (field, edit) => {
    const dir = await planted([], edit);
    const v = await violations(dir);
    expect(v.map((x) => `${x.check} ${x.table} ${x.key}`)).toEqual([`summary summary.json ${field}`]);
  });

  it('a slice over its MX rule limit is reported with the bucket and slice', async () => {
    // the clean run's busiest bucket slice, against a rule that allows one send fewer
    const store = await openRunStore(clean);
    try {
      const summary = JSON.parse(readFileSync(join(clean, 'summary.json'), 'utf8'));
      const domains = (await store.all<{ domain: string }>('SELECT DISTINCT domain FROM attempts')).map(
        (d) => d.domain,
      );
      const limits = pathLimits(plan, domains);
      expect(await checkConsistency(store, summary, { limits })).toEqual([]);
      const gmail = limits.filter((l) => l.rule === 'gmail');
      expect(gmail.length).toBeGreaterThan(0);
      const busiest = await store.all<{ ip: string; s: bigint; n: bigint }>(
        `SELECT local_ip AS ip, t // 300000 AS s, count(*) AS n FROM attempts
         WHERE mx_ip IN (${gmail.map((l) => `'${l.mxIp}'`).join(', ')}) GROUP BY ALL ORDER BY n DESC, s, ip LIMIT 1`,
      );
      const n = Number(busiest[0]!.n);
      expect(n).toBeGreaterThan(1);
      const tight = limits.map((l) => (l.rule === 'gmail' ? { ...l, perSlice: n - 1 } : l));
      const v = await checkConsistency(store, summary, { limits: tight });
      expect(v[0]).toEqual({
        check: 'slice-limit',
        table: 'attempts',
        key: `local_ip=${busiest[0]!.ip} rule=gmail slice_ms=${Number(busiest[0]!.s) * 300000}`,
        detail: `${n} sends in the slice, the rule allows ${n - 1}`,
      });
    } finally {
      store.close();
    }
  });

  it('limits come from the plan: SPEC §7.1 slices of the matched MX rule', () => {
    const limits = pathLimits(plan, ['yahoo.com', 'gmail.com', 'example.net', 'nowhere.invalid']);
    const byDomain = (d: string) => limits.filter((l) => l.domain === d);
    expect(byDomain('yahoo.com').length).toBeGreaterThan(0);
    expect(byDomain('yahoo.com').every((l) => l.perSlice === 100 && l.shared && l.sliceMs === 300_000)).toBe(
      true,
    );
    expect(byDomain('gmail.com').every((l) => l.rule === 'gmail' && l.perSlice === 1666)).toBe(true);
    expect(
      byDomain('example.net').every((l) => l.rule === 'general' && !l.shared && l.perSlice === 833),
    ).toBe(true);
    expect(byDomain('nowhere.invalid')).toEqual([]);
    const set = planMxRules(plan);
    expect(sliceAllowance(set, 10_000)).toEqual({ perSlice: 833, sliceMs: 300_000 });
    expect(sliceAllowance(set, 6)).toEqual({ perSlice: 1, sliceMs: 600_000 });
    expect(sliceAllowance(set, 0)).toBeNull();
  });
});
