import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { HOUR, LogStatus, MINUTE, Reason } from '../types.ts';
import { DeliveryLog, type LogQualification } from './delivery-log.ts';
import { computeKpis } from './kpis.ts';
import { LogEvent, Phase, REPORTING_MODES } from './lifecycle.ts';
import { SuccessSeries } from './success-series.ts';

const soft = { type: 'soft' as const, reason: Reason.MailboxFull };
const hard = { type: 'hard' as const, reason: Reason.UserUnknown };

/** The SPEC §8 story: five messages relayed at 0, each meeting one event of the table. */
function story() {
  const events: [number, number, number, LogQualification | null][] = [
    [0, LogEvent.Delivered, 10 * MINUTE, null],
    [1, LogEvent.HardBounce, 10 * MINUTE, hard],
    [2, LogEvent.SoftBounce, 10 * MINUTE, soft],
    [3, LogEvent.SoftBounce, 10 * MINUTE, soft],
    [4, LogEvent.Delivered, 10 * MINUTE, null],
    [2, LogEvent.Delivered, 70 * MINUTE, null],
    [4, LogEvent.AsyncBounce, 150 * MINUTE, { type: 'hard', reason: Reason.Denylisted }],
    [3, LogEvent.Expired, 210 * MINUTE, null],
  ];
  return events;
}

describe('success curves in the three modes (SPEC §8)', () => {
  it('starts Enhanced at 100% and EFS at 0%, then follows the table hour by hour', () => {
    const series = new SuccessSeries({ bucketMs: HOUR });
    const log = new DeliveryLog('enhanced');
    for (let i = 0; i < 5; i++) {
      series.add(log.add(1, 100 + i));
      log.apply(i, LogEvent.Relayed, 0);
      series.apply(i, LogEvent.Relayed, 0);
    }
    expect(series.successPct('enhanced')).toBe(100);
    expect(series.successPct('efs')).toBe(0);
    expect(series.successPct('legacy')).toBe(0);
    for (const [id, kind, t, q] of story()) {
      log.apply(id, kind, t, q, q ? `text ${q.reason}` : null);
      series.apply(id, kind, t);
    }
    const r = series.finish(4 * HOUR);
    expect(r.t).toEqual([HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR]);
    expect(r.processed).toEqual([5, 5, 5, 5]);
    expect(r.modes.enhanced.successPct).toEqual([80, 80, 60, 40]);
    expect(r.modes.efs.successPct).toEqual([40, 60, 40, 40]);
    expect(r.modes.legacy.successPct).toEqual([40, 60, 40, 40]);
    expect(r.modes.efs.waiting).toEqual([2, 1, 1, 0]);
    // the log agrees with the series at the end, in every mode
    for (const mode of REPORTING_MODES) expect(computeKpis(log, mode).successPct).toBe(40);
    const k = computeKpis(log);
    expect(k).toMatchObject({
      processed: 5,
      sent: 2,
      failed: 3,
      hardBounces: 1,
      softBounces: 1,
      complaints: 1,
    });
    expect(log.row(3)).toMatchObject({
      status: LogStatus.Failed,
      type: 'soft',
      reason: 5,
      attempts: 1,
      text: 'text 5',
    });
    expect(log.row(2)).toMatchObject({
      status: LogStatus.Sent,
      reason: null,
      attempts: 2,
      firstAttemptMs: 10 * MINUTE,
      deliveredMs: 70 * MINUTE,
    });
  });

  it('shows the statuses of each mode for a message being retried', () => {
    const log = new DeliveryLog('efs');
    const id = log.add(1, 1);
    log.apply(id, LogEvent.Relayed, 0);
    log.apply(id, LogEvent.SoftBounce, 1, soft, '452 full');
    expect(log.status(id)).toBe(LogStatus.TakenIntoAccount);
    expect(log.status(id, 'enhanced')).toBe(LogStatus.Sent);
    expect(log.status(id, 'legacy')).toBe(LogStatus.Pending);
    expect([log.recipientId(id), log.deliveryId(id), log.text(id)]).toEqual([1, 1, '452 full']);
    expect(log.reason(id)).toBe(5);
  });

  it('records exclusions with their reason and type, outside processed', () => {
    const log = new DeliveryLog();
    log.exclude(log.add(1, 1), Reason.Quarantined);
    log.exclude(log.add(1, 2), Reason.ControlAddress);
    log.add(1, 3);
    expect(log.row(0)).toMatchObject({
      excluded: true,
      status: LogStatus.Ignored,
      type: 'hard',
      reason: 9,
      attempts: 0,
    });
    expect(log.row(1).type).toBe('ignored');
    const k = computeKpis(log);
    expect(k).toMatchObject({ processed: 1, ready: 1, excluded: 2, excludedByReason: { 9: 1, 127: 1 } });
    expect(() => log.exclude(5, 9)).toThrow(/unknown message id 5/);
    expect(log.apply(0, LogEvent.Delivered, 1)).toBe(false);
  });

  it('grows past its initial capacity', () => {
    const log = new DeliveryLog('legacy', 16);
    for (let i = 0; i < 1000; i++) log.apply(log.add(1, i), LogEvent.HardBounce, i, hard, 'x');
    expect(log.size).toBe(1000);
    expect([...log.rows()].filter((r) => r.status === LogStatus.Failed).length).toBe(1000);
    expect(log.row(999).lastAttemptMs).toBe(999);
  });
});

