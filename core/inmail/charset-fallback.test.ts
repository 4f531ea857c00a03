/**
 * A text part whose bytes are not in the charset it declares (Japanese carriers send raw EUC-JP or
 * Shift_JIS in a part labelled ISO-2022-JP; others send UTF-8 labelled Shift_JIS) is read in the
 * encoding that decodes it, so the phrase rules see words, not replacement characters (issue #20:
 * languages).
 */
import { describe, expect, it } from 'vitest';
import { createQualifier } from '../../node/index.ts';
import { decodeCharset } from './fast-mime.ts';
import { createInMail } from './index.ts';

// "しばらくしてから再送信してください" (please resend after a while) in three encodings
const TEXT = 'しばらくしてから再送信してください';
const EUC_JP = Buffer.from('a4b7a4d0a4e9a4afa4b7a4c6a4aba4e9bac6c1f7bfaea4b7a4c6a4afa4c0a4b5a4a4', 'hex');
const SHIFT_JIS = Buffer.from('82b582ce82e782ad82b582c482a982e78dc49197904d82b582c482ad82be82b382a2', 'hex');
const latin1 = (b: Buffer) => b.toString('latin1');

describe('a part in another encoding than the one it declares', () => {
  it('the byte strings above are the text in EUC-JP and Shift_JIS', () => {
    expect(new TextDecoder('euc-jp').decode(EUC_JP)).toBe(TEXT);
    expect(new TextDecoder('shift_jis').decode(SHIFT_JIS)).toBe(TEXT);
  });

  it.each([
    ['EUC-JP labelled ISO-2022-JP', EUC_JP, 'ISO-2022-JP'],
    ['Shift_JIS labelled ISO-2022-JP', SHIFT_JIS, 'iso-2022-jp'],
    ['UTF-8 labelled Shift_JIS', Buffer.from(TEXT, 'utf8'), 'Shift_JIS'],
  ])('%s decodes to the text', (_, bytes, charset) => {
    expect(decodeCharset(latin1(bytes), charset)).toBe(TEXT);
  });

  it.each(['windows-1252', 'Windows-1252', 'iso-8859-1', 'us-ascii'])(
    'a %s part reads bytes 0x80-0x9F as windows-1252 (Outlook: wasn=92t), not as C1 controls',
    (charset) => {
      expect(decodeCharset('wasn\x92t \x93found\x94 \x96 \x80 caf\xe9', charset)).toBe(
        'wasn\u2019t \u201cfound\u201d \u2013 \u20ac caf\u00e9',
      );
    },
  );

  it('a correctly labelled part is read as labelled', () => {
    expect(decodeCharset(latin1(EUC_JP), 'EUC-JP')).toBe(TEXT);
    expect(decodeCharset(latin1(Buffer.from('Grüße', 'latin1')), 'iso-8859-1')).toBe('Grüße');
  });

  it('a bounce whose Japanese part is mislabelled is qualified by its words', async () => {
    const mail = Buffer.concat([
      Buffer.from(
        [
          'From: MAILER-DAEMON@example.jp',
          'To: sender@example.com',
          'Subject: Mail Delivery Failure',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset="ISO-2022-JP"',
          'Content-Transfer-Encoding: 7bit',
          '',
          '',
        ].join('\n'),
        'latin1',
      ),
      EUC_JP,
      Buffer.from('\n\n<rcpt@example.jp>\n', 'latin1'),
    ]);
    const inmail = createInMail({ qualifier: createQualifier({ mode: 'legacy' }) });
    const [r] = await inmail.process({ source: 'mislabelled.eml', data: mail });
    expect(r?.text).toContain(TEXT);
    expect(r?.qualification.reason).toBe(3);
  });
});
