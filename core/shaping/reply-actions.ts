/** Result of {@link Shaper.onReply}. One object per shaper, overwritten by the next call. */
export interface ReplyActions {
  /** a rule said: treat this permanent reply as transient (retry, no address impact) */
  rewriteToTransient: boolean;
  /** greylisting: do not retry before this time (0 = the retry policy decides) */
  retryNotBefore: number;
  /** the pair or domain is held until this time because of this reply (0 = not held) */
  heldUntil: number;
  /** the rule that fired on this reply, or null */
  rule: string | null;
}
