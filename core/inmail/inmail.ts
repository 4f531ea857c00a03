/**
 * inMail (SPEC §1, §6.1): reads one mail of the technical mailbox and gives one result per failed
 * recipient, each qualified with the inbound email rules. Never throws on content: a mail it cannot
 * read gives a result of kind `unknown` whose text says why.
 */
import type { RawMail } from '../ports.ts';
import type { ParsedReply, Qualification } from '../types.ts';
import { domainOf, findAddresses, firstAddress, isRobotAddress, recipientAddress } from './addresses.ts';
import {
  autoReplySubject,
  isOriginalPart,
  looksLikeAutoReply,
  looksLikeBounce,
  looksLikeComplaint,
} from './classify-mail.ts';
import { findReplyCode, findStatus, stripDiagnosticType, tidy } from './diagnostic.ts';
import {
  type FieldBlock,
  field,
  parseDsnGroups,
  parseFieldBlocks,
  parseHeaderBlock,
} from './header-block.ts';
import { type MailView, viewMail, viewMailFast } from './mail-view.ts';
import { type MailOrigin, readOrigin } from './origin.ts';
import {
  AUTOREPLY_QUALIFICATION,
  COMPLAINT_QUALIFICATION,
  DELIVERED_QUALIFICATION,
  UNKNOWN_QUALIFICATION,
} from './outcomes.ts';
import { readSesNotification, type SesRecipient } from './ses-notification.ts';
import { proseDiagnostics, proseRecipients, splitHumanPart, uniqueCi } from './text-bounce.ts';
import type { InMailKind, InMailQualifier, InMailResult } from './types.ts';

/** A result before the mail's origin is attached (once per mail, in `process`). */
type Draft = Omit<InMailResult, 'origin'>;

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

const LOCAL_MAILER_TYPE = /^\s*x-unix\s*;/i;
/** A DSN recipient field at a line start (RFC 3464 §2.3.1-2). */
const RCPT_FIELD = /^(?:final|original)-recipient[ \t]*:/im;
/** Where the machine-readable part of a report starts in the text. */
const REPORT_START = /^(?:Reporting-MTA|Final-Recipient|Original-Recipient)[ \t]*:/im;

/** `4.0.0 (cat.example.net: host name lookup failure)` → `cat.example.net: host name lookup failure`. */
export function statusComment(value: string | undefined): string {
  const m = /\(([^)]*[A-Za-z]{3}[^)]*)\)/.exec(value ?? '');
  return m ? m[1]!.trim() : '';
}

/**
 * The status of a DSN group: the code in the Diagnostic-Code (what the remote server said) when it is
 * specific, else the Status field (the reporting MTA's summary, often generic or remapped).
 */
export function chooseStatus(statusField: string | null, diagnostic: string | null): string | null {
  if (diagnostic && !diagnostic.endsWith('.0.0')) return diagnostic;
  return statusField ?? diagnostic;
}

/** The inMail process: what the scheduled inMail job calls on each mail drained from the mailbox. */
export interface InMail {
  process(raw: RawMail): Promise<InMailResult[]>;
}

const SUCCESS_ACTIONS = new Set(['delivered', 'relayed', 'expanded']);

