/**
 * Bounces without recipient groups (a person's or an old MTA's prose): the recipients from
 * X-Failed-Recipients, else the addresses in the prose (not the mail's own senders and receivers),
 * else the original message's To/Cc; one `dsn` result each, qualified from the prose about it. None
 * from a postmaster-type sender: its technical notice (`postmaster.ts`).
 */
import { findAddresses, isRobotAddress } from './addresses.ts';
import { findStatus, tidy } from './diagnostic.ts';
import { type Draft, diagnosticResult, EMPTY_BODY, type InMailSettings, unknownResult } from './draft.ts';
import type { MailView } from './mail-view.ts';
import { originalHeaders } from './origin.ts';
import { fromPostmaster, postmasterResult } from './postmaster.ts';
import { proseDiagnostics, proseRecipients, splitHumanPart, uniqueCi } from './text-bounce.ts';

/** The results of a prose bounce. */
export function proseResults(s: InMailSettings, source: string, view: MailView): Draft[] {
  // a report part without recipient groups says nothing a person wrote: leave it out of the prose
  let text = view.text;
  for (const p of view.parts)
    if (p.contentType === 'message/delivery-status' && p.content.trim()) text = text.replace(p.content, '');
  const { human, original } = splitHumanPart(text);
  const originals = originalHeaders(view, original);
  const exclude = new Set<string>();
  for (const h of [view.header, ...originals]) {
    for (const name of ['from', 'sender', 'reply-to', 'return-path']) {
      for (const v of h.get(name) ?? []) for (const a of findAddresses(v)) exclude.add(a.toLowerCase());
    }
  }
  for (const v of view.header.get('to') ?? []) for (const a of findAddresses(v)) exclude.add(a.toLowerCase());
  let recipients: string[] = [];
  for (const v of view.header.get('x-failed-recipients') ?? []) recipients.push(...findAddresses(v));
  recipients = uniqueCi(recipients);
  if (recipients.length === 0) recipients = proseRecipients(human, exclude);
  if (recipients.length === 0) {
    for (const h of originals) {
      const to = [...(h.get('to') ?? []), ...(h.get('cc') ?? [])].flatMap(findAddresses);
      recipients = uniqueCi(to.filter((a) => !isRobotAddress(a)));
      if (recipients.length > 0) break;
    }
  }
  // a postmaster's technical notice names no recipient: Ignored (seed 000 line 44)
  if (recipients.length === 0 && fromPostmaster(view))
    return [postmasterResult(s, source, view, tidy(human, 200))];
  if (recipients.length === 0)
    return [
      unknownResult(source, `bounce without an identifiable recipient: ${tidy(human, 200) || EMPTY_BODY}`),
    ];
  return proseDiagnostics(human, recipients.slice(0, s.maxRecipients)).map((f) =>
    diagnosticResult(
      s,
      source,
      f.recipient,
      'dsn',
      f.text,
      findStatus(f.text),
      f.text === human ? null : human,
    ),
  );
}
