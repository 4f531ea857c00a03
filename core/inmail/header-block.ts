/**
 * Reads RFC 5322-style field blocks ("Name: value" lines, folded continuation lines), as found in a
 * message header, a `message/delivery-status` part (RFC 3464 §2: groups separated by blank lines), a
 * `message/feedback-report` part (RFC 5965) or a `text/rfc822-headers` part.
 */

/** One field block: lower-case field name → values in order of appearance. */
export type FieldBlock = Map<string, string[]>;

const FIELD_LINE = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]?(.*)$/;

/**
 * Splits text into field blocks at blank lines. Folded lines (starting with space or tab) continue the
 * previous field, joined with one space. Lines that are neither a field nor a continuation end nothing;
 * they are skipped, so prose around the fields does no harm.
 */
export function parseFieldBlocks(text: string): FieldBlock[] {
  const blocks: FieldBlock[] = [];
  let block: FieldBlock | null = null;
  let lastName: string | null = null;
  const lines = text.split(/\r?\n/);
  for (const line of lines) {
    if (line.trim() === '') {
      if (block && block.size > 0) blocks.push(block);
      block = null;
      lastName = null;
      continue;
    }
    if ((line[0] === ' ' || line[0] === '\t') && lastName && block) {
      const values = block.get(lastName)!;
      values[values.length - 1] = `${values[values.length - 1]} ${line.trim()}`.trim();
      continue;
    }
    const m = FIELD_LINE.exec(line);
    if (!m) {
      lastName = null;
      continue;
    }
    if (!block) block = new Map();
    lastName = m[1]!.toLowerCase();
    const list = block.get(lastName);
    if (list) list.push(m[2]!.trim());
    else block.set(lastName, [m[2]!.trim()]);
  }
  if (block && block.size > 0) blocks.push(block);
  return blocks;
}

/** The header block at the top of a message (up to the first blank line), parsed. */
export function parseHeaderBlock(text: string): FieldBlock {
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  return parseFieldBlocks(head)[0] ?? new Map();
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
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (block.length > 0) blocks.push(block);
      block = [];
      last = null;
    } else if ((line[0] === ' ' || line[0] === '\t') && last) {
      last[1] = `${last[1]} ${line.trim()}`.trim();
    } else {
      const m = FIELD_LINE.exec(line);
      if (m) {
        last = [m[1]!.toLowerCase(), m[2]!.trim()];
        block.push(last);
      } else last = null;
    }
  }
  if (block.length > 0) blocks.push(block);
  return blocks;
}
