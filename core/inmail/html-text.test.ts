/**
 * A bounce with only an HTML body is read as text with its character references decoded (numeric
 * `&#39;` `&#x2019;` and the named ones bounce HTML uses), so the phrase rules see `wasn't`, not
 * `wasn&#39;t` (issue #20: prose bounces with no code).
 */
import { describe, expect, it } from 'vitest';
import { createQualifier } from '../../node/index.ts';
import { createInMail } from './index.ts';

const htmlBounce = (body: string) =>
  Buffer.from(
    [
      'From: postmaster@example.com',
      'To: sender@example.org',
      'Subject: Undeliverable: hello',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset="utf-8"',
      '',
      `<html><body><p>Delivery has failed to these recipients or groups:</p><p>${body}</p></body></html>`,
      '',
    ].join('\n'),
  );

describe('an HTML-only bounce', () => {
  const inmail = createInMail({ qualifier: createQualifier({ mode: 'legacy' }) });
  it.each(['&#39;', '&#x27;', '&apos;', '&rsquo;', '&#8217;'])(
    'reads %s as an apostrophe and qualifies the prose',
    async (ref) => {
      const [r] = await inmail.process({
        source: 'html.eml',
        data: htmlBounce(
          `<a href="mailto:rcpt@example.com">rcpt@example.com</a><br>The email address wasn${ref}t found at the destination domain.`,
        ),
      });
      expect(r?.recipient).toBe('rcpt@example.com');
      expect(r?.text).not.toContain('&');
      expect([r?.qualification.type, r?.qualification.reason]).toEqual(['hard', 1]);
    },
  );

  it('decodes each reference once (&amp;lt; is the text &lt;)', async () => {
    const [r] = await inmail.process({
      source: 'html.eml',
      data: htmlBounce(
        'rcpt@example.com: 550 &amp;lt;x&amp;gt; &quot;mailbox unavailable&quot; &bogus; &#0;',
      ),
    });
    expect(r?.text).toContain('550 &lt;x&gt; "mailbox unavailable" &bogus; &#0;');
  });
});
