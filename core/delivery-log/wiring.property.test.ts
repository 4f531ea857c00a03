/**
 * The four modules wired the way the MTA loop will wire them (prepare -> attempt -> qualify ->
 * decideRetry -> quarantine -> log), over random populations and reply scripts, without an engine:
 * each message is played to its end in time order. Checks the cross-module invariants.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { retryPolicy } from '../../node/index.ts';
import { DeliveryPreparation, SEND } from '../preparation/index.ts';
import { QuarantineTable } from '../quarantine/index.ts';
import { decideRetry, GIVE_UP_PERMANENT, giveUpLogStatus, isRetry } from '../retry/index.ts';
import { AddressStatus, LogStatus, type Qualification, Reason } from '../types.ts';
import { DeliveryLog } from './delivery-log.ts';
import { computeKpis } from './kpis.ts';
import { LogEvent } from './lifecycle.ts';
import { SuccessSeries } from './success-series.ts';

const Q: Record<string, Qualification | null> = {
  ok: null,
  unknown: {
    type: 'hard',
    reason: Reason.UserUnknown,
    impact: 'quarantine',
    disposition: 'permanent',
    rule: 'r1',
    bounceClass: 10,
  },
  full: {
    type: 'soft',
    reason: Reason.MailboxFull,
    impact: 'count',
    disposition: 'transient',
    rule: 'r5',
    bounceClass: 22,
  },
  deferral: {
    type: 'soft',
    reason: Reason.Unreachable,
    impact: 'none',
    disposition: 'transient',
    rule: 'r3',
    bounceClass: 24,
  },
  block: {
    type: 'soft',
    reason: Reason.Refused,
    impact: 'none',
    disposition: 'permanent',
    rule: 'r20',
    bounceClass: 51,
  },
};
const replyArb = fc.constantFrom('ok', 'unknown', 'full', 'full', 'deferral', 'deferral', 'block');

describe('core wiring', () => {
  test.prop([
    fc.array(
      fc.record({
        addr: fc.constantFrom('a@x', 'b@x', 'c@x', 'd@x', 'e@yahoo.com', ''),
        script: fc.array(replyArb, { minLength: 1, maxLength: 12 }),
        control: fc.boolean(),
      }),
      { maxLength: 12 },
    ),
    fc.constantFrom('legacy', 'enhanced', 'kumomta', 'mailgun', 'haraka'),
  ])(
    'hard errors end at once, nothing outlives validity, quarantine and log agree',
    (targets, policyName) => {
      const policy = retryPolicy(policyName);
      const quarantine = new QuarantineTable();
      const log = new DeliveryLog(policyName === 'enhanced' ? 'enhanced' : 'legacy');
      const series = new SuccessSeries();
      const prep = new DeliveryPreparation(quarantine);
      const rng = { next: () => 0.25 };
      const validity = policy.effectiveValidity(5 * 86_400_000);
      for (let i = 0; i < targets.length; i++) {
        const tg = targets[i]!;
        const id = log.add(1, i);
        const decision = prep.decide({ recipientId: i, address: tg.addr, inControlGroup: tg.control });
        series.add(id, decision !== SEND && decision !== Reason.ErrorIgnored);
        if (decision !== SEND && decision !== Reason.ErrorIgnored) {
          log.exclude(id, decision);
          continue;
        }
        const addressId = prep.lastAddressId;
        const start = i * 1000;
        log.apply(id, LogEvent.Relayed, start);
        series.apply(id, LogEvent.Relayed, start);
        let now = start;
        for (let attempt = 1; ; attempt++) {
          expect(now).toBeLessThanOrEqual(start + validity);
          const q = Q[tg.script[(attempt - 1) % tg.script.length]!]!;
          if (q === null) {
            log.apply(id, LogEvent.Delivered, now);
            series.apply(id, LogEvent.Delivered, now);
            quarantine.onSuccess(addressId, now);
            break;
          }
          const outcome = quarantine.onError(addressId, q, q.rule, now);
          const d = decideRetry(
            policy,
            q,
            attempt,
            start,
            now,
            tg.addr.split('@')[1] ?? '',
            rng,
            5 * 86_400_000,
          );
          if (q.disposition === 'permanent') expect(d).toBe(GIVE_UP_PERMANENT);
          if (isRetry(d)) {
            log.apply(id, LogEvent.SoftBounce, now, { type: q.type, reason: outcome.reason }, q.rule);
            series.apply(id, LogEvent.SoftBounce, now);
            expect(d).toBeGreaterThan(now);
            now = d;
            continue;
          }
          const kind = d === GIVE_UP_PERMANENT ? LogEvent.HardBounce : LogEvent.Expired;
          if (kind === LogEvent.Expired)
            log.apply(id, LogEvent.SoftBounce, now, { type: q.type, reason: outcome.reason }, q.rule);
          log.apply(id, kind, now, { type: q.type, reason: outcome.reason }, q.rule);
          series.apply(id, kind, now);
          expect(log.status(id)).toBe(giveUpLogStatus(d, q));
          break;
        }
        const row = log.row(id);
        expect(row.attempts).toBeGreaterThanOrEqual(1);
        if (row.status === LogStatus.Failed && row.reason === Reason.UserUnknown) {
          // a hard bounce quarantines the address (it was sendable, so not allowlisted)
          expect(quarantine.status(addressId)).toBe(AddressStatus.Quarantine);
        }
      }
      const k = computeKpis(log);
      expect(k.sent + k.failed + k.ready + k.excluded + k.ignored + k.takenIntoAccount + k.cancelled).toBe(
        targets.length,
      );
      expect(k.hardBounces).toBeLessThanOrEqual(k.failed);
      expect(series.successPct(log.mode)).toBe(k.successPct);
      for (const r of quarantine.rows()) expect(r.errorCount).toBeGreaterThanOrEqual(0);
    },
  );
});
