import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { LOG_STATUS_NAMES, Reason } from '../types.ts';
import { DeliveryLog } from './delivery-log.ts';
import { LogEvent } from './lifecycle.ts';

const event = fc.record({
  id: fc.nat(19),
  kind: fc.constantFrom(...Object.values(LogEvent)),
  t: fc.nat(1_000_000),
  q: fc.option(
    fc.record({
      type: fc.constantFrom('hard' as const, 'soft' as const, 'ignored' as const, 'undefined' as const),
      reason: fc.nat(30),
    }),
  ),
  text: fc.option(fc.constantFrom('550 5.1.1 unknown', '452 4.2.2 full', 'x')),
});

describe('DeliveryLog accessors', () => {
  test.prop([fc.array(event, { maxLength: 80 }), fc.array(fc.nat(19), { maxLength: 4 }), fc.boolean()])(
    'the allocation-free accessors read what row() reads',
    (events, excluded, enhanced) => {
      const log = new DeliveryLog(enhanced ? 'enhanced' : 'legacy', 4);
      for (let i = 0; i < 20; i++) log.add(1 + (i % 3), 100 + i);
      for (const id of new Set(excluded)) log.exclude(id, Reason.Quarantined);
      for (const e of events) log.apply(e.id, e.kind, e.t, e.q, e.text);
      for (let id = 0; id < log.size; id++) {
        const r = log.row(id);
        expect([
          log.deliveryId(id),
          log.recipientId(id),
          LOG_STATUS_NAMES[log.status(id)],
          log.type(id),
          log.reason(id),
          log.excluded(id),
          log.text(id),
          log.attempts(id),
          log.firstAttemptMs(id),
          log.lastAttemptMs(id),
          log.deliveredMs(id),
        ]).toEqual([
          r.deliveryId,
          r.recipientId,
          LOG_STATUS_NAMES[r.status],
          r.type,
          r.reason,
          r.excluded,
          r.text,
          r.attempts,
          r.firstAttemptMs,
          r.lastAttemptMs,
          r.deliveredMs,
        ]);
      }
    },
  );
});
