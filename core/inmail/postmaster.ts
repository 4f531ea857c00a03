/**
 * Technical notices (seed 000 line 44: an error is Ignored when it is "une erreur technique, par
 * exemple si l'expéditeur est de type postmaster"): a bounce-like mail from a postmaster-type sender
 * that names no failed recipient is one `dsn` result with no recipient, qualified with the
 * `postmaster` qualification (Ignored, no effect on any address) instead of `unknown`.
 */
import { firstAddress } from './addresses.ts';
import { tidy } from './diagnostic.ts';
import type { Draft, InMailSettings } from './draft.ts';
import { field } from './header-block.ts';
import type { MailView } from './mail-view.ts';

/** Local parts of a postmaster-type sender (RFC 5321 §4.5.1 postmaster, RFC 2142 hostmaster). */
const POSTMASTER_LOCAL = /^(?:postmaster|hostmaster)$/i;

/** True when the mail's From (else Sender) address is a postmaster-type mailbox. */
export function fromPostmaster(view: MailView): boolean {
  const from = firstAddress(field(view.header, 'from')) ?? firstAddress(field(view.header, 'sender')) ?? '';
  const at = from.lastIndexOf('@');
  return at > 0 && POSTMASTER_LOCAL.test(from.slice(0, at));
}

/** The one result of a postmaster's technical notice: no recipient, Ignored. */
export function postmasterResult(s: InMailSettings, source: string, view: MailView, human: string): Draft {
  return {
    source,
    recipient: '',
    kind: 'dsn',
    status: null,
    code: null,
    text: tidy(`technical notice from postmaster: ${view.subject || human || 'no subject'}`, s.maxText),
    qualification: { ...s.postmaster },
  };
}
