import { readFileSync } from 'node:fs';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { messageCounts } from '../metrics/messages.ts';
import { emptyStore, insert, tinyStore } from '../test-helpers/tiny-store.ts';
import { buildSummary, type Summary, SummarySchema, stringifySummary } from './summary.ts';

describe('buildSummary', () => {
  it('has the hand-computed headline figures', async () => {
    const s = await tinyStore();
    try {
      const sum = await buildSummary(s);
      expect(sum.schemaVersion).toBe(1);
      expect(sum.scenario).toEqual({ name: 'tiny', hash: 'abc123' });
      expect(sum.seed).toBe('42');
      expect(sum.completedAt).toEqual({ ms: 4 * 3_600_000, text: 'day1 04:00' });
      const m = sum.messages;
      expect([m.targeted, m.excluded.total, m.delivered, m.failed.total, m.pending]).toEqual([
        10, 2, 3, 4, 1,
      ]);
      expect(m.excluded.total + m.delivered + m.failed.total + m.pending).toBe(m.targeted);
      expect(sum.quarantine).toMatchObject({ addresses: 3, falseQuarantines: 2, missedQuarantines: 2 });
      expect(sum.throughput.peakPerHour).toBe(7);
      expect(sum.timeToDeliver.p50).toBe(180_000);
      expect(sum.kpi).toEqual({ processed: 8, legacy: 0.375, enhanced: 0.5, efs: 0.5 });
      expect(sum.qualification.toQualify).toBe(3);
      // the backscatter DSN for a1 matched no message: counted, and the legacy KPI did not drop for it
      expect(sum.inmail).toEqual({
        results: 2,
        unmatched: 1,
        matchedBy: { messageId: 1, header: 0, verp: 0, latest: 0 },
      });
    } finally {
      s.close();
    }
  });

  it('is byte-identical for two stores with the same content', async () => {
    const a = await tinyStore();
    const b = await tinyStore();
    try {
      const ja = stringifySummary(await buildSummary(a));
      const jb = stringifySummary(await buildSummary(b));
      expect(ja).toBe(jb);
      expect(ja).toContain('"rate": 0.333333');
      expect(ja.endsWith('}\n')).toBe(true);
    } finally {
      a.close();
      b.close();
    }
  });

  it('completes at a later delivery whose recipients were all excluded (issue #19, defect 9)', async () => {
    const s = await tinyStore();
    try {
      const H = 3_600_000;
      // a second delivery on day 2 finds every recipient quarantined: no attempt, only excluded rows
      await insert(s, 'deliveries', [[2, 'd2', 30 * H, 5 * 24 * H, 'legacy', 'legacy']]);
      await insert(s, 'delivery_log', [
        [2, 6, 'q6@ex.com', 'ex.com', 'failed', 'hard', 9, true, null, 0, null, null, null],
      ]);
      expect((await buildSummary(s)).completedAt).toEqual({ ms: 30 * H, text: 'day2 06:00' });
    } finally {
      s.close();
    }
  });

  it('serialises in schema key order whatever the object order', async () => {
    const s = await tinyStore();
    try {
      const sum = await buildSummary(s);
      const shuffled = Object.fromEntries(Object.entries(sum).reverse()) as Summary;
      expect(stringifySummary(shuffled)).toBe(stringifySummary(sum));
      expect(Object.keys(JSON.parse(stringifySummary(shuffled)))[0]).toBe('schemaVersion');
    } finally {
      s.close();
    }
  });

  it('ships a JSON Schema file that matches the zod schema', () => {
    const file = JSON.parse(readFileSync(new URL('./summary.schema.json', import.meta.url), 'utf8'));
    expect(file).toEqual(z.toJSONSchema(SummarySchema));
  });
});

const logRow = fc.record({
  status: fc.constantFrom('pending', 'sent', 'failed', 'ignored', 'cancelled', 'takenIntoAccount'),
  excluded: fc.boolean(),
  type: fc.constantFrom(null, 'hard', 'soft', 'ignored', 'undefined'),
  reason: fc.constantFrom(null, 0, 1, 2, 5, 7, 9, 20),
  /** accepted by the remote MX (delivered_ms set) */
  accepted: fc.boolean(),
});

describe('message classes (property)', () => {
  it('every delivery-log row lands in exactly one of excluded/delivered/failed/cancelled/pending', async () => {
    const s = await emptyStore();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(logRow, { maxLength: 25 }), async (rowsIn) => {
          await s.run('DELETE FROM delivery_log');
          await insert(
            s,
            'delivery_log',
            rowsIn.map((r, i) => [
              1,
              i,
              `r${i}@d.com`,
              'd.com',
              r.status,
              r.type,
              r.reason,
              r.excluded,
              null,
              1,
              null,
              null,
              r.accepted ? 1000 + i : null,
            ]),
          );
          const m = await messageCounts(s);
          // delivered is acceptance (issue #19 item 6): an Enhanced "Sent" never accepted is pending
          expect(m.delivered).toBe(
            rowsIn.filter((r) => !r.excluded && r.status === 'sent' && r.accepted).length,
          );
          expect(m.targeted).toBe(rowsIn.length);
          expect(m.excluded.total + m.delivered + m.failed.total + (m.cancelled ?? 0) + m.pending).toBe(
            rowsIn.length,
          );
          // a stopped delivery's message is Delivery cancelled, not pending (issue #24)
          const cancelled = rowsIn.filter((r) => !r.excluded && r.status === 'cancelled').length;
          expect(m.cancelled ?? 0).toBe(cancelled);
          if (cancelled === 0) expect(m).not.toHaveProperty('cancelled');
          expect(m.excluded.total).toBe(rowsIn.filter((r) => r.excluded).length);
          expect(m.excluded.byReason.reduce((a, r) => a + r.count, 0)).toBe(m.excluded.total);
          expect(Object.values(m.failed.byType).reduce((a, n) => a + n, 0)).toBe(m.failed.total);
        }),
        { numRuns: 30 },
      );
    } finally {
      s.close();
    }
  });
});
