import { type AddressObject, simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { createInMail } from '../../core/inmail/index.ts';
import { createQualifier } from '../../node/index.ts';
import type { FollowUp } from '../isp/follow-up.ts';
import { fastArf, fastDsn } from '../transport/fast-report.ts';
import { buildArf, buildAutoReply, buildDsn, buildFollowUpMail } from './build.ts';

const base: FollowUp = {
  kind: 'dsn',
  atMs: 3_600_000,
  isp: 'generic',
  reportingMta: 'mx1.shop-example',
  from: 'news@sender.example',
  to: 'jane.doe.3kf@shop.example',
  messageId: '<m42@sender.example>',
  sentAtMs: 60_000,
  status: '5.1.1',
  diagnostic: '550 5.1.1 <jane.doe.3kf@shop.example>: User unknown',
  remoteMta: 'mx1.shop-example',
  sourceIp: '192.0.2.10',
  subject: 'Out of office',
  text: 'Away until Monday.',
};

describe('async mail', () => {
  it('builds a DSN that mailparser reads as multipart/report; report-type=delivery-status', async () => {
    const raw = await buildDsn(base, { seq: 3 });
    const p = await simpleParser(raw);
    const ct = p.headers.get('content-type') as { value: string; params: Record<string, string> };
    expect(ct.value).toBe('multipart/report');
    expect(ct.params['report-type']).toBe('delivery-status');
    const s = raw.toString();
    for (const field of [
      'Final-Recipient: rfc822; jane.doe.3kf@shop.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1',
      'Remote-MTA: dns; mx1.shop-example',
      'Message-ID: <m42@sender.example>',
    ])
      expect(s).toContain(field);
    expect(p.text).toContain('Status: 5.1.1');
    expect((p.to as AddressObject).text).toBe('news@sender.example');
    expect(await buildDsn(base, { seq: 3 })).toEqual(raw);
  });

  it('builds an ARF report that mailparser reads as report-type=feedback-report', async () => {
    const raw = await buildArf({ ...base, kind: 'arf', status: '', diagnostic: '' });
    const p = await simpleParser(raw);
    const ct = p.headers.get('content-type') as { value: string; params: Record<string, string> };
    expect(ct.value).toBe('multipart/report');
    expect(ct.params['report-type']).toBe('feedback-report');
    const s = raw.toString();
    expect(s).toContain('Content-Type: message/feedback-report');
    expect(s).toContain('Feedback-Type: abuse');
    expect(s).toContain('Original-Rcpt-To: <jane.doe.3kf@shop.example>');
    expect(s).toContain('Content-Type: message/rfc822');
  });

  it('builds an RFC 3834 auto-reply', async () => {
    const p = await simpleParser(await buildAutoReply({ ...base, kind: 'autoReply' }));
    expect(p.headers.get('auto-submitted')).toBe('auto-replied');
    expect(p.inReplyTo).toBe('<m42@sender.example>');
    expect(p.from?.text).toBe('jane.doe.3kf@shop.example');
    expect(p.text).toContain('Away until Monday.');
  });

  it('returns the original Message-ID (and the VERP return path) that inMail reads back, for every kind', async () => {
    const inmail = createInMail({ qualifier: createQualifier({ mode: 'legacy' }) });
    const f = { ...base, from: 'news+1.7.42@sender.example', messageId: '<1.7.42@mxlab.invalid>' };
    const mails = [
      await buildFollowUpMail(f),
      await buildFollowUpMail({ ...f, kind: 'arf' }),
      await buildFollowUpMail({ ...f, kind: 'autoReply' }),
      fastDsn(f, 0)!,
      fastArf({ ...f, kind: 'arf' }, 0)!,
    ];
    for (const data of mails) {
      const [r] = await inmail.process({ source: 's', data });
      expect(r!.origin.messageId).toBe('<1.7.42@mxlab.invalid>');
      expect(r!.origin.returnPath).toBe('news+1.7.42@sender.example');
    }
  });
});
