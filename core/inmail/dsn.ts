/**
 * Delivery status notifications (RFC 3464): the recipient groups of a report (in the text, in
 * `message/delivery-status` parts, or in a report forwarded as an attachment) and one result per
 * group: `delivered` for a success action, else `dsn` qualified from the Diagnostic-Code, the
 * Status field's comment or the prose a person wrote about that recipient.
 */
import { recipientAddress } from './addresses.ts';
import { findReplyCode, findStatus, stripDiagnosticType, tidy } from './diagnostic.ts';
import { type Draft, diagnosticResult, type InMailSettings } from './draft.ts';
import { type FieldBlock, field, parseDsnGroups } from './header-block.ts';
import type { MailView } from './mail-view.ts';
import { proseDiagnostics, splitHumanPart } from './text-bounce.ts';

const LOCAL_MAILER_TYPE = /^\s*x-unix\s*;/i;
/** A DSN recipient field at a line start (RFC 3464 §2.3.1-2). */
const RCPT_FIELD = /^(?:final|original)-recipient[ \t]*:/im;
/** Where the machine-readable part of a report starts in the text. */
const REPORT_START = /^(?:Reporting-MTA|Final-Recipient|Original-Recipient)[ \t]*:/im;
const SUCCESS_ACTIONS = new Set(['delivered', 'relayed', 'expanded']);

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

/** The recipient groups of a mail, one per recipient (the first group naming it); [] when it is no DSN. */
export function findDsnGroups(view: MailView): FieldBlock[] {
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
  return groups.filter((g) => {
    const r = (
      recipientAddress(field(g, 'final-recipient')) ?? recipientAddress(field(g, 'original-recipient'))
    )?.toLowerCase();
    if (!r || seenRcpt.has(r)) return false;
    seenRcpt.add(r);
    return true;
  });
}

/** The results of a DSN's recipient groups (from {@link findDsnGroups}). */
export function dsnResults(s: InMailSettings, source: string, view: MailView, groups: FieldBlock[]): Draft[] {
  const reportAt = view.text.search(REPORT_START);
  const { human } = splitHumanPart(reportAt < 0 ? view.text : view.text.slice(0, reportAt));
  const out: Draft[] = [];
  const recipients = groups.map(
    (g) =>
      recipientAddress(field(g, 'final-recipient')) ?? recipientAddress(field(g, 'original-recipient')) ?? '',
  );
  const prose = proseDiagnostics(
    human,
    recipients.filter((r) => r !== ''),
  );
  for (let i = 0; i < groups.length && out.length < s.maxRecipients; i++) {
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
        text: tidy(diagField || `Action: ${action}`, s.maxText),
        qualification: { ...s.delivered },
      });
      continue;
    }
    const informative = /[A-Za-z]{3,}/.test(diagField.replace(/\b(?:smtp|x-[a-z-]+)\b/gi, ''));
    const r = diagnosticResult(
      s,
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
