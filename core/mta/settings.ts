/** Settings of the MTA loop. Every number is a default a scenario can override. */
import { DAY, HOUR, MINUTE, type Millis } from '../types.ts';

export interface MtaSettings {
  /** first event kind the MTA registers on its scheduler (it uses 7 consecutive kinds) */
  kindBase: number;
  /** how often inMail reads the technical mailbox */
  inmailEveryMs: Millis;
  /** run the daily database cleanup workflow (SPEC §5: if it does not run, nothing is lifted) */
  cleanup: boolean;
  /** first cleanup run (ms since the run start) and the period */
  cleanupFirstAt: Millis;
  cleanupEveryMs: Millis;
  /** how long an MX answer is kept, and a DNS failure */
  dnsCacheMs: Millis;
  dnsNegativeCacheMs: Millis;
  /** when every connection slot is busy, look again after this long */
  slotRetryMs: Millis;
  /** a message whose session failed is re-routed only if another path may send within this long */
  rerouteWithinMs: Millis;
  /** throughput is counted per slice of this length (SPEC §7.1: 5 minutes) */
  sliceMs: Millis;
  /** distinct reply texts whose parse is kept (each repeated reply is parsed once); 0 turns it off */
  replyCacheSize: number;
  /** domain of the Message-IDs the MTA gives its messages (`<deliveryId.recipientId.messageId@domain>`) */
  messageIdDomain: string;
  /** send each message with a VERP return path (`local+token@host`); async mail then matches by it too */
  verp: boolean;
  /** what separates the sender's local part from the token in a VERP return path; '' reads no VERP */
  verpSeparator: string;
  /**
   * last resort of the async match (core/mta/async-match.ts): a mail that names no message of ours is
   * applied to its address's latest message. Off: such a mail is counted unmatched and changes nothing.
   */
  asyncMatchLatest: boolean;
  /**
   * Liveness (issue #19): the shortest hold (suspension, block) a message can meet. A message may take
   * at most its policy's attempts plus two retry events per this much validity; past that the run
   * stops with a `MXLAB_LIVENESS` line naming the message, domain and rule instead of spinning.
   */
  livenessMinHoldMs: Millis;
  /**
   * Whether a delivery that has started can still be stopped (`stopDelivery`). The legacy MTA stops it
   * and its pending messages become "Delivery cancelled" (SPEC §8); a delivery handed to the Enhanced
   * MTA cannot be stopped (SPEC §4, seed 003 line 112): the runner sets false in enhanced mode.
   */
  stopAfterHandover: boolean;
  /**
   * A feedback-loop complaint also fails its message in the delivery log with reason 8 (SPEC §8:
   * "complaints = Failed with reason 8"); off: it only denylists the address (before issue #24).
   */
  complaintFailsMessage: boolean;
}

export const DEFAULT_MTA_SETTINGS: Readonly<MtaSettings> = Object.freeze({
  kindBase: 1,
  inmailEveryMs: 15 * MINUTE,
  cleanup: true,
  cleanupFirstAt: 2 * HOUR,
  cleanupEveryMs: DAY,
  dnsCacheMs: HOUR,
  dnsNegativeCacheMs: 5 * MINUTE,
  slotRetryMs: 1_000,
  rerouteWithinMs: 0,
  sliceMs: 5 * MINUTE,
  replyCacheSize: 4096,
  messageIdDomain: 'mxlab.invalid',
  verp: false,
  verpSeparator: '+',
  asyncMatchLatest: false,
  livenessMinHoldMs: MINUTE,
  stopAfterHandover: true,
  complaintFailsMessage: true,
});
