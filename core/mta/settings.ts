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
  /**
   * Liveness (issue #19): the shortest hold (suspension, block) a message can meet. A message may take
   * at most its policy's attempts plus two retry events per this much validity; past that the run
   * stops with a `MXLAB_LIVENESS` line naming the message, domain and rule instead of spinning.
   */
  livenessMinHoldMs: Millis;
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
  livenessMinHoldMs: MINUTE,
});
