/**
 * Brain reply texts ↔ SMTP lines. A brain reply is the whole reply as a server sends it, code
 * included, lines joined with `\n` (`550-5.1.1 a\n550 5.1.1 b`). smtp-server wants the code apart and
 * the text without it (an array for a multi-line reply); the wire client joins received lines with
 * `\n` again, so both modes log the very same text.
 */

/** The reply code of a brain text (`550 ...` → 550). */
export function replyCode(text: string): number {
  return (text.charCodeAt(0) - 48) * 100 + (text.charCodeAt(1) - 48) * 10 + (text.charCodeAt(2) - 48);
}

/** The text after the code of each line: a string for one line, an array for several. */
export function replyBody(text: string): string | string[] {
  if (text.indexOf('\n') < 0) return text.slice(4);
  return text.split(/\r?\n/).map((l) => l.slice(4));
}

/** An error for smtp-server handlers that makes it send exactly `text` (needs `hideENHANCEDSTATUSCODES`). */
export function replyError(text: string): Error & { responseCode: number } {
  const err = new Error('') as Error & { responseCode: number };
  err.responseCode = replyCode(text);
  // smtp-server sends an array message as a multi-line reply
  (err as unknown as { message: string | string[] }).message = replyBody(text);
  return err;
}
