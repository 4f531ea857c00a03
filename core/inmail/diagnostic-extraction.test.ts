import { fc, test } from '@fast-check/vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { createQualifier } from '../../node/index.ts';
import { recipientAddress } from './addresses.ts';
import { chooseStatus, statusComment } from './dsn.ts';
import { decodeRawHeader } from './fast-mime.ts';
import { parseDsnGroups } from './header-block.ts';
import { createInMail } from './inmail.ts';

const inmail = createInMail({ qualifier: createQualifier({ mode: 'legacy' }) });

async function dsn(deliveryStatus: string): Promise<Buffer> {
  return new MailComposer({
    from: 'MAILER-DAEMON@mx.isp.example',
    to: 'bounces@shop.example',
    subject: 'Undelivered Mail Returned to Sender',
    headers: { 'Content-Type': 'multipart/report; report-type=delivery-status' },
    text: 'This is the mail system. Your message could not be delivered.',
    attachments: [
      { contentType: 'message/delivery-status', content: deliveryStatus, contentDisposition: 'inline' },
    ],
  })
    .compile()
    .build();
}

const one = async (deliveryStatus: string) => {
  const r = await inmail.process({ source: 't.eml', data: await dsn(deliveryStatus) });
  expect(r).toHaveLength(1);
  return r[0]!;
};

describe('DSN groups', () => {
  it('keeps Diagnostic-Code and Status written before Final-Recipient in the same block', () => {
    const g = parseDsnGroups(
      'Reporting-MTA: dns; a\nDiagnostic-Code: smtp; 550 5.2.2 mailbox full\nStatus: 5.2.2\nFinal-Recipient: rfc822; a@b.example\nAction: failed\n',
    );
    expect(g).toHaveLength(1);
    expect(g[0]!.get('diagnostic-code')).toEqual(['smtp; 550 5.2.2 mailbox full']);
  });
  it('still splits groups written without blank lines, Action before or after the recipient', () => {
    const after = parseDsnGroups(
      'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.1.1\nFinal-Recipient: rfc822; c@d.example\nAction: failed\n',
    );
    expect(after.map((x) => x.get('final-recipient'))).toEqual([
      ['rfc822; a@b.example'],
      ['rfc822; c@d.example'],
    ]);
    const before = parseDsnGroups(
      'Action: failed\nFinal-Recipient: rfc822; a@b.example\nOriginal-Recipient: rfc822; a@b.example\nStatus: 5.1.1\n',
    );
    expect(before).toHaveLength(1);
    expect(before[0]!.get('action')).toEqual(['failed']);
  });
});

describe('status and diagnostic', () => {
  it('prefers the Diagnostic-Code status unless it is generic', () => {
    expect(chooseStatus('5.1.1', '5.2.2')).toBe('5.2.2');
    expect(chooseStatus('5.1.1', '5.0.0')).toBe('5.1.1');
    expect(chooseStatus(null, '5.0.0')).toBe('5.0.0');
    expect(chooseStatus('4.4.7', null)).toBe('4.4.7');
  });
  test.prop([fc.constantFrom('4', '5'), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 30 })])(
    'a specific diagnostic status always wins over the Status field',
    (cls, subject, detail) => {
      const d = `${cls}.${subject}.${detail}`;
      expect(chooseStatus('5.1.1', d)).toBe(d);
    },
  );
  it('reads the comment of a Status field', () => {
    expect(statusComment('4.0.0 (cat.example: host name lookup failure)')).toBe(
      'cat.example: host name lookup failure',
    );
    expect(statusComment('5.0.0')).toBe('');
  });
  it('uses the Status comment as the diagnostic when there is no Diagnostic-Code', async () => {
    const r = await one(
      'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0 (host name lookup failure)\n',
    );
    expect(r.text).toBe('host name lookup failure');
    expect(r.qualification.reason).toBe(2);
  });
  it('takes the remote status of the Diagnostic-Code over a remapped Status field', async () => {
    const r = await one(
      'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 552 5.2.2 Over quota\n',
    );
    expect(r.status).toBe('5.2.2');
    expect(r.qualification.reason).toBe(5);
  });
  it('reads a local delivery program failure (x-unix) as a mailer error, whatever it printed', async () => {
    const r = await one(
      'Final-Recipient: rfc822; neko@mailhub\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: x-unix; procmail: No such user\n',
    );
    expect(r.recipient).toBe('neko@mailhub');
    expect(r.qualification.rule).toBe('bounce_local_mailer');
    expect(r.qualification.reason).toBe(3);
  });
  it('does not read Postfix "Recipient address rejected: <restriction>" as an unknown user', async () => {
    const r = await one(
      'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.7.25\nDiagnostic-Code: smtp; 550 5.7.25 <a@b.example>: Recipient address rejected: Reverse DNS validation failed\n',
    );
    expect(r.qualification.reason).toBe(20);
    const bare = await one(
      'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 <a@b.example>: Recipient address rejected.\n',
    );
    expect(bare.qualification.reason).toBe(1);
  });
});

describe('reading', () => {
  it('reads DSN recipients whose domain is a bare host name', () => {
    expect(recipientAddress('rfc822; kijitora@mailhub0')).toBe('kijitora@mailhub0');
    expect(recipientAddress('rfc822;<a@b.example>')).toBe('a@b.example');
    expect(recipientAddress('rfc822; nobody')).toBeNull();
  });
  it('decodes raw 8-bit UTF-8 header values', () => {
    const raw = Buffer.from('メールエラー通知', 'utf8').toString('latin1');
    expect(decodeRawHeader(raw)).toBe('メールエラー通知');
    expect(decodeRawHeader('plain')).toBe('plain');
  });
  it('finds the boundary of a multipart part written on an unfolded line', async () => {
    const mail = [
      'From: post_master@sms.example',
      'To: sender@shop.example',
      'Subject: Re: hello',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/alternative;',
      'boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain',
      '',
      'Error: Invalid user address',
      '550 - Requested action not taken: no such user here',
      '  RCPT TO: gone@sms.example',
      '--inner--',
      '--outer--',
      '',
    ].join('\r\n');
    const r = await inmail.process({ source: 'v.eml', data: Buffer.from(mail) });
    expect(r.map((x) => [x.kind, x.recipient, x.qualification.reason])).toEqual([
      ['dsn', 'gone@sms.example', 1],
    ]);
  });
});
