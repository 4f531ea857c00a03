/**
 * The shared builder of inMail's results: the settings every mail kind's reader is given, and the
 * draft results (before the mail's origin is attached) they return: `unknownResult` and
 * `diagnosticResult`, which qualifies a failure's diagnostic text with the inbound rules.
 */
import type { ParsedReply, Qualification } from '../types.ts';
import { domainOf } from './addresses.ts';
import { findReplyCode, findStatus, tidy } from './diagnostic.ts';
import { UNKNOWN_QUALIFICATION } from './outcomes.ts';
import type { InMailKind, InMailQualifier, InMailResult } from './types.ts';

/** A result before the mail's origin is attached (once per mail, in inmail.ts). */
export type Draft = Omit<InMailResult, 'origin'>;

/** inMail's options with their defaults applied (inmail.ts `createInMail`). */
export interface InMailSettings {
  qualifier: InMailQualifier;
  /** length of the diagnostic text kept in a result */
  maxText: number;
  /** results per mail at most */
  maxRecipients: number;
  complaint: Qualification;
  autoReply: Qualification;
  delivered: Qualification;
  /** a postmaster-type sender's technical notice naming no recipient */
  postmaster: Qualification;
  /** RFC 3463 codes whose rule outranks the prose around them */
  decisive: ReadonlySet<string>;
}

/** What an `unknown` result says of a mail whose text is empty (see inmail.ts `isNotAMail`). */
export const EMPTY_BODY = '(empty body)';

/** A result of kind `unknown` whose text says why. */
export function unknownResult(source: string, text: string, recipient = ''): Draft {
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
  s: InMailSettings,
  recipient: string,
  text: string,
  status: string | null,
): Qualification & { code: number | null } {
  const found = findReplyCode(text);
  // a failure report carries no success code: a 2xx/3xx seen in a transcript is not the answer
  const code = found !== null && found >= 400 ? found : null;
  const reply: ParsedReply = { parseable: code !== null, code, enhanced: status, text, raw: text };
  return { ...s.qualifier.qualify(reply, { phase: 'async', domain: domainOf(recipient) }), code };
}

/**
 * A failed recipient's result, qualified from its diagnostic `text` (and `status`); a decisive status
 * outranks the text when `statusFirst`, and `fallbackText` is tried when the text says nothing.
 */
export function diagnosticResult(
  s: InMailSettings,
  source: string,
  recipient: string,
  kind: InMailKind,
  text: string,
  status: string | null,
  fallbackText: string | null,
  statusFirst = true,
): Draft {
  let diag = tidy(text, s.maxText);
  let q = qualifyDiagnostic(s, recipient, diag, status);
  if (statusFirst && status !== null && s.decisive.has(status) && q.rule !== null) {
    // an RFC 3463 code that names the failure exactly outranks the prose around it
    const byStatus = qualifyDiagnostic(s, recipient, status, status);
    if (byStatus.type !== 'undefined') q = { ...byStatus, code: q.code };
  }
  if (q.reason === 0 && q.type === 'undefined' && fallbackText) {
    const alt = tidy(fallbackText, s.maxText);
    const q2 = qualifyDiagnostic(s, recipient, alt, status ?? findStatus(alt));
    if (q2.type !== 'undefined') {
      q = q2;
      diag = alt;
    }
  }
  const { code, ...qualification } = q;
  return { source, recipient, kind, status, code, text: diag, qualification };
}
