/**
 * Reads RFC 5322-style field blocks ("Name: value" lines, folded continuation lines), as found in a
 * message header, a `message/delivery-status` part (RFC 3464 §2: groups separated by blank lines), a
 * `message/feedback-report` part (RFC 5965) or a `text/rfc822-headers` part.
 */

/** One field block: lower-case field name → values in order of appearance. */
export type FieldBlock = Map<string, string[]>;

const FIELD_LINE = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]?(.*)$/;

/** Index of the colon when `line` starts with `Name:` (RFC 5322 field name, blanks before the colon), else -1. */
function colonOf(line: string): number {
  const len = line.length;
  const c0 = line.charCodeAt(0) | 0x20;
  if (len === 0 || c0 < 97 || c0 > 122) return -1;
  let i = 1;
  for (; i < len; i++) {
    const c = line.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 45)) break;
  }
  const nameEnd = i;
  while (i < len && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (i >= len || line.charCodeAt(i) !== 58) return -1;
  return nameEnd === i ? i : -(i + 2) /* blanks between name and colon: the slow path */;
}

/** `Name: value` → [lower-case name, trimmed value], or null when the line is not a field. */
function fieldOf(line: string): [string, string] | null {
  const colon = colonOf(line);
  if (colon === -1) return null;
  if (colon < -1 || /[\r\u2028\u2029]/.test(line)) {
    // rare shapes: the regex decides, as it always did
    const m = FIELD_LINE.exec(line);
    return m ? [m[1]!.toLowerCase(), m[2]!.trim()] : null;
  }
  return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
}

/**
 * Calls `onLine` with each line of `text` (split on LF or CRLF, without allocating an array), until it
 * returns false.
 */
function eachLine(text: string, onLine: (line: string) => boolean): void {
  let pos = 0;
  const len = text.length;
  while (pos <= len) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = len;
    const line =
      nl > pos && text.charCodeAt(nl - 1) === 13 && nl < len ? text.slice(pos, nl - 1) : text.slice(pos, nl);
    if (!onLine(line)) return;
    pos = nl + 1;
  }
}

function isBlank(line: string): boolean {
  return line.length === 0 || line.trim() === '';
}

/**
 * Splits text into field blocks at blank lines. Folded lines (starting with space or tab) continue the
 * previous field, joined with one space. Lines that are neither a field nor a continuation end nothing;
 * they are skipped, so prose around the fields does no harm. `untilEmptyLine` stops at the first empty
 * line (the end of a message header).
 */
export function parseFieldBlocks(text: string, untilEmptyLine = false): FieldBlock[] {
  const blocks: FieldBlock[] = [];
  let block: FieldBlock | null = null;
  let last: string[] | null = null;
  let first = true;
  eachLine(text, (line) => {
    const atStart = first;
    first = false;
    if (isBlank(line)) {
      // a header ends at an empty line that follows a line break (not at a leading one)
      if (untilEmptyLine && line.length === 0 && !atStart) return false;
      if (block && block.size > 0) blocks.push(block);
      block = null;
      last = null;
      return true;
    }
    const c = line.charCodeAt(0);
    if ((c === 32 || c === 9) && last && block) {
      last[last.length - 1] = `${last[last.length - 1]} ${line.trim()}`.trim();
      return true;
    }
    const f = fieldOf(line);
    if (!f) {
      last = null;
      return true;
    }
    if (!block) block = new Map();
    const list: string[] | undefined = (block as FieldBlock).get(f[0]);
    if (list) list.push(f[1]);
    else (block as FieldBlock).set(f[0], [f[1]]);
    last = list ?? (block as FieldBlock).get(f[0])!;
    return true;
  });
  if (block && (block as FieldBlock).size > 0) blocks.push(block);
  return blocks;
}

/** The header block at the top of a message (up to the first empty line), parsed. */
export function parseHeaderBlock(text: string): FieldBlock {
  return parseFieldBlocks(text, true)[0] ?? new Map();
}

/** First value of a field, or undefined. */
export function field(block: FieldBlock, name: string): string | undefined {
  return block.get(name)?.[0];
}

/**
 * The per-recipient groups of a delivery-status report (RFC 3464 §2.3): field blocks holding
 * Final-Recipient or Original-Recipient. Some MTAs write the groups without the blank line between
 * them, so a recipient field that repeats, or that follows an Action or Status of a group that already
 * names a recipient, starts a new group.
 */
export function parseDsnGroups(text: string): FieldBlock[] {
  const groups: FieldBlock[] = [];
  for (const block of splitBlocksOrdered(text)) {
    let current: FieldBlock = new Map();
    // an Action or Status after the group's recipient: the next recipient field starts a new group
    let closed = false;
    for (const [name, value] of block) {
      const isRcpt = name === 'final-recipient' || name === 'original-recipient';
      // fields before the first recipient field of a block (Diagnostic-Code, Status written first)
      // belong to that recipient: only a recipient already in the group starts a new one
      const hasRcpt = current.has('final-recipient') || current.has('original-recipient');
      if (isRcpt && hasRcpt && (current.has(name) || closed)) {
        groups.push(current);
        current = new Map();
        closed = false;
      }
      if (hasRcpt && (name === 'action' || name === 'status')) closed = true;
      const list = current.get(name);
      if (list) list.push(value);
      else current.set(name, [value]);
    }
    if (current.has('final-recipient') || current.has('original-recipient')) groups.push(current);
  }
  return groups;
}

function splitBlocksOrdered(text: string): [string, string][][] {
  const blocks: [string, string][][] = [];
  let block: [string, string][] = [];
  let last: [string, string] | null = null;
  eachLine(text, (line) => {
    if (isBlank(line)) {
      if (block.length > 0) blocks.push(block);
      block = [];
      last = null;
    } else if ((line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) && last) {
      last[1] = `${last[1]} ${line.trim()}`.trim();
    } else {
      last = fieldOf(line);
      if (last) block.push(last);
    }
    return true;
  });
  if (block.length > 0) blocks.push(block);
  return blocks;
}
