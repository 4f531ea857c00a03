/**
 * Magic local parts, as MTA test sinks and Amazon SES's mailbox simulator use them (SPEC §10).
 * A `+label` suffix is ignored (`bounce+run7@…` is `bounce@…`).
 */

/** What a magic local part asks for. `reply` is filled like profile replies (`<rcpt>`). */
export interface MagicAction {
  reply: string | null;
  /** follow-up mail after acceptance (or, for `bounce`, after the rejection) */
  followUp: 'dsn' | 'arf' | 'autoReply' | null;
  /** accept whatever the recipient's truth says */
  forceAccept: boolean;
}

const FIXED: Readonly<Record<string, MagicAction>> = {
  tempfail: {
    reply: '400 4.0.0 <rcpt>: temporary failure requested by local part',
    followUp: null,
    forceAccept: false,
  },
  permfail: {
    reply: '500 5.0.0 <rcpt>: permanent failure requested by local part',
    followUp: null,
    forceAccept: false,
  },
  full: { reply: '452 4.2.2 <rcpt>: mailbox is full', followUp: null, forceAccept: false },
  success: { reply: null, followUp: null, forceAccept: true },
  bounce: {
    reply: '550 5.1.1 <rcpt>: Recipient address rejected: User unknown',
    followUp: 'dsn',
    forceAccept: false,
  },
  ooto: { reply: null, followUp: 'autoReply', forceAccept: true },
  complaint: { reply: null, followUp: 'arf', forceAccept: true },
};

const cache = new Map<string, MagicAction>();

/** The magic action for an address, or null for an ordinary local part (allocation-free for those). */
export function magicAction(address: string): MagicAction | null {
  const c0 = address.charCodeAt(0);
  if (
    c0 >= 50 &&
    c0 <= 53 &&
    isDigit(address.charCodeAt(1)) &&
    isDigit(address.charCodeAt(2)) &&
    address.charCodeAt(3) === 45
  )
    return codeAction(address.slice(0, 3));
  let end = address.lastIndexOf('@');
  if (end < 0) end = address.length;
  const plus = address.indexOf('+');
  if (plus >= 0 && plus < end) end = plus;
  if (end > MAX_FIXED || end < 4) return null;
  return FIXED[address.slice(0, end).toLowerCase()] ?? null;
}

const MAX_FIXED = Math.max(...Object.keys(FIXED).map((k) => k.length));

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function codeAction(code: string): MagicAction {
  let hit = cache.get(code);
  if (!hit) {
    hit = {
      reply: `${code} ${code[0]}.0.0 <rcpt>: reply ${code} requested by local part`,
      followUp: null,
      forceAccept: false,
    };
    cache.set(code, hit);
  }
  return hit;
}
