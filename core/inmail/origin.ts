/**
 * What a bounce, complaint or auto-reply says about the message it is about, so the MTA can find that
 * exact message (issue #19): the original Message-ID (RFC 3464 DSNs return the original header as
 * `text/rfc822-headers` or the message as `message/rfc822`, many MTAs quote it inline after "a copy of
 * the message"; RFC 5965 reports attach the original message; RFC 3834 auto-replies carry In-Reply-To
 * and References), the value of a per-message header the sender set (an X-header that survives a relay
 * rewriting the Message-ID, e.g. Amazon SES), and the address the mail was delivered to (its VERP
 * envelope). inMail only reads; which of these wins is the MTA's rule (core/mta/async-match.ts).
 */
import { findAddresses } from './addresses.ts';
import { isOriginalPart } from './classify-mail.ts';
import { type FieldBlock, field, parseHeaderBlock } from './header-block.ts';
import type { MailView } from './mail-view.ts';

/** The original message as the mail names it; '' for what it does not carry. */
export interface MailOrigin {
  /** Message-ID of the original message, with its angle brackets (`<id@host>`) */
  messageId: string;
  /** value of the per-message header (`InMailOptions.messageHeader`) in the returned header */
  header: string;
  /** the address this mail was delivered to (Delivered-To, X-Original-To, Envelope-To, else To): a VERP return path */
  returnPath: string;
}

/** The Message-ID part of a field value: the first `<...@...>`, or the bare token when it has no brackets. */
export function messageIdOf(value: string | undefined): string {
  if (!value) return '';
  const m = /<[^<>\s]+>/.exec(value);
  if (m) return m[0];
  const bare = value.trim().split(/\s+/)[0] ?? '';
  return bare.includes('@') ? `<${bare}>` : '';
}

const quoted = new Map<string, RegExp>();

/** A `Message-ID:` (or the per-message header) line quoted in the text, maybe indented or `>`-quoted. */
function quotedField(text: string, name: string): string {
  let re = quoted.get(name);
  if (!re) {
    re = new RegExp(`^[ \\t>]*${name.replace(/[^a-z0-9]/g, '\\$&')}[ \\t]*:[ \\t]*(.*)$`, 'im');
    quoted.set(name, re);
  }
  const m = re.exec(text);
  return m ? m[1]!.trim() : '';
}

/**
 * Reads the origin of a mail. `inline` is the copy of the original quoted in the text (from
 * `splitHumanPart`, asked only when the attached parts do not say), `header` the lower-case name of the per-message header ('' for none).
 */
export function readOrigin(view: MailView, inline: () => string, header: string): MailOrigin {
  let messageId = '';
  let value = '';
  const read = (b: FieldBlock) => {
    if (!messageId) messageId = messageIdOf(field(b, 'message-id'));
    if (!value && header) value = (field(b, header) ?? '').trim();
  };
  // message/partial (RFC 2046 §5.2.2) returns the original's header too (seen from Bigfoot's MTA)
  for (const p of view.parts)
    if (isOriginalPart(p) || p.contentType === 'message/partial') read(parseHeaderBlock(p.content));
  if (!messageId) {
    // RFC 3834 §3.1.4: an auto-reply names the message it answers (a bounce that does is believed too)
    messageId = messageIdOf(field(view.header, 'in-reply-to'));
    if (!messageId) {
      const refs = (view.header.get('references') ?? []).join(' ').match(/<[^<>\s]+>/g);
      if (refs) messageId = refs[refs.length - 1]!;
    }
  }
  // only a mail that names its original nowhere else has the text searched (the costly part)
  if (!messageId) {
    const copy = inline();
    if (copy.trim()) read(parseHeaderBlock(copy.replace(/^\s+/, '')));
    // a header quoted in a shape the blocks missed (indented, `>`-quoted, after prose): the mail's
    // own Message-ID is in its header, not its text, so any such line is the original's
    if (!messageId) messageId = messageIdOf(quotedField(view.text, 'message-id'));
    if (!value && header) value = quotedField(view.text, header);
  }
  let returnPath = '';
  for (const name of ['delivered-to', 'x-original-to', 'envelope-to', 'to']) {
    const a = findAddresses(field(view.header, name) ?? '')[0];
    if (a) {
      returnPath = a;
      break;
    }
  }
  return { messageId, header: value, returnPath };
}

/** Header blocks of the original message: attached parts first, then the inline copy in the text. */
export function originalHeaders(view: MailView, inline?: string): FieldBlock[] {
  const out: FieldBlock[] = [];
  for (const p of view.parts) if (isOriginalPart(p)) out.push(parseHeaderBlock(p.content));
  if (inline?.trim()) out.push(parseHeaderBlock(inline.replace(/^\s+/, '')));
  return out.filter((b) => b.size > 0);
}
