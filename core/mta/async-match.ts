/**
 * Which message an async mail (DSN, ARF complaint, auto-reply) is about (issue #19). The MTA writes
 * one token per message, `deliveryId.recipientId.messageId` (the delivery log's ids, numbers only), in
 * the Message-ID it gives the message (`<token@messageIdDomain>`); the same token is what a
 * per-message header (`X-Mxlab-Message: token`) and a VERP return path (`bounces+token@host`) carry.
 * Reading it back is a numeric parse checked against the log, not a lookup in a map of strings.
 *
 * Fallback order (docs/decisions.md "Async mail matches its own message"): the original Message-ID,
 * then the per-message header, then the VERP return path, then, only when
 * `MtaSettings.asyncMatchLatest` is on, the address's latest message; a mail none of these matches is
 * counted unmatched and changes nothing.
 */

/** How an async mail was matched to its message (run store `inmail.matched_by`). */
export const MatchBy = { None: 0, MessageId: 1, Header: 2, Verp: 3, Latest: 4 } as const;
export type MatchByCode = (typeof MatchBy)[keyof typeof MatchBy];
export const MATCH_BY_NAMES = ['none', 'messageId', 'header', 'verp', 'latest'] as const;
export type MatchByName = (typeof MATCH_BY_NAMES)[number];

/** The token of a message: `deliveryId.recipientId.messageId`. */
export function messageToken(deliveryId: number, recipientId: number, messageId: number): string {
  return `${deliveryId}.${recipientId}.${messageId}`;
}

/** The Message-ID the MTA gives a message. */
export function messageIdHeader(
  deliveryId: number,
  recipientId: number,
  messageId: number,
  domain: string,
): string {
  // the token of messageToken, in one template: no intermediate string per message
  return `<${deliveryId}.${recipientId}.${messageId}@${domain}>`;
}

/** The three numbers of a token, filled by {@link parseToken}. */
export interface TokenParts {
  deliveryId: number;
  recipientId: number;
  messageId: number;
}

/**
 * Reads a token from `s[from, to)`: three unsigned integers separated by dots, nothing else. Fills `out`
 * and returns true, or returns false.
 */
export function parseToken(s: string, from: number, to: number, out: TokenParts): boolean {
  let part = 0;
  let n = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      if (++digits > 15) return false;
    } else if (c === 46 && digits > 0 && part < 2) {
      if (part === 0) out.deliveryId = n;
      else out.recipientId = n;
      part++;
      n = 0;
      digits = 0;
    } else return false;
  }
  if (part !== 2 || digits === 0) return false;
  out.messageId = n;
  return true;
}

/** The token of one of our Message-IDs (`<token@domain>`, domain compared without case), or false. */
export function parseMessageId(value: string, domain: string, out: TokenParts): boolean {
  const at = value.lastIndexOf('@');
  if (at < 0) return false;
  const start = value.charCodeAt(0) === 60 ? 1 : 0;
  const end = value.charCodeAt(value.length - 1) === 62 ? value.length - 1 : value.length;
  if (end - at - 1 !== domain.length) return false;
  if (value.slice(at + 1, end).toLowerCase() !== domain.toLowerCase()) return false;
  return parseToken(value, start, at, out);
}

/** The token of a per-message header's value: the bare token, or a Message-ID of ours. */
export function parseHeaderValue(value: string, domain: string, out: TokenParts): boolean {
  if (value.includes('@')) return parseMessageId(value, domain, out);
  return parseToken(value, 0, value.length, out);
}

/**
 * The token of a VERP return path `local<separator>token@host` (the token after the last separator of
 * the local part), or false. An empty separator turns VERP off.
 */
export function parseVerp(address: string, separator: string, out: TokenParts): boolean {
  if (separator === '') return false;
  const at = address.lastIndexOf('@');
  if (at < 0) return false;
  const sep = address.lastIndexOf(separator, at - 1);
  if (sep < 0) return false;
  return parseToken(address, sep + separator.length, at, out);
}

/** The VERP return path of a message: `local+token@host` for the sender `local@host`. */
export function verpAddress(from: string, separator: string, token: string): string {
  const at = from.lastIndexOf('@');
  return at < 0 ? from : `${from.slice(0, at)}${separator}${token}${from.slice(at)}`;
}
