/**
 * Bounces whose diagnostic is only in prose (qmail, Exim, Postfix without a report part, Sendmail,
 * Exchange/Outlook, Gmail, Yahoo, Courier, ...): finds the failed recipients and the lines that explain
 * each failure. General markers only: where the copy of the original message starts, addresses that
 * stand on their own line, the addresses of the original message's header.
 */
import { findAddresses, isRobotAddress } from './addresses.ts';

/** A recipient found in prose, with the text around it that explains the failure. */
export interface ProseFinding {
  recipient: string;
  text: string;
}

/** Lines that introduce the copy of the original message (or its header) in a bounce. */
const ORIGINAL_MARKER =
  /^[ \t>]*(?:[-=_*]{2,}[ \t]*(?:[^\n]{0,40}?)(?:original|copy of (?:the |your )?message|message (?:header|follows|text)|returned (?:mail|message)|undelivered message|unsent message|headers? of|forwarded message|message as (?:received|sent))[^\n]*|(?:original (?:mail|message) as follows|original message|original message follows|the original message|original message headers?|original message was|returned message|undelivered message|(?:message )?headers? follows?|original message header)(?: follows| headers?| text)?[.:]?[ \t]*)$/im;

/** A header field that starts an inline copy of the original message when no marker precedes it. */
const INLINE_HEADER =
  /^(?:Return-Path|Received|DKIM-Signature|X-Received|ARC-Seal|Message-I[dD]|Delivered-To):[ \t]/m;

/** Splits the readable text into the part a person reads and the inline copy of the original message. */
export function splitHumanPart(text: string): { human: string; original: string } {
  const a = ORIGINAL_MARKER.exec(text);
  const b = INLINE_HEADER.exec(text);
  let cut = text.length;
  let skip = 0;
  if (a) {
    cut = a.index;
    skip = a[0].length;
  }
  if (b && b.index < cut) {
    cut = b.index;
    skip = 0;
  }
  return { human: text.slice(0, cut), original: text.slice(cut + skip).replace(/^\s*\n/, '') };
}

const ANCHORED_LINE =
  /^[ \t]*(?:(?:RCPT TO|Recipient|Recipient address|Original-Recipient|Final-Recipient)[ \t]*:[ \t]*)?(?:rfc822;[ \t]*)?<?([^\s<>]+@[^\s<>]+?)>?[ \t]*(?::.*|\.\.\..*|[ \t]+\(.*|[ \t]+on[ \t].*|[ \t]*\.?)$/i;

/**
 * Recipients named in the human part, most likely first: addresses standing on their own line (as
 * Exim, qmail, Gmail and Sendmail write them) when there are any, else every address of the prose.
 * Robots and the addresses in `exclude` (the original sender, the bounce's own header) are skipped.
 */
export function proseRecipients(human: string, exclude: ReadonlySet<string>): string[] {
  const anchored: string[] = [];
  for (const line of human.split(/\r?\n/)) {
    if (!line.includes('@')) continue;
    const m = ANCHORED_LINE.exec(line);
    const addr = m ? findAddresses(m[1]!)[0] : undefined;
    if (addr) anchored.push(addr);
  }
  const loose = findAddresses(human).filter((a) => !exclude.has(a.toLowerCase()));
  for (const list of [anchored, loose]) {
    const people = uniqueCi(list.filter((a) => !isRobotAddress(a)));
    if (people.length > 0) return people;
    const robots = uniqueCi(list.filter((a) => !exclude.has(a.toLowerCase())));
    if (robots.length > 0) return robots;
  }
  return [];
}

/** Drops repeated addresses (case-insensitive), keeping the first spelling. */
export function uniqueCi(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of list) {
    const k = a.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(a);
    }
  }
  return out;
}

/**
 * The text that explains the failure of each recipient: from the line naming it to the line naming
 * the next one. When that block says nothing beyond the address, the whole human part is used.
 */
export function proseDiagnostics(human: string, recipients: readonly string[]): ProseFinding[] {
  const lines = human.split(/\r?\n/);
  // the line of the first mention of each recipient: one lower-casing of the text, line breaks counted
  const lowerText = human.toLowerCase();
  const starts = recipients.map((r) => {
    const at = lowerText.indexOf(r.toLowerCase());
    if (at < 0) return -1;
    let line = 0;
    for (let i = lowerText.indexOf('\n'); i >= 0 && i < at; i = lowerText.indexOf('\n', i + 1)) line++;
    return line;
  });
  const sorted = starts.filter((s) => s >= 0).sort((x, y) => x - y);
  return recipients.map((recipient, i) => {
    const start = starts[i]!;
    if (start < 0) return { recipient, text: human };
    const next = sorted.find((s) => s > start) ?? lines.length;
    const block = lines.slice(start, next).join('\n');
    const rest = block
      .split(recipient)
      .join(' ')
      .replace(/[<>:\s.()]/g, '');
    if (rest.length < 4) {
      // the address stands alone: the explanation is elsewhere in the prose (after the list, or before it)
      const after = lines.slice(Math.max(...sorted) + 1).join('\n');
      return { recipient, text: after.trim().length > 10 ? after : human };
    }
    return { recipient, text: block };
  });
}