/** Texts of the `unknown` results that say the input was no mail at all (see `isNotAMail`). */
const NOT_A_MAIL = 'not a mail: no header fields found';
const EMPTY_MAIL = 'empty mail';
const EMPTY_BODY = '(empty body)';

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
  const qualifier = options.qualifier;
  const maxBytes = options.maxBytes ?? INMAIL_DEFAULTS.maxBytes;
  const maxText = options.maxTextLength ?? INMAIL_DEFAULTS.maxTextLength;
  const maxRecipients = options.maxRecipients ?? INMAIL_DEFAULTS.maxRecipients;
  const complaint = options.complaint ?? COMPLAINT_QUALIFICATION;
  const autoReply = options.autoReply ?? AUTOREPLY_QUALIFICATION;
  const delivered = options.delivered ?? DELIVERED_QUALIFICATION;
  const decisive = new Set(options.decisiveStatuses ?? INMAIL_DEFAULTS.decisiveStatuses);
  const messageHeader = (options.messageHeader ?? INMAIL_DEFAULTS.messageHeader).toLowerCase();

  function unknown(source: string, text: string, recipient = ''): Draft {
    return {
      source,
      recipient,
      kind: 'unknown',
      status: null,
      code: null,
      text,
      qualification: { ...UNKNOWN_QUALIFICATION },
    };
  }

  function qualifyDiagnostic(
    recipient: string,
    text: string,
    status: string | null,
  ): Qualification & { code: number | null } {
    const found = findReplyCode(text);
    // a failure report carries no success code: a 2xx/3xx seen in a transcript is not the answer
    const code = found !== null && found >= 400 ? found : null;
    const reply: ParsedReply = { parseable: code !== null, code, enhanced: status, text, raw: text };
    return { ...qualifier.qualify(reply, { phase: 'async', domain: domainOf(recipient) }), code };
  }

  function result(
    source: string,
    recipient: string,
    kind: InMailKind,
    text: string,
    status: string | null,
    fallbackText: string | null,
    statusFirst = true,
  ): Draft {
    let diag = tidy(text, maxText);
    let q = qualifyDiagnostic(recipient, diag, status);
    if (statusFirst && status !== null && decisive.has(status) && q.rule !== null) {
      // an RFC 3463 code that names the failure exactly outranks the prose around it
      const byStatus = qualifyDiagnostic(recipient, status, status);
      if (byStatus.type !== 'undefined') q = { ...byStatus, code: q.code };
    }
    if (q.reason === 0 && q.type === 'undefined' && fallbackText) {
      const alt = tidy(fallbackText, maxText);
      const q2 = qualifyDiagnostic(recipient, alt, status ?? findStatus(alt));
      if (q2.type !== 'undefined') {
        q = q2;
        diag = alt;
      }
    }
    const { code, ...qualification } = q;
    return { source, recipient, kind, status, code, text: diag, qualification };
  }

  function complaints(source: string, view: MailView): Draft[] {
    const report = view.parts.find((p) => p.contentType === 'message/feedback-report');
    const blocks = parseFieldBlocks(report ? report.content : view.text);
    const fields = blocks.find((b) => b.has('feedback-type')) ?? new Map<string, string[]>();
    const found: string[] = [];
    for (const name of ['original-rcpt-to', 'removal-recipient']) {
      for (const v of fields.get(name) ?? []) found.push(...findAddresses(v));
    }
    for (const v of view.header.get('x-hmxmroriginalrecipient') ?? []) found.push(...findAddresses(v));
    if (found.length === 0) {
      for (const h of originalHeaders(view)) {
        for (const v of [...(h.get('to') ?? []), ...(h.get('cc') ?? [])]) found.push(...findAddresses(v));
        if (found.length > 0) break;
      }
    }
    const type = field(fields, 'feedback-type') ?? 'abuse';
    const text = tidy(`Feedback-Type: ${type}${view.subject ? ` (${view.subject})` : ''}`, maxText);
    const recipients = uniqueCi(found.filter((a) => !isRobotAddress(a)));
    if (recipients.length === 0) {
      return [
        {
          source,
          recipient: '',
          kind: 'arf',
          status: null,
          code: null,
          text: `${text}; no recipient named in the complaint`,
          qualification: { ...complaint },
        },
      ];
    }
    return recipients.slice(0, maxRecipients).map((recipient) => ({
      source,
      recipient,
      kind: 'arf' as const,
      status: null,
      code: null,
      text,
      qualification: { ...complaint },
    }));
  }

  function dsnResults(source: string, view: MailView, groups: FieldBlock[]): Draft[] {
    const reportAt = view.text.search(REPORT_START);
    const { human } = splitHumanPart(reportAt < 0 ? view.text : view.text.slice(0, reportAt));
    const out: Draft[] = [];
    const recipients = groups.map(
      (g) =>
        recipientAddress(field(g, 'final-recipient')) ??
        recipientAddress(field(g, 'original-recipient')) ??
        '',
    );
    const prose = proseDiagnostics(
      human,
      recipients.filter((r) => r !== ''),
    );
    for (let i = 0; i < groups.length && out.length < maxRecipients; i++) {
      const g = groups[i]!;
      const recipient = recipients[i]!;
      const action = (field(g, 'action') ?? '').trim().toLowerCase();
      const diagRaw = (g.get('diagnostic-code') ?? []).join(' ');
      // a local delivery program failed (Postfix/Sendmail `x-unix; procmail: ...`): a mailer error,
      // whatever words the program printed; the type stays in the text for the rules
      const localMailer = LOCAL_MAILER_TYPE.test(diagRaw);
      // no Diagnostic-Code: the comment of the Status field (`4.0.0 (host name lookup failure)`) says why
      const diagField = localMailer
        ? diagRaw.trim()
        : stripDiagnosticType(diagRaw) || statusComment(field(g, 'status'));
      const status = chooseStatus(findStatus(field(g, 'status') ?? ''), findStatus(diagField));
      const proseText = prose.find((p) => p.recipient === recipient)?.text ?? human;
      if (SUCCESS_ACTIONS.has(action)) {
        out.push({
          source,
          recipient,
          kind: 'delivered',
          status,
          code: findReplyCode(diagField),
          text: tidy(diagField || `Action: ${action}`, maxText),
          qualification: { ...delivered },
        });
        continue;
      }
      const informative = /[A-Za-z]{3,}/.test(diagField.replace(/\b(?:smtp|x-[a-z-]+)\b/gi, ''));
      const r = result(
        source,
        recipient,
        'dsn',
        informative ? diagField : proseText || diagField,
        status,
        informative ? proseText : null,
        !localMailer,
      );
      if (!r.text) r.text = status ? `Status: ${status}` : `Action: ${action || 'failed'}`;
      if (action === 'delayed') {
        r.qualification.disposition = 'transient';
        if (r.qualification.type === 'hard') r.qualification.type = 'soft';
        if (r.qualification.impact === 'quarantine') r.qualification.impact = 'count';
      }
      out.push(r);
    }
    return out;
  }

  function proseResults(source: string, view: MailView): Draft[] {
    // a report part without recipient groups says nothing a person wrote: leave it out of the prose
    let text = view.text;
    for (const p of view.parts)
      if (p.contentType === 'message/delivery-status' && p.content.trim()) text = text.replace(p.content, '');
    const { human, original } = splitHumanPart(text);
    const originals = originalHeaders(view, original);
    const exclude = new Set<string>();
    for (const h of [view.header, ...originals]) {
      for (const name of ['from', 'sender', 'reply-to', 'return-path']) {
        for (const v of h.get(name) ?? []) for (const a of findAddresses(v)) exclude.add(a.toLowerCase());
      }
    }
    for (const v of view.header.get('to') ?? [])
      for (const a of findAddresses(v)) exclude.add(a.toLowerCase());
    let recipients: string[] = [];
    for (const v of view.header.get('x-failed-recipients') ?? []) recipients.push(...findAddresses(v));
    recipients = uniqueCi(recipients);
    if (recipients.length === 0) recipients = proseRecipients(human, exclude);
    if (recipients.length === 0) {
      for (const h of originals) {
        const to = [...(h.get('to') ?? []), ...(h.get('cc') ?? [])].flatMap(findAddresses);
        recipients = uniqueCi(to.filter((a) => !isRobotAddress(a)));
        if (recipients.length > 0) break;
      }
    }
    if (recipients.length === 0)
      return [unknown(source, `bounce without an identifiable recipient: ${tidy(human, 200) || EMPTY_BODY}`)];
    return proseDiagnostics(human, recipients.slice(0, maxRecipients)).map((f) =>
      result(source, f.recipient, 'dsn', f.text, findStatus(f.text), f.text === human ? null : human),
    );
  }

  function autoReplies(source: string, view: MailView): Draft[] {
    const from = firstAddress(field(view.header, 'from')) ?? '';
    return [
      {
        source,
        recipient: from,
        kind: 'autoreply',
        status: null,
        code: null,
        text: tidy(view.subject || 'auto-reply', maxText),
        qualification: { ...autoReply },
      },
    ];
  }

  function sesResults(source: string, list: SesRecipient[]): Draft[] {
    return list.slice(0, maxRecipients).map((r) => {
      if (r.type === 'complaint')
        return {
          source,
          recipient: r.recipient,
          kind: 'arf' as const,
          status: null,
          code: null,
          text: r.text,
          qualification: { ...complaint },
        };
      if (r.type === 'delivery')
        return {
          source,
          recipient: r.recipient,
          kind: 'delivered' as const,
          status: findStatus(r.text),
          code: findReplyCode(r.text),
          text: tidy(r.text, maxText),
          qualification: { ...delivered },
        };
      return result(
        source,
        r.recipient,
        'dsn',
        r.text,
        r.status ? findStatus(r.status) : findStatus(r.text),
        null,
      );
    });
  }

  async function process(raw: RawMail): Promise<InMailResult[]> {
    const source = raw.source;
    try {
      if (!raw.data || raw.data.length === 0) return [withOrigin(unknown(source, EMPTY_MAIL), NO_ORIGIN)];
      const cut = raw.data.length > maxBytes;
      const data = cut ? raw.data.subarray(0, maxBytes) : raw.data;
      let view: MailView;
      try {
        view = viewMailFast(data);
      } catch {
        view = await viewMail(data);
      }
      if (view.header.size === 0) return [withOrigin(unknown(source, NOT_A_MAIL), NO_ORIGIN)];
      const results = classify(source, view);
      if (cut)
        for (const r of results) r.text = tidy(`${r.text} [mail cut at ${maxBytes} bytes]`, maxText + 40);
      // one origin per mail, shared by its results (read-only)
      const v = view;
      const origin = readOrigin(v, () => splitHumanPart(v.text).original, messageHeader);
      return results.map((r) => withOrigin(r, origin));
    } catch (err) {
      return [
        withOrigin(
          unknown(source, `unreadable mail: ${err instanceof Error ? err.message : String(err)}`),
          NO_ORIGIN,
        ),
      ];
    }
  }

  function classify(source: string, view: MailView): Draft[] {
    if (looksLikeComplaint(view)) return complaints(source, view);
    const ses = readSesNotification(view.text);
    if (ses && ses.length > 0) return sesResults(source, ses);
    // recipient groups are only looked for where a recipient field occurs at all (one quick scan)
    const reports = view.parts.filter((p) => p.contentType === 'message/delivery-status');
    const groups =
      RCPT_FIELD.test(view.text) || reports.some((p) => RCPT_FIELD.test(p.content))
        ? parseDsnGroups([view.text, ...reports.map((p) => p.content)].join('\n\n'))
        : [];
    if (groups.length === 0) {
      // a bounce forwarded as an attachment (a gateway wrapping the MTA's report)
      for (const p of view.parts)
        if (p.contentType === 'message/rfc822' && RCPT_FIELD.test(p.content))
          groups.push(...parseDsnGroups(p.content));
    }
    const seenRcpt = new Set<string>();
    const validGroups = groups.filter((g) => {
      const r = (
        recipientAddress(field(g, 'final-recipient')) ?? recipientAddress(field(g, 'original-recipient'))
      )?.toLowerCase();
      if (!r || seenRcpt.has(r)) return false;
      seenRcpt.add(r);
      return true;
    });
    if (validGroups.length > 0) return dsnResults(source, view, validGroups);
    const bounce = looksLikeBounce(view);
    if (looksLikeAutoReply(view.header, view.subject) && (!bounce || autoReplySubject(view.subject)))
      return autoReplies(source, view);
    if (bounce || view.reportType === 'delivery-status') return proseResults(source, view);
    return [
      unknown(
        source,
        `not a bounce, complaint or auto-reply (subject: ${tidy(view.subject, 120) || 'none'})`,
      ),
    ];
  }

  return { process };
}

/** The origin of a mail that names no original message. */
const NO_ORIGIN: MailOrigin = Object.freeze({ messageId: '', header: '', returnPath: '' });

function withOrigin(r: Draft, origin: MailOrigin): InMailResult {
  (r as InMailResult).origin = origin;
  return r as InMailResult;
}

/** Header blocks of the original message: attached parts first, then the inline copy in the text. */
function originalHeaders(view: MailView, inline?: string): FieldBlock[] {
  const out: FieldBlock[] = [];
  for (const p of view.parts) if (isOriginalPart(p)) out.push(parseHeaderBlock(p.content));
  if (inline?.trim()) out.push(parseHeaderBlock(inline.replace(/^\s+/, '')));
  return out.filter((b) => b.size > 0);
}
