/**
 * Seed 000 line 44 (../shared/seeds/000_c6497a8802f963fa.txt): an error is Ignored when it is "une
 * erreur technique, par exemple si l'expéditeur est de type postmaster".
 */
import { describe, expect, it } from 'vitest';
import { createQualifier } from '../../node/index.ts';
import { createInMail } from './inmail.ts';
import { POSTMASTER_QUALIFICATION } from './outcomes.ts';

const inmail = createInMail({ qualifier: createQualifier({ mode: 'legacy' }) });

function mail(from: string, body: string): Buffer {
  return Buffer.from(
    `From: ${from}\r\nTo: bounces@news.example\r\nSubject: Delivery problem report\r\n` +
      `Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <n1@mx.example>\r\n\r\n${body}\r\n`,
  );
}

describe('postmaster-type senders', () => {
  it('a notice from postmaster naming no recipient is one Ignored result with no recipient', async () => {
    const r = await inmail.process({
      source: 'n.eml',
      data: mail('postmaster@mx.example', 'Unusual message rate from your server; please check it.'),
    });
    expect(r).toHaveLength(1);
    expect(r[0]!.recipient).toBe('');
    expect(r[0]!.kind).toBe('dsn');
    expect(r[0]!.qualification).toEqual(POSTMASTER_QUALIFICATION);
    expect(r[0]!.qualification.type).toBe('ignored');
    expect(r[0]!.qualification.impact).toBe('none');
  });

  it('the same notice from mailer-daemon stays unknown; a postmaster bounce naming a recipient is qualified as before', async () => {
    const daemon = await inmail.process({
      source: 'd.eml',
      data: mail('MAILER-DAEMON@mx.example', 'Unusual message rate from your server; please check it.'),
    });
    expect(daemon.map((x) => x.kind)).toEqual(['unknown']);
    const named = await inmail.process({
      source: 'b.eml',
      data: mail('postmaster@mx.example', '<jo@mx.example>: 550 5.1.1 user unknown'),
    });
    expect(named.map((x) => [x.recipient, x.qualification.type])).toEqual([['jo@mx.example', 'hard']]);
  });

  it('InMailOptions.postmaster replaces the qualification', async () => {
    const own = { ...POSTMASTER_QUALIFICATION, type: 'soft' as const, rule: 'mine' };
    const r = await createInMail({ qualifier: createQualifier({ mode: 'legacy' }), postmaster: own }).process(
      {
        source: 'n.eml',
        data: mail('"The Postmaster" <Postmaster@mx.example>', 'Your server is listed; see our policy.'),
      },
    );
    expect(r.map((x) => x.qualification)).toEqual([own]);
  });
});