const eventArb = fc.record({
  id: fc.nat({ max: 9 }),
  kind: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7),
  dt: fc.integer({ min: 0, max: 2 * HOUR }),
  reason: fc.constantFrom(1, 2, 3, 5, 8, 20),
});

describe('delivery log properties', () => {
  test.prop([
    fc.array(eventArb, { maxLength: 100 }),
    fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
  ])(
    'log and series agree; Enhanced success >= EFS = legacy; failed is final; counts add up',
    (events, excluded) => {
      const log = new DeliveryLog('legacy');
      const series = new SuccessSeries({ bucketMs: 30 * MINUTE });
      for (let i = 0; i < 10; i++) {
        const id = log.add(1, i);
        if (excluded[i]) log.exclude(id, Reason.Double);
        series.add(id, excluded[i]);
      }
      let t = 0;
      for (const e of events) {
        t += e.dt;
        const before = log.phase(e.id);
        const attemptsBefore = log.attempts(e.id);
        log.apply(e.id, e.kind, t, { type: 'soft', reason: e.reason }, 'x');
        series.apply(e.id, e.kind, t);
        const after = log.phase(e.id);
        if (
          before === Phase.Failed ||
          before === Phase.Excluded ||
          before === Phase.Ignored ||
          before === Phase.Cancelled
        )
          expect(after).toBe(before);
        expect(log.attempts(e.id)).toBeGreaterThanOrEqual(attemptsBefore);
        const enh = series.successPct('enhanced');
        const efs = series.successPct('efs');
        expect(series.successPct('legacy')).toBe(efs);
        if (enh !== null && efs !== null) expect(enh).toBeGreaterThanOrEqual(efs);
      }
      const r = series.finish(t + HOUR);
      for (const mode of REPORTING_MODES) {
        const k = computeKpis(log, mode);
        expect(k.successPct).toBe(series.successPct(mode));
        expect(k.ready + k.takenIntoAccount + k.sent + k.failed + k.ignored + k.cancelled + k.excluded).toBe(
          10,
        );
        expect(k.processed).toBe(10 - k.excluded - k.cancelled);
        const m = r.modes[mode];
        for (let i = 0; i < r.t.length; i++) {
          expect(m.sent[i]! + m.failed[i]! + m.waiting[i]!).toBeLessThanOrEqual(r.processed[i]!);
          const p = m.successPct[i];
          if (p !== null) expect(p >= 0 && p <= 100).toBe(true);
        }
      }
    },
  );
});

describe('settings schemas', () => {
  it('validate overrides from data files', async () => {
    const { parseDataText } = await import('../../node/data-file.ts');
    const { kpiSettingsSchema } = await import('./kpis.ts');
    const { successSeriesSettingsSchema } = await import('./success-series.ts');
    expect(parseDataText('softReasons: [2, 5]\n', 'k.yaml', kpiSettingsSchema)).toEqual({
      softReasons: [2, 5],
    });
    expect(() => parseDataText('hardReason: [1]\n', 'k.yaml', kpiSettingsSchema)).toThrow(
      /k\.yaml:1:1: hardReason: unknown field/,
    );
    expect(() => parseDataText('bucketMs: 0\n', 's.yaml', successSeriesSettingsSchema)).toThrow(
      /s\.yaml:1:\d+: bucketMs/,
    );
    const log = new DeliveryLog();
    log.apply(log.add(1, 1), LogEvent.HardBounce, 0, { type: 'soft', reason: Reason.MailboxFull }, null);
    expect(computeKpis(log, 'legacy', { hardReasons: [5] }).hardBounces).toBe(1);
  });
});
