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

const CODE_PREFIX = /^([245]\d\d)-/;
const cache = new Map<string, MagicAction>();

/** The magic action for an address, or null for an ordinary local part. */
export function magicAction(address: string): MagicAction | null {
  const at = address.lastIndexOf('@');
  let local = (at < 0 ? address : address.slice(0, at)).toLowerCase();
  const plus = local.indexOf('+');
  if (plus >= 0) local = local.slice(0, plus);
  const fixed = FIXED[local];
  if (fixed) return fixed;
  const m = CODE_PREFIX.exec(local);
  if (!m) return null;
  const code = m[1]!;
  let hit = cache.get(code);
  if (!hit) {
    const cls = code[0];
    hit = {
      reply: `${code} ${cls}.0.0 <rcpt>: reply ${code} requested by local part`,
      followUp: null,
      forceAccept: false,
    };
    cache.set(code, hit);
  }
  return hit;
}
