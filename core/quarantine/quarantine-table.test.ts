import { describe, expect, it } from 'vitest';
import { parseDataText } from '../../node/index.ts';
import { AddressStatus, type AddressStatusCode, DAY, HOUR, type Qualification, Reason } from '../types.ts';
import { type QuarantineEvent, QuarantineTable } from './quarantine-table.ts';
import { quarantineSettingsSchema } from './settings.ts';

const mailboxFull: Qualification = {
  type: 'soft',
  reason: Reason.MailboxFull,
  impact: 'count',
  disposition: 'transient',
  rule: 'mailbox_full',
  bounceClass: 22,
};
const userUnknown: Qualification = {
  type: 'hard',
  reason: Reason.UserUnknown,
  impact: 'quarantine',
  disposition: 'permanent',
  rule: 'user_unknown',
  bounceClass: 10,
};
const refused: Qualification = { ...mailboxFull, reason: Reason.Refused, impact: 'none', rule: 'spam_block' };

function table() {
  const events: QuarantineEvent[] = [];
  const q = new QuarantineTable({}, (e) => events.push(e));
  return { q, events };
}

describe('QuarantineTable', () => {
  it('quarantines a mailbox-full address erroring hourly on the 5th significant error (day 5)', () => {
    const { q, events } = table();
    const id = q.idOf('full@example.com');
    let quarantinedAt = -1;
    let errors = 0;
    for (let t = 0; t < 5 * DAY; t += HOUR) {
      const o = q.onError(id, mailboxFull, '552 5.2.2 mailbox full', t);
      errors++;
      if (o.status === AddressStatus.Quarantine && quarantinedAt < 0) quarantinedAt = t;
      if (errors === 5) expect(o.status).toBe(AddressStatus.WithErrors); // the 5th error is not the 5th counted
    }
    expect(quarantinedAt).toBe(4 * DAY); // counted at 0, 24h, 48h, 72h, 96h: the 5th on day 5
    expect(q.errorCount(id)).toBe(5);
    expect(events.map((e) => [e.t, e.oldStatus, e.newStatus, e.cause])).toEqual([
      [0, AddressStatus.Valid, AddressStatus.WithErrors, 'sync'],
      [4 * DAY, AddressStatus.WithErrors, AddressStatus.Quarantine, 'sync'],
    ]);
    expect(events[1]!.reason).toBe(Reason.MailboxFull);
    expect(events[1]!.text).toBe('552 5.2.2 mailbox full');
    expect(events[1]!.errorCount).toBe(5);
  });

  it('releases a mailbox-full quarantine 30 days after its quarantine day only when cleanup runs', () => {
    const withCleanup = new QuarantineTable();
    const without = new QuarantineTable();
    const a = withCleanup.idOf('x@y');
    const b = without.idOf('x@y');
    for (let t = 0; t <= 4 * DAY; t += HOUR) {
      withCleanup.onError(a, mailboxFull, 'full', t);
      without.onError(b, mailboxFull, 'full', t);
    }
    expect(withCleanup.status(a)).toBe(AddressStatus.Quarantine);
    // daily cleanup at midnight: day 34 (4 + 30) is the first that lifts it
    for (let d = 5; d <= 33; d++) expect(withCleanup.cleanup(d * DAY)).toBe(0);
    expect(withCleanup.status(a)).toBe(AddressStatus.Quarantine);
    expect(withCleanup.cleanup(34 * DAY)).toBe(1);
    expect(withCleanup.status(a)).toBe(AddressStatus.Valid);
    expect(withCleanup.errorCount(a)).toBe(0);
    expect(without.status(b)).toBe(AddressStatus.Quarantine); // never lifted without cleanup
  });

  it('never lifts a hard quarantine or a denylisting by cleanup', () => {
    const { q } = table();
    const a = q.idOf('a@x');
    const b = q.idOf('b@x');
    q.onError(a, userUnknown, '550 5.1.1 unknown', 0);
    q.onComplaint(b, 'abuse', 0);
    expect(q.status(a)).toBe(AddressStatus.Quarantine);
    expect(q.cleanup(400 * DAY)).toBe(0);
    expect(q.status(a)).toBe(AddressStatus.Quarantine);
    expect(q.status(b)).toBe(AddressStatus.Denylisted);
  });

  it('a hard error on a mailbox-full quarantine makes it permanent', () => {
    const q = new QuarantineTable({ threshold: 1 });
    const a = q.idOf('a@x');
    q.onError(a, mailboxFull, 'full', 0);
    q.onError(a, userUnknown, 'unknown', HOUR, 'async');
    expect(q.cleanup(60 * DAY)).toBe(0);
    expect(q.row(a)!.reason).toBe(Reason.UserUnknown);
  });

  it('resets the counter when the last counted error is more than 10 days old', () => {
    const q = new QuarantineTable();
    const a = q.idOf('a@x');
    for (let d = 0; d < 4; d++) q.onError(a, mailboxFull, 'full', d * DAY);
    expect(q.errorCount(a)).toBe(4);
    q.onError(a, mailboxFull, 'full', 3 * DAY + 10 * DAY); // exactly 10 days: no reset, counts
    expect(q.status(a)).toBe(AddressStatus.Quarantine);
    const b = q.idOf('b@x');
    for (let d = 0; d < 4; d++) q.onError(b, mailboxFull, 'full', d * DAY);
    q.onError(b, mailboxFull, 'full', 3 * DAY + 10 * DAY + 1); // more than 10 days: back to 1
    expect(q.errorCount(b)).toBe(1);
    expect(q.status(b)).toBe(AddressStatus.WithErrors);
  });

  it('quarantines at once on a hard error and denylists on a complaint', () => {
    const { q, events } = table();
    const a = q.idOf('a@x');
    const o = q.onError(a, userUnknown, '550 5.1.1', 5);
    expect(o.status).toBe(AddressStatus.Quarantine);
    expect(o.changed).toBe(true);
    expect(q.onComplaint(a, 'abuse', 10)).toBe(AddressStatus.Denylisted);
    expect(events.map((e) => e.cause)).toEqual(['sync', 'complaint']);
    expect(events[1]!.reason).toBe(Reason.Denylisted);
  });

  it('leaves the counter alone for none and ok impacts', () => {
    const q = new QuarantineTable();
    const a = q.idOf('a@x');
    const o = q.onError(a, refused, '554 spam', 0);
    expect(o.counted).toBe(false);
    expect(q.status(a)).toBe(AddressStatus.Valid);
    expect(q.onError(a, { ...refused, impact: 'ok' }, 'ok', 1).errorCount).toBe(0);
    expect(q.row(a)).toBeNull();
  });

  it('returns With errors to Valid on success, and cleanup does it after 10 days', () => {
    const { q } = table();
    const a = q.idOf('a@x');
    const b = q.idOf('b@x');
    q.onError(a, mailboxFull, 'full', 0);
    q.onError(b, mailboxFull, 'full', 0);
    expect(q.onSuccess(a, HOUR)).toBe(AddressStatus.Valid);
    expect(q.errorCount(a)).toBe(0);
    expect(q.cleanup(10 * DAY)).toBe(0);
    expect(q.status(b)).toBe(AddressStatus.WithErrors);
    expect(q.cleanup(10 * DAY + 1)).toBe(1);
    expect(q.status(b)).toBe(AddressStatus.Valid);
  });

  it('keeps allowlisted addresses allowlisted and reports reason 25', () => {
    const { q, events } = table();
    const a = q.idOf('vip@x');
    q.setInitial(a, AddressStatus.Allowlisted);
    const o = q.onError(a, userUnknown, '550 5.1.1', 10);
    expect(o.reason).toBe(Reason.ErrorIgnored);
    expect(o.status).toBe(AddressStatus.Allowlisted);
    expect(q.onComplaint(a, 'abuse', 11)).toBe(AddressStatus.Allowlisted);
    expect(q.onError(a, { ...mailboxFull, impact: 'denylist' }, 'abuse', 12).reason).toBe(
      Reason.ErrorIgnored,
    );
    expect(events.map((e) => e.cause)).toEqual(['initial']);
  });

  it('imports an initial counter, kept below the threshold unless quarantined', () => {
    const q = new QuarantineTable();
    const a = q.idOf('a@x');
    q.onError(a, userUnknown, 'x', 0);
    q.setInitial(a, AddressStatus.WithErrors, 0, 9);
    expect(q.errorCount(a)).toBe(4);
    q.onError(a, mailboxFull, 'full', DAY);
    expect(q.status(a)).toBe(AddressStatus.Quarantine);
    q.setInitial(a, AddressStatus.Valid, 0, 3);
    expect(q.errorCount(a)).toBe(0);
    expect(() => q.setInitial(a, AddressStatus.Valid, 0, -1)).toThrow(/errorCount/);
  });

  it('is case-sensitive per address', () => {
    const q = new QuarantineTable();
    expect(q.idOf('A@x')).not.toBe(q.idOf('a@x'));
    q.onError(q.idOf('A@x'), userUnknown, 't', 0);
    expect(q.status(q.idOf('a@x'))).toBe(AddressStatus.Valid);
    expect(q.findId('nobody@x')).toBe(-1);
  });

  it('restores any status for remediation with the event the SPEC §9 query needs', () => {
    const { q, events } = table();
    const a = q.idOf('me@icloud.com');
    q.onError(
      a,
      { ...userUnknown, rule: 'Momen_Code10_InvalidRecipient' },
      '550 5.1.1 user lookup success',
      7 * HOUR,
    );
    expect(q.restore(a, DAY)).toBe(true);
    expect(q.restore(a, DAY)).toBe(false);
    expect(events[1]).toMatchObject({
      address: 'me@icloud.com',
      oldStatus: AddressStatus.Quarantine,
      newStatus: AddressStatus.Valid,
      cause: 'remediation',
      rule: 'Momen_Code10_InvalidRecipient',
    });
  });

  it('loads a stored row as it is, without an event, and refuses a row it could not hold', () => {
    const { q, events } = table();
    const row = {
      address: 'me@icloud.com',
      status: AddressStatus.Quarantine,
      errorCount: 1,
      reason: Reason.UserUnknown,
      text: '550 5.1.1 user lookup success',
      firstErrorMs: 7 * HOUR,
      lastErrorMs: 7 * HOUR,
      updatedMs: 7 * HOUR,
    };
    const id = q.load(row);
    expect(events).toEqual([]);
    expect(q.row(id)).toEqual({ id, ...row, rule: null, lastCountedErrorMs: null });
    expect(q.restore(id, DAY)).toBe(true);
    expect(q.row(id)).toMatchObject({
      status: AddressStatus.Valid,
      errorCount: 0,
      updatedMs: DAY,
      text: row.text,
    });
    expect(() => q.load({ ...row, status: 7 as AddressStatusCode })).toThrow(
      /load\(me@icloud\.com\): unknown status 7/,
    );
    expect(() => q.load({ ...row, errorCount: -1 })).toThrow(/errorCount/);
    expect(() => q.load({ ...row, reason: 255 })).toThrow(/reason/);
  });

  it('grows past its initial capacity and exports rows in id order', () => {
    const q = new QuarantineTable({}, null, 16);
    for (let i = 0; i < 1000; i++) q.onError(q.idOf(`u${i}@x`), userUnknown, `t${i % 3}`, i);
    const rows = [...q.rows()];
    expect(rows.length).toBe(1000);
    expect(rows[999]).toMatchObject({
      address: 'u999@x',
      status: AddressStatus.Quarantine,
      text: 't0',
      firstErrorMs: 999,
    });
  });

  it('reads settings from a data file with a precise error', () => {
    expect(parseDataText('threshold: 3\n', 'q.yaml', quarantineSettingsSchema)).toEqual({ threshold: 3 });
    expect(() => parseDataText('threshold: 0\n', 'q.yaml', quarantineSettingsSchema)).toThrow(
      /q\.yaml:1:\d+: threshold/,
    );
    expect(() => new QuarantineTable({ threshold: 0 })).toThrow(/threshold/);
  });
});

describe('isAllowedTransition', () => {
  it('matches the table and refuses everything else', async () => {
    const { ALLOWED_TRANSITIONS, isAllowedTransition } = await import('./transitions.ts');
    const causes = ['sync', 'async', 'complaint', 'cleanup', 'remediation'] as const;
    for (let f = 0; f < 5; f++)
      for (let t = 0; t < 5; t++)
        for (const c of causes) {
          const listed = ALLOWED_TRANSITIONS.some(([a, b, cs]) => a === f && b === t && cs.includes(c));
          expect(isAllowedTransition(f, t, c)).toBe(listed);
        }
    expect(isAllowedTransition(AddressStatus.Denylisted, AddressStatus.Valid, 'cleanup')).toBe(false);
    expect(isAllowedTransition(9, 0, 'sync')).toBe(false);
    expect(isAllowedTransition(3, 4, 'initial')).toBe(true);
  });
});
