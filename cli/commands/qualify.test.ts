import { describe, expect, it } from 'vitest';
import { REASON_NAMES } from '../../core/types.ts';
import { createQualifier } from '../../node/index.ts';
import { qualifyLine } from './qualify.ts';

describe('mxlab qualify lines', () => {
  const q = createQualifier({ mode: 'legacy' });
  const one = (line: string, n = 1) => JSON.parse(qualifyLine(q, line, { phase: 'auto' }, n).outs![0]!);
  it('reads plain and JSONL lines, per line, with the reason named', () => {
    expect(one('550 5.1.1 user unknown', 7)).toEqual({
      line: 7,
      reply: '550 5.1.1 user unknown',
      code: 550,
      enhanced: '5.1.1',
      type: 'hard',
      reason: 1,
      reasonName: 'User unknown',
      impact: 'quarantine',
      disposition: 'permanent',
      rule: 'seed_user_unknown',
      bounceClass: 10,
    });
    const json = one('{"reply":"554 5.7.1 spam","phase":"connect"}');
    expect([json.reason, json.reasonName, json.disposition]).toEqual([20, 'Refused', 'transient']);
  });
  it('treats uncoded text as a bounce diagnostic and reports unreadable JSON', () => {
    expect(one("DNS query failed for 'x.y'").reason).toBe(2);
    expect(qualifyLine(q, '{"reply": 3}', { phase: 'auto' }).error).toMatch(/reply/);
    expect(qualifyLine(q, '{"reply":"550 x","phase":"moon"}', { phase: 'auto' }).error).toMatch(/phase/);
  });
  it('names every reason value SPEC §3 names', () => {
    for (const text of ['550 5.1.1 user unknown', '552 5.2.2 mailbox full', '554 5.7.1 spam', 'garbage']) {
      const o = one(text);
      expect(o.reasonName).toBe(REASON_NAMES[o.reason]);
    }
  });
  it('reads a Postfix log line: the said: reply, at the command it answered, and the recipient', () => {
    const line =
      'postfix/smtp[123]: ABC: to=<a@b.com>, relay=mx.b.com[1.2.3.4]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.1.1, status=bounced (host mx.b.com[1.2.3.4] said: 550 5.1.1 <a@b.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))';
    expect(one(line, 3)).toMatchObject({
      line: 3,
      mta: 'postfix',
      recipient: 'a@b.com',
      reply: '550 5.1.1 <a@b.com>: Recipient address rejected: User unknown',
      code: 550,
      phase: 'rcpt',
      reason: 1,
    });
  });
  it('skips log lines that are no delivery failure instead of qualifying them', () => {
    for (const line of [
      'Dec  6 10:00:00 mail postfix/smtp[1]: ABC: to=<a@b.com>, relay=mx[1.2.3.4]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok)',
      'Dec  6 10:00:00 mail postfix/qmgr[2]: ABC: removed',
      'Dec  6 10:00:00 mail postfix/smtpd[3]: connect from unknown[198.51.100.7]',
      '2026-12-06 10:00:00 1rAbCd-000Xyz-Ef => a@b.com R=dnslookup T=remote_smtp H=mx [1.2.3.4]',
      'Dec  6 10:00:00 mail sendmail[4]: ABC: to=<a@b.com>, delay=00:00:01, mailer=esmtp, dsn=2.0.0, stat=Sent (ok)',
    ]) {
      const r = qualifyLine(q, line, { phase: 'auto' });
      expect(r.outs, line).toBeUndefined();
      expect(r.skipped, line).toBeTruthy();
    }
    expect(
      qualifyLine(q, 'Dec  6 10:00:00 mail dovecot: imap-login: Login', { phase: 'auto' }).unknown,
    ).toBeTruthy();
  });
});
