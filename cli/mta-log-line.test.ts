import { describe, expect, it } from 'vitest';
import { phaseOfCommand, readLogLine } from './mta-log-line.ts';

describe('MTA log lines', () => {
  it('reads a Postfix line with or without the syslog prefix (BSD or RFC 5424 time stamp)', () => {
    const body =
      'postfix/smtp[9]: 3F2A1C: to=<a@b.example>, relay=mx.b.example[192.0.2.1]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.7.1, status=bounced (host mx.b.example[192.0.2.1] said: 554 5.7.1 Message rejected as spam (in reply to end of DATA command))';
    for (const prefix of ['', 'Dec  6 10:00:00 mail ', '2026-12-06T10:00:00.123456+00:00 mail ']) {
      expect(readLogLine(prefix + body)).toEqual({
        kind: 'reply',
        mta: 'postfix',
        recipients: ['a@b.example'],
        text: '554 5.7.1 Message rejected as spam',
        remote: true,
        phase: 'data',
        dsn: '5.7.1',
      });
    }
    // a multi-instance Postfix (postfix-out/...); the queue manager's notice of a message given up
    // (its recipients' own deferred lines carry the replies)
    expect(
      readLogLine(
        'postfix-out/qmgr[9]: 3F2A1C: from=<news@shop.example>, status=expired, returned to sender',
      ),
    ).toMatchObject({ kind: 'skip', mta: 'postfix' });
  });

  it('reads Exim lines: new and old host placement, multi-line replies, no time stamp, syslog', () => {
    expect(
      readLogLine(
        '2026-12-06 10:00:00 1rAbCd-000Xyz-Ef ** a@b.example <list@shop.example> F=<news@shop.example> R=dnslookup T=remote_smtp H=mx.b.example [192.0.2.1]:25 X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=yes DN="CN=mx.b.example": SMTP error from remote mail server after pipelined RCPT TO:<a@b.example>: 550-5.1.1 The email account does not exist.\\n550 5.1.1 Please try again',
      ),
    ).toMatchObject({
      mta: 'exim',
      recipients: ['a@b.example'],
      text: '550-5.1.1 The email account does not exist. 550 5.1.1 Please try again',
      phase: 'rcpt',
    });
    expect(
      readLogLine(
        '== a@b.example R=r1 T=t1 defer (-45): SMTP error from remote mail server after MAIL FROM:<s@shop.example> SIZE=1234: host 127.0.0.1 [127.0.0.1]: 450 DELAY',
      ),
    ).toMatchObject({ text: '450 DELAY', phase: 'mail', remote: true });
    expect(
      readLogLine(
        'Dec  6 10:00:00 mx exim[42]: 2026-12-06 10:00:00 1rAbCd-000Xyz-Ef ** a@b.example R=dnslookup T=remote_smtp H=mx.b.example [192.0.2.1]: SMTP error from remote mail server after initial connection: 554 5.7.1 blocked',
      ),
    ).toMatchObject({ text: '554 5.7.1 blocked', phase: 'connect' });
    expect(
      readLogLine('2026-12-06 10:00:00 1rAbCd-000Xyz-Ef ** a@b.example: Unrouteable address'),
    ).toMatchObject({
      recipients: ['a@b.example'],
      text: 'Unrouteable address',
      remote: false,
      dsn: '5.0.0',
    });
  });

  it('reads a Sendmail line listing several recipients', () => {
    expect(
      readLogLine(
        'Apr  2 00:15:25 mta sendmail[1]: u31FFPtp032300: to=<a@b.example>,<c@b.example>, ctladdr=<root@x> (0/0), delay=00:00:15, xdelay=00:00:15, mailer=esmtp, pri=34527, relay=[192.0.2.1] [192.0.2.1], dsn=4.3.5, stat=Deferred: 451 4.3.5 Server configuration problem',
      ),
    ).toEqual({
      kind: 'reply',
      mta: 'sendmail',
      recipients: ['a@b.example', 'c@b.example'],
      text: '451 4.3.5 Server configuration problem',
      remote: true,
      phase: null,
      dsn: '4.3.5',
    });
  });

  it('leaves bare replies and bounce texts to the caller', () => {
    for (const text of [
      '550 5.1.1 user unknown',
      "DNS query failed for 'x.y'",
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred',
      'sendmail: 550 5.1.1 <a@b.example>... User unknown',
    ])
      expect(readLogLine(text), text).toBeNull();
  });

  it('maps the command a reply answered to a phase', () => {
    expect(
      ['RCPT TO', 'MAIL FROM', 'end of DATA', 'DATA', 'EHLO', 'initial connection'].map(phaseOfCommand),
    ).toEqual(['rcpt', 'mail', 'data', 'data', 'ehlo', 'connect']);
  });
});
