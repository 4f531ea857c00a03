/**
 * Feedback-loop and address-list figures: complaints read by inMail (ARF), the addresses the run
 * denylisted (SPEC §5: a complaint denylists its address), and the allowlist, which the run never
 * quarantines. Counts from the `inmail`, `quarantine` and `recipients` tables.
 */
import { num, one, type ReportStore } from '../store-port.ts';

export interface FeedbackCounts {
  /** complaint mails read (inMail results of kind `arf`) */
  complaints: number;
  /** distinct addresses that complained */
  complainers: number;
  /** auto-replies read (inMail results of kind `autoreply`; they change nothing) */
  autoReplies: number;
  /** addresses denylisted at the end of the run that were not denylisted before it */
  denylisted: number;
  /** addresses already denylisted before the run (`recipients.initial_status`) */
  denylistedBefore: number;
  /** addresses on the allowlist at the end of the run (never quarantined) */
  allowlisted: number;
}

/** The feedback-loop and address-list counts of a run. */
export async function feedbackCounts(store: ReportStore): Promise<FeedbackCounts> {
  const r = await one<Record<string, unknown>>(
    store,
    `WITH pre AS (SELECT DISTINCT address FROM recipients WHERE initial_status = 'denylisted' AND address <> '')
     SELECT
       (SELECT count(*) FROM inmail WHERE kind = 'arf') AS complaints,
       (SELECT count(DISTINCT lower(recipient)) FROM inmail WHERE kind = 'arf') AS complainers,
       (SELECT count(*) FROM inmail WHERE kind = 'autoreply') AS "autoReplies",
       (SELECT count(*) FROM quarantine WHERE status = 'denylisted' AND address NOT IN (SELECT address FROM pre)) AS denylisted,
       (SELECT count(*) FROM pre) AS "denylistedBefore",
       (SELECT count(*) FROM quarantine WHERE status = 'allowlisted') AS allowlisted`,
  );
  return {
    complaints: num(r.complaints),
    complainers: num(r.complainers),
    autoReplies: num(r.autoReplies),
    denylisted: num(r.denylisted),
    denylistedBefore: num(r.denylistedBefore),
    allowlisted: num(r.allowlisted),
  };
}
