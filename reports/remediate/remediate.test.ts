import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { HOUR } from '../../core/types.ts';
import { quarantineRate } from '../metrics/quarantine.ts';
import { rows } from '../store-port.ts';
import { emptyStore, tinyStore } from '../test-helpers/tiny-store.ts';
import { applyRemediation, planRemediation, RemediationError, remediationSql } from './remediate.ts';

describe('planRemediation', () => {
  it('selects the Apple outage text in the window and judges it against truth', async () => {
    const s = await tinyStore();
    try {
      const p = await planRemediation(s, { contains: 'USER LOOKUP success', fromMs: HOUR, toMs: 3 * HOUR });
      expect(p.addresses.map((x) => x.address)).toEqual(['v4@icloud.com']);
      expect([p.selected, p.restoredValid, p.wronglyRestored, p.missedValid]).toEqual([1, 1, 0, 0]);
      const wide = await planRemediation(s, { contains: 'user lookup success', fromMs: 0, toMs: 5 * HOUR });
      expect(wide.missedValid).toBe(1); // b9, quarantined at 4h by a DSN text
    } finally {
      s.close();
    }
  });

  it('selects by rule name and domain list', async () => {
    const s = await tinyStore();
    try {
      const q = {
        contains: 'no such thing',
        rule: 'Momen_Code10_InvalidRecipient',
        fromMs: 0,
        toMs: 5 * HOUR,
      };
      expect((await planRemediation(s, { ...q, domains: ['ICLOUD.com', 'me.com'] })).selected).toBe(1);
      expect((await planRemediation(s, { ...q, domains: ['me.com'] })).selected).toBe(0);
    } finally {
      s.close();
    }
  });

  it('counts wrongly restored invalid addresses', async () => {
    const s = await tinyStore();
    try {
      const p = await planRemediation(s, { contains: '5.1.1', fromMs: 0, toMs: 5 * HOUR });
      expect(p.addresses.map((x) => [x.address, x.truth])).toEqual([
        ['b9@gm.com', 'valid'],
        ['u3@ex.com', 'unknown'],
        ['v4@icloud.com', 'valid'],
      ]);
      expect([p.selected, p.restoredValid, p.wronglyRestored, p.missedValid]).toEqual([3, 2, 1, 0]);
    } finally {
      s.close();
    }
  });

  it('rejects an empty selection or window', async () => {
    const s = await tinyStore();
    try {
      await expect(planRemediation(s, { fromMs: 0, toMs: 1 })).rejects.toThrow(RemediationError);
      await expect(planRemediation(s, { contains: 'x', fromMs: 5, toMs: 1 })).rejects.toThrow(
        /window is empty/,
      );
    } finally {
      s.close();
    }
  });
});

describe('applyRemediation', () => {
  it('restores the selection and records it in the history', async () => {
    const s = await tinyStore();
    try {
      const n = await applyRemediation(s, { contains: 'user lookup success', fromMs: HOUR, toMs: 3 * HOUR });
      expect(n).toBe(1);
      const q = await rows<{ status: string; error_count: number; updated_ms: number }>(
        s,
        "SELECT status::VARCHAR AS status, error_count, updated_ms FROM quarantine WHERE address = 'v4@icloud.com'",
      );
      expect(q).toEqual([{ status: 'valid', error_count: 0, updated_ms: 4 * HOUR }]);
      const h = await rows<{ cause: string; t: number }>(
        s,
        "SELECT cause::VARCHAR AS cause, t FROM quarantine_history WHERE address = 'v4@icloud.com' ORDER BY t",
      );
      expect(h.map((x) => x.cause)).toEqual(['sync', 'remediation']);
      expect((await quarantineRate(s)).quarantined).toBe(2);
      // applying again selects nothing: the address is no longer in quarantine
      expect(
        await applyRemediation(s, { contains: 'user lookup success', fromMs: HOUR, toMs: 3 * HOUR }),
      ).toBe(0);
    } finally {
      s.close();
    }
  });
});

describe('applyRemediation over several write batches', () => {
  it('restores 1,201 addresses (three batches of 500): recounted in SQL, one history row each', async () => {
    const s = await emptyStore();
    try {
      const N = 1201;
      const text = 'user lookup success but no user record found';
      await s.run(
        `INSERT INTO quarantine SELECT 'r' || i || '@icloud.com', 'quarantine', 2, 1, ?, ?, ?, ? FROM range(${N}) t(i)`,
        [text, HOUR, HOUR, HOUR],
      );
      // one address outside the window stays quarantined
      await s.run(`INSERT INTO quarantine VALUES ('late@icloud.com', 'quarantine', 1, 1, ?, 0, 0, 0)`, [
        text,
      ]);
      await s.run(
        `INSERT INTO quarantine_history SELECT ?, address, 'valid', 'quarantine', 1, text, NULL, 'sync'
         FROM quarantine WHERE address <> 'late@icloud.com'`,
        [HOUR],
      );
      await s.run(
        `INSERT INTO quarantine_history VALUES (?, 'late@icloud.com', 'valid', 'quarantine', 1, ?, NULL, 'sync')`,
        [9 * HOUR, text],
      );
      const n = await applyRemediation(s, { contains: 'USER LOOKUP', fromMs: 0, toMs: 2 * HOUR }, 5 * HOUR);
      expect(n).toBe(N);
      const count = async (sql: string) => Number((await rows<{ n: bigint }>(s, sql))[0]!.n);
      expect(
        await count(
          `SELECT count(*) AS n FROM quarantine WHERE status = 'valid' AND error_count = 0 AND updated_ms = ${5 * HOUR}`,
        ),
      ).toBe(N);
      expect(await count(`SELECT count(*) AS n FROM quarantine WHERE status = 'quarantine'`)).toBe(1);
      expect(
        await count(
          `SELECT count(DISTINCT address) AS n FROM quarantine_history
           WHERE cause = 'remediation' AND new_status = 'valid' AND old_status = 'quarantine' AND t = ${5 * HOUR}`,
        ),
      ).toBe(N);
      expect(await count(`SELECT count(*) AS n FROM quarantine_history WHERE cause = 'remediation'`)).toBe(N);
    } finally {
      s.close();
    }
  });
});

describe('remediationSql', () => {
  it('inlines parameters with quotes doubled', () => {
    const sql = remediationSql({ contains: "it's", rule: 'R', domains: ['icloud.com'], fromMs: 1, toMs: 2 });
    expect(sql).toContain("lower('it''s')");
    expect(sql).toContain("IN ('icloud.com')");
    expect(sql).toContain('BETWEEN 1 AND 2');
    expect(sql).not.toContain('?');
  });
  it('selects the same addresses as the parameterised plan (property)', async () => {
    const s = await tinyStore();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.string({
            unit: fc.constantFrom('5', '.', '1', "'", '%', '_', 'u', 's', 'e', 'r', ' ', '<'),
            minLength: 1,
            maxLength: 4,
          }),
          fc.integer({ min: 0, max: 5 * HOUR }),
          fc.integer({ min: 0, max: 5 * HOUR }),
          async (text, t1, t2) => {
            const q = { contains: text, fromMs: Math.min(t1, t2), toMs: Math.max(t1, t2) };
            const plain = await rows<{ address: string }>(s, remediationSql(q));
            const plan = await planRemediation(s, q);
            expect(plain.map((r) => r.address)).toEqual(plan.addresses.map((r) => r.address));
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      s.close();
    }
  });
});
