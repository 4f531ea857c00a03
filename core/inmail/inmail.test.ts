import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { createQualifier } from '../../node/index.ts';
import { createInMail } from './inmail.ts';
import type { InMailResult } from './types.ts';

/** The labelled corpus in ../shared beside the repository (MXLAB_CORPUS overrides). */
const CORPUS_ROOT =
  process.env.MXLAB_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

const qualifier = createQualifier({ mode: 'legacy' });
const inmail = createInMail({ qualifier });

function compose(opts: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(opts).compile().build();
}

const run = async (data: Buffer, source = 'test.eml'): Promise<InMailResult[]> =>
  inmail.process({ source, data });

const ORIGINAL =
  'From: sender@shop.example\r\nTo: someone@isp.example\r\nSubject: Offer\r\nMessage-ID: <m1@shop.example>\r\n\r\nHello\r\n';

function dsn(groups: string): Promise<Buffer> {
  return compose({
    from: 'MAILER-DAEMON@mx.isp.example',
    to: 'bounces@shop.example',
    subject: 'Delivery Status Notification (Failure)',
    headers: { 'Content-Type': 'multipart/report; report-type=delivery-status' },
    text: 'This is the mail system. Your message could not be delivered.',
    attachments: [
      {
        contentType: 'message/delivery-status',
        content: `Reporting-MTA: dns; mx.isp.example\r\n\r\n${groups}`,
        contentDisposition: 'inline',
      },
      { contentType: 'message/rfc822', content: ORIGINAL },
    ],
  });
}

describe('inMail: DSN (RFC 3464)', () => {
  it('gives one result per failed recipient with status, code and folded diagnostic', async () => {
    const data = await dsn(
      'Final-Recipient: rfc822; gone@isp.example\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <gone@isp.example>:\r\n    user unknown\r\n\r\n' +
        'Final-Recipient: rfc822; full@isp.example\r\nAction: failed\r\nStatus: 5.2.2\r\nDiagnostic-Code: smtp; 552 5.2.2 mailbox full\r\n',
    );
    const res = await run(data);
    expect(res.map((r) => r.recipient)).toEqual(['gone@isp.example', 'full@isp.example']);
    expect(res[0]).toMatchObject({ kind: 'dsn', status: '5.1.1', code: 550 });
    expect(res[0]!.text).toContain('user unknown');
    expect(res[0]!.qualification).toMatchObject({ type: 'hard', reason: 1, impact: 'quarantine' });
    expect(res[1]!.qualification).toMatchObject({ reason: 5, impact: 'count' });
  });

  it('splits groups written without blank lines between them', async () => {
    const data = await dsn(
      'Final-Recipient: rfc822; a@isp.example\r\nAction: failed\r\nStatus: 5.1.1\r\nFinal-Recipient: rfc822; b@isp.example\r\nAction: failed\r\nStatus: 5.2.2\r\n',
    );
    const res = await run(data);
    expect(res.map((r) => [r.recipient, r.status])).toEqual([
      ['a@isp.example', '5.1.1'],
      ['b@isp.example', '5.2.2'],
    ]);
  });

  it('a delivered DSN is kind delivered with impact ok; a delayed one is transient and never quarantines', async () => {
    const res = await run(
      await dsn(
        'Final-Recipient: rfc822; ok@isp.example\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\nFinal-Recipient: rfc822; slow@isp.example\r\nAction: delayed\r\nStatus: 4.4.7\r\nDiagnostic-Code: smtp; 450 4.1.1 user unknown, retrying\r\n',
      ),
    );
    expect(res[0]).toMatchObject({ kind: 'delivered', recipient: 'ok@isp.example' });
    expect(res[0]!.qualification.impact).toBe('ok');
    expect(res[1]!.qualification.disposition).toBe('transient');
    expect(res[1]!.qualification.impact).not.toBe('quarantine');
    expect(res[1]!.qualification.type).not.toBe('hard');
  });
});

describe('inMail: bounces in prose', () => {
  it('reads an Exim bounce (X-Failed-Recipients, diagnostic lines)', async () => {
    const data = await compose({
      from: 'Mail Delivery System <Mailer-Daemon@mx.isp.example>',
      to: 'sender@shop.example',
      subject: 'Mail delivery failed: returning message to sender',
      headers: { 'X-Failed-Recipients': 'nobody@isp.example' },
      text:
        'This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n' +
        '  nobody@isp.example\n    SMTP error from remote mail server after RCPT TO:<nobody@isp.example>:\n    host mx.isp.example [192.0.2.1]: 550 5.1.1 No such user here\n\n' +
        '------ This is a copy of the message, including all the headers. ------\n\n' +
        ORIGINAL.replace(/\r/g, ''),
    });
    const res = await run(data);
    expect(res).toHaveLength(1);
    expect(res[0]).toMatchObject({
      kind: 'dsn',
      recipient: 'nobody@isp.example',
      code: 550,
      status: '5.1.1',
    });
    expect(res[0]!.qualification).toMatchObject({ reason: 1, impact: 'quarantine' });
  });

  it('reads a qmail bounce and does not take the original sender for a recipient', async () => {
    const data = await compose({
      from: 'MAILER-DAEMON@mx.isp.example',
      to: 'sender@shop.example',
      subject: 'failure notice',
      text:
        "Hi. This is the qmail-send program at mx.isp.example.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n" +
        '<box@isp.example>:\nRemote host said: 552 Mailbox quota exceeded\n\n--- Below this line is a copy of the message.\n\n' +
        ORIGINAL.replace(/\r/g, ''),
    });
    const res = await run(data);
    expect(res.map((r) => r.recipient)).toEqual(['box@isp.example']);
    expect(res[0]!.qualification.reason).toBe(5);
  });
});

