/**
 * Complaints (RFC 5965 ARF and providers' feedback-loop formats such as Hotmail JMRP): one `arf`
 * result per complaining recipient, read from the report's fields, the provider's header or the
 * original message's To/Cc.
 */
import { findAddresses, isRobotAddress } from './addresses.ts';
import { tidy } from './diagnostic.ts';
import type { Draft, InMailSettings } from './draft.ts';
import { field, parseFieldBlocks } from './header-block.ts';
import type { MailView } from './mail-view.ts';
import { originalHeaders } from './origin.ts';
import { uniqueCi } from './text-bounce.ts';

/** The results of a complaint. */
export function complaintResults(s: InMailSettings, source: string, view: MailView): Draft[] {
  const report = view.parts.find((p) => p.contentType === 'message/feedback-report');
  const blocks = parseFieldBlocks(report ? report.content : view.text);
  const fields = blocks.find((b) => b.has('feedback-type')) ?? new Map<string, string[]>();
  const found: string[] = [];
  for (const name of ['original-rcpt-to', 'removal-recipient']) {
    for (const v of fields.get(name) ?? []) found.push(...findAddresses(v));
  }
  for (const v of view.header.get('x-hmxmroriginalrecipient') ?? []) found.push(...findAddresses(v));
  if (found.length === 0) {
    for (const h of originalHeaders(view)) {
      for (const v of [...(h.get('to') ?? []), ...(h.get('cc') ?? [])]) found.push(...findAddresses(v));
      if (found.length > 0) break;
    }
  }
  const type = field(fields, 'feedback-type') ?? 'abuse';
  const text = tidy(`Feedback-Type: ${type}${view.subject ? ` (${view.subject})` : ''}`, s.maxText);
  const recipients = uniqueCi(found.filter((a) => !isRobotAddress(a)));
  if (recipients.length === 0) {
    return [
      {
        source,
        recipient: '',
        kind: 'arf',
        status: null,
        code: null,
        text: `${text}; no recipient named in the complaint`,
        qualification: { ...s.complaint },
      },
    ];
  }
  return recipients.slice(0, s.maxRecipients).map((recipient) => ({
    source,
    recipient,
    kind: 'arf' as const,
    status: null,
    code: null,
    text,
    qualification: { ...s.complaint },
  }));
}
