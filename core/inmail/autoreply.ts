/** Auto-replies (RFC 3834, out-of-office): one `autoreply` result for the address that answered. */
import { firstAddress } from './addresses.ts';
import { tidy } from './diagnostic.ts';
import type { Draft, InMailSettings } from './draft.ts';
import { field } from './header-block.ts';
import type { MailView } from './mail-view.ts';

/** The result of an auto-reply. */
export function autoReplyResults(s: InMailSettings, source: string, view: MailView): Draft[] {
  const from = firstAddress(field(view.header, 'from')) ?? '';
  return [
    {
      source,
      recipient: from,
      kind: 'autoreply',
      status: null,
      code: null,
      text: tidy(view.subject || 'auto-reply', s.maxText),
      qualification: { ...s.autoReply },
    },
  ];
}