describe('inMail: complaints, auto-replies, garbage', () => {
  it('reads an ARF complaint: denylist, Soft / Refused', async () => {
    const data = await compose({
      from: 'feedback@fbl.isp.example',
      to: 'fbl@shop.example',
      subject: 'Abuse report',
      headers: { 'Content-Type': 'multipart/report; report-type=feedback-report' },
      text: 'This is an email abuse report.',
      attachments: [
        {
          contentType: 'message/feedback-report',
          content:
            'Feedback-Type: abuse\r\nUser-Agent: FBL/1.0\r\nVersion: 1\r\nOriginal-Mail-From: <sender@shop.example>\r\nOriginal-Rcpt-To: <angry@isp.example>\r\n',
        },
        { contentType: 'message/rfc822', content: ORIGINAL },
      ],
    });
    const res = await run(data);
    expect(res).toHaveLength(1);
    expect(res[0]).toMatchObject({ kind: 'arf', recipient: 'angry@isp.example' });
    expect(res[0]!.qualification).toMatchObject({ type: 'soft', reason: 20, impact: 'denylist' });
  });

  it('reads an auto-reply: ignored, no impact', async () => {
    const data = await compose({
      from: 'Pat <pat@isp.example>',
      to: 'sender@shop.example',
      subject: 'Out of Office: Offer',
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'I am away until Monday.',
    });
    const res = await run(data);
    expect(res).toEqual([expect.objectContaining({ kind: 'autoreply', recipient: 'pat@isp.example' })]);
    expect(res[0]!.qualification).toMatchObject({ type: 'ignored', impact: 'none' });
  });

  it('says what happened with an ordinary mail, an empty one and a truncated one', async () => {
    const plain = await compose({
      from: 'a@b.example',
      to: 'c@d.example',
      subject: 'Lunch?',
      text: 'See you at noon.',
    });
    const [r1] = await run(plain);
    expect(r1).toMatchObject({ kind: 'unknown', recipient: '' });
    expect(r1!.text).toMatch(/not a bounce/);
    expect(r1!.qualification.reason).toBe(0);
    const [r2] = await run(Buffer.alloc(0));
    expect(r2!.text).toMatch(/empty/);
    const cut = (
      await dsn('Final-Recipient: rfc822; x@isp.example\r\nAction: failed\r\nStatus: 5.1.1\r\n')
    ).subarray(0, 120);
    const r3 = await run(cut);
    expect(r3.length).toBeGreaterThan(0);
    expect(r3[0]!.kind).toBe('unknown');
  });

  test.prop([fc.uint8Array({ maxLength: 3000 })], { numRuns: 150 })(
    'never throws on arbitrary bytes and always says what happened',
    async (bytes) => {
      const res = await run(Buffer.from(bytes), 'fuzz');
      expect(res.length).toBeGreaterThan(0);
      for (const r of res) {
        expect(r.source).toBe('fuzz');
        expect(['dsn', 'arf', 'autoreply', 'delivered', 'unknown']).toContain(r.kind);
        expect(typeof r.text).toBe('string');
        expect(r.text.length).toBeGreaterThan(0);
        expect(typeof r.qualification.reason).toBe('number');
      }
    },
  );

  test.prop([fc.string({ maxLength: 400 }), fc.string({ maxLength: 400 })], { numRuns: 100 })(
    'never throws on mail-shaped text with arbitrary header and body',
    async (head, body) => {
      const res = await run(
        Buffer.from(`From: MAILER-DAEMON@x.example\nSubject: Undelivered ${head}\n\n${body}`),
        's',
      );
      expect(res.length).toBeGreaterThan(0);
      for (const r of res) expect(r.text.length).toBeGreaterThan(0);
    },
  );
});

