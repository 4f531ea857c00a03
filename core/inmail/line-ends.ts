/**
 * Line endings of mails as users' mail stores keep them: LF (Unix mbox and Maildir), CRLF (the wire
 * form, RFC 5322 §2.1; Windows stores), CR alone (classic Mac OS stores and some exporters), or a mix
 * (a part pasted from another store). The readers split lines on LF and understand a mail written
 * wholly in CRLF; any other mail holding a CR is rewritten to LF first, so every form reads alike.
 * LF and CRLF mails are returned as they are (no copy).
 */

/** A CR that no LF follows, or an LF that no CR precedes. */
const NOT_CRLF = /\r(?!\n)|(?<!\r)\n/;

/** True when `text` holds a CR but is not written wholly in CRLF (CR-only or mixed line endings). */
export function needsLf(text: string): boolean {
  return text.indexOf('\r') >= 0 && NOT_CRLF.test(text);
}

/** `text` with every CRLF and lone CR turned into LF when {@link needsLf}; else `text` itself. */
export function toLf(text: string): string {
  return needsLf(text) ? text.replace(/\r\n?/g, '\n') : text;
}

/** {@link toLf} for bytes (one latin1 char per byte, so no byte but the line ends changes). */
export function toLfBytes(data: Buffer): Buffer {
  if (data.indexOf(13) < 0) return data;
  const text = data.toString('latin1');
  return needsLf(text) ? Buffer.from(text.replace(/\r\n?/g, '\n'), 'latin1') : data;
}
