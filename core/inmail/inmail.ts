/**
 * inMail (SPEC §1, §6.1): reads one mail of the technical mailbox and gives one result per failed
 * recipient, each qualified with the inbound email rules. Never throws on content: a mail it cannot
 * read gives a result of kind `unknown` whose text says why.
 */
import type { RawMail } from '../ports.ts';
import type { Qualification } from '../types.ts';
import { complaintResults } from './arf.ts';
import { autoReplyResults } from './autoreply.ts';
import {
  autoReplySubject,
  looksLikeAutoReply,
  looksLikeBounce,
  looksLikeComplaint,
} from './classify-mail.ts';
import { tidy } from './diagnostic.ts';
import { type Draft, EMPTY_BODY, type InMailSettings, unknownResult } from './draft.ts';
import { dsnResults, findDsnGroups } from './dsn.ts';
import { type MailView, viewMail, viewMailFast } from './mail-view.ts';
import { type MailOrigin, readOrigin } from './origin.ts';
import {
  AUTOREPLY_QUALIFICATION,
  COMPLAINT_QUALIFICATION,
  DELIVERED_QUALIFICATION,
  POSTMASTER_QUALIFICATION,
} from './outcomes.ts';
import { proseResults } from './prose-results.ts';
import { sesResults } from './ses.ts';
import { readSesNotification } from './ses-notification.ts';
import { splitHumanPart } from './text-bounce.ts';
import type { InMailQualifier, InMailResult } from './types.ts';

/** Settings of inMail; every field has a default in `INMAIL_DEFAULTS`. */
export interface InMailOptions {
  qualifier: InMailQualifier;
  /** bytes of a mail read at most; the rest is ignored (and the result says the mail was cut) */
  maxBytes?: number;
  /** length of the diagnostic text kept in a result */
  maxTextLength?: number;
  /** results per mail at most (a bounce listing more recipients is cut) */
  maxRecipients?: number;
  complaint?: Qualification;
  autoReply?: Qualification;
  delivered?: Qualification;
  /**
   * A technical notice: a bounce from a postmaster-type sender naming no recipient (seed 000 line 44:
   * Ignored). Default `POSTMASTER_QUALIFICATION` (Ignored, no effect).
   */
  postmaster?: Qualification;
  /**
   * The per-message header the sender sets on each message (an X-header carrying its id), read from
   * the returned original header into `InMailResult.origin.header`; '' reads none. Default
   * `INMAIL_DEFAULTS.messageHeader`.
   */
  messageHeader?: string;
  /**
   * RFC 3463 status codes that name the failure exactly: when a report carries one, the rules are
   * asked about the code alone and that answer outranks phrases of the text (as Sisimai does with
   * its status table). Default `INMAIL_DEFAULTS.decisiveStatuses`.
   */
  decisiveStatuses?: readonly string[];
}

export const INMAIL_DEFAULTS = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxTextLength: 1000,
  maxRecipients: 1000,
  decisiveStatuses: Object.freeze(['5.7.13']) as readonly string[],
  messageHeader: 'X-Mxlab-Message',
});

/** The inMail process: what the scheduled inMail job calls on each mail drained from the mailbox. */
export interface InMail {
  process(raw: RawMail): Promise<InMailResult[]>;
}

/** Texts of the `unknown` results that say the input was no mail at all (see `isNotAMail`). */
const NOT_A_MAIL = 'not a mail: no header fields found';
const EMPTY_MAIL = 'empty mail';

/**
 * True for a result saying its input was not a mail: empty, no header fields (binary or text that is
 * not a mail), or header fields and no body (a file cut off): what `mxlab inmail` names on stderr.
 */
export function isNotAMail(r: Pick<InMailResult, 'kind' | 'recipient' | 'text'>): boolean {
  return (
    r.kind === 'unknown' &&
    r.recipient === '' &&
    (r.text === NOT_A_MAIL || r.text === EMPTY_MAIL || r.text.endsWith(`: ${EMPTY_BODY}`))
  );
}

/** Builds an inMail process around a qualifier (core/qualification `createQualifier`). */
export function createInMail(options: InMailOptions): InMail {
  const maxBytes = options.maxBytes ?? INMAIL_DEFAULTS.maxBytes;
  const s: InMailSettings = {
    qualifier: options.qualifier,
    maxText: options.maxTextLength ?? INMAIL_DEFAULTS.maxTextLength,
    maxRecipients: options.maxRecipients ?? INMAIL_DEFAULTS.maxRecipients,
    complaint: options.complaint ?? COMPLAINT_QUALIFICATION,
    autoReply: options.autoReply ?? AUTOREPLY_QUALIFICATION,
    delivered: options.delivered ?? DELIVERED_QUALIFICATION,
    postmaster: options.postmaster ?? POSTMASTER_QUALIFICATION,
    decisive: new Set(options.decisiveStatuses ?? INMAIL_DEFAULTS.decisiveStatuses),
  };
  const messageHeader = (options.messageHeader ?? INMAIL_DEFAULTS.messageHeader).toLowerCase();

  async function process(raw: RawMail): Promise<InMailResult[]> {
    const source = raw.source;
    try {
      if (!raw.data || raw.data.length === 0)
        return [withOrigin(unknownResult(source, EMPTY_MAIL), NO_ORIGIN)];
      const cut = raw.data.length > maxBytes;
      const data = cut ? raw.data.subarray(0, maxBytes) : raw.data;
      let view: MailView;
      try {
        view = viewMailFast(data);
      } catch {
        view = await viewMail(data);
      }
      if (view.header.size === 0) return [withOrigin(unknownResult(source, NOT_A_MAIL), NO_ORIGIN)];
      const results = classify(s, source, view);
      if (cut)
        for (const r of results) r.text = tidy(`${r.text} [mail cut at ${maxBytes} bytes]`, s.maxText + 40);
      // one origin per mail, shared by its results (read-only)
      const v = view;
      const origin = readOrigin(v, () => splitHumanPart(v.text).original, messageHeader);
      return results.map((r) => withOrigin(r, origin));
    } catch (err) {
      return [
        withOrigin(
          unknownResult(source, `unreadable mail: ${err instanceof Error ? err.message : String(err)}`),
          NO_ORIGIN,
        ),
      ];
    }
  }

  return { process };
}

/** Tells the mail's kind and hands it to that kind's reader. */
function classify(s: InMailSettings, source: string, view: MailView): Draft[] {
  if (looksLikeComplaint(view)) return complaintResults(s, source, view);
  const ses = readSesNotification(view.text);
  if (ses && ses.length > 0) return sesResults(s, source, ses);
  const groups = findDsnGroups(view);
  if (groups.length > 0) return dsnResults(s, source, view, groups);
  const bounce = looksLikeBounce(view);
  if (looksLikeAutoReply(view.header, view.subject) && (!bounce || autoReplySubject(view.subject)))
    return autoReplyResults(s, source, view);
  if (bounce || view.reportType === 'delivery-status') return proseResults(s, source, view);
  return [
    unknownResult(
      source,
      `not a bounce, complaint or auto-reply (subject: ${tidy(view.subject, 120) || 'none'})`,
    ),
  ];
}

/** The origin of a mail that names no original message. */
const NO_ORIGIN: MailOrigin = Object.freeze({ messageId: '', header: '', returnPath: '' });

function withOrigin(r: Draft, origin: MailOrigin): InMailResult {
  (r as InMailResult).origin = origin;
  return r as InMailResult;
}