describe('inMail on corpus files', () => {
  const dir = `${CORPUS_ROOT}/bounces/maildir/bsd`;
  it('the corpus is present', () => {
    expect(existsSync(dir), `corpus missing at ${dir}`).toBe(true);
  });
  const cases: [string, string, number, string][] = [
    ['lhost-qmail-01.eml', 'kijitora@example.ne.jp', 1, 'dsn'],
    ['rhost-aol-03.eml', 'mikeneko@example.jp', 1, 'dsn'],
    ['lhost-gmail-01.eml', 'userunknown@example.jp', 1, 'dsn'],
    ['arf-14.eml', 'kijitora@y.example.com', 20, 'arf'],
  ];
  for (const [file, recipient, reason, kind] of cases) {
    it(`${file}: ${recipient} → ${kind}, reason ${reason}`, async () => {
      const res = await run(readFileSync(`${dir}/${file}`), file);
      const r = res.find((x) => x.recipient.toLowerCase() === recipient);
      expect(r, JSON.stringify(res.map((x) => x.recipient))).toBeDefined();
      expect(r!.kind).toBe(kind);
      expect(r!.qualification.reason).toBe(reason);
    });
  }
  it('rfc3834-01.eml is an auto-reply', async () => {
    const res = await run(readFileSync(`${dir}/rfc3834-01.eml`));
    expect(res[0]).toMatchObject({ kind: 'autoreply', recipient: 'kijitora@example.net' });
  });
});

describe('the original message a mail is about (origin)', () => {
  const dir = `${CORPUS_ROOT}/bounces/maildir/bsd`;
  // real mails of several MTAs, each naming its original in another place: a text/rfc822-headers or
  // message/rfc822 part, a base64 text part quoting it, a quoted-printable soft break inside the
  // Message-ID, a message/partial part, an auto-reply's In-Reply-To, an ARF report's attached message
  const cases: [string, string][] = [
    ['lhost-qmail-01.eml', '<000000000.9999999999999.JavaMail.postmaster@mailhub>'],
    ['lhost-gmail-01.eml', '<D992C2C3-F175-4C4D-97E2-53A90E4E5BF5@gmail.com>'],
    ['rhost-aol-03.eml', '<B4275A84-198A-4453-A5F3-0DB49E352EAD@aol.example.jp>'],
    ['lhost-mfilter-04.eml', '<20190429222222.FFFFFFFF002@neko.nyaan.example.co.jp>'],
    [
      'rhost-microsoft-03.eml',
      '<2222222222220000-00000000-2222-2222-2222-000000002222-000000@email.amazonses.com>',
    ],
    ['lhost-bigfoot-02.eml', '<2015042923344500.neko.nyaan@smtp.r3.example.com>'],
    ['lhost-verizon-02.eml', '<20140429222222.22222.qmail@sabineko.example.com>'],
    ['arf-14.eml', '<2222222222222222-00000000-eeee-eeee-ffff-222222222222-111111@email.amazonses.com>'],
  ];
  for (const [file, messageId] of cases) {
    it(`${file}: ${messageId}`, async () => {
      const res = await run(readFileSync(`${dir}/${file}`), file);
      expect(res.length).toBeGreaterThan(0);
      for (const r of res) expect(r.origin.messageId).toBe(messageId);
    });
  }

  it('a mail that returns nothing of the original names no Message-ID (not its own)', async () => {
    const res = await run(readFileSync(`${dir}/lhost-postfix-01.eml`));
    expect(res[0]!.origin.messageId).toBe('');
  });

  it('reads the per-message header from the returned header, and the VERP return path', async () => {
    const data = await compose({
      from: 'MAILER-DAEMON@mx.isp.example',
      to: 'bounces+3.4.5@shop.example',
      subject: 'Undelivered Mail Returned to Sender',
      headers: { 'Content-Type': 'multipart/report; report-type=delivery-status' },
      text: 'Your message could not be delivered.',
      attachments: [
        {
          contentType: 'message/delivery-status',
          content:
            'Reporting-MTA: dns; mx.isp.example\r\n\r\nFinal-Recipient: rfc822; someone@isp.example\r\nAction: failed\r\nStatus: 5.1.1\r\n',
          contentDisposition: 'inline',
        },
        {
          contentType: 'text/rfc822-headers',
          content:
            'From: news@shop.example\r\nTo: someone@isp.example\r\nMessage-ID: <0100018c@email.amazonses.com>\r\nX-Mxlab-Message: 3.4.5\r\n\r\n',
          contentDisposition: 'inline',
        },
      ],
    });
    const [r] = await run(data);
    expect(r!.origin).toEqual({
      messageId: '<0100018c@email.amazonses.com>',
      header: '3.4.5',
      returnPath: 'bounces+3.4.5@shop.example',
    });
    const other = createInMail({ qualifier, messageHeader: 'X-Campaign-Id' });
    const [r2] = await other.process({ source: 's', data });
    expect(r2!.origin.header).toBe('');
  });

  it('an auto-reply names the message it answers by In-Reply-To, else the last References entry', async () => {
    const reply = (headers: Record<string, string>) =>
      compose({
        from: 'someone@isp.example',
        to: 'news@shop.example',
        subject: 'Out of office',
        headers: { 'Auto-Submitted': 'auto-replied', ...headers },
        text: 'Away.',
      });
    const [a] = await run(await reply({ 'In-Reply-To': '<1.2.3@mxlab.invalid>' }));
    expect(a!.kind).toBe('autoreply');
    expect(a!.origin.messageId).toBe('<1.2.3@mxlab.invalid>');
    const [b] = await run(await reply({ References: '<old@x.example> <1.2.4@mxlab.invalid>' }));
    expect(b!.origin.messageId).toBe('<1.2.4@mxlab.invalid>');
  });
});
