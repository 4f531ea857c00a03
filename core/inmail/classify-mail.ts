/**
 * Tells what kind of mail a technical-mailbox mail is from its header and structure, before any
 * recipient is read: complaint (ARF or a provider's feedback-loop format), auto-reply (RFC 3834), bounce.
 */
import type { FieldBlock } from './header-block.ts';
import { field } from './header-block.ts';
import type { MailView } from './mail-view.ts';

const BOUNCE_SENDER = /(?:mailer-daemon|post_?master|mail-daemon|mail delivery|mdaemon|mailer|bounce)/i;
const BOUNCE_SUBJECT =
  /(?:undeliver|undelivered|delivery (?:status|failure|failed|notification|report|problem)|returned mail|mail delivery|failure notice|non[- ]?delivery|nondeliverable|could not be delivered|delivery has failed|mail system error|warning: could not|rejected|returned to sender|mail failure|error sending|permanent error|\bbounce|NDN|NDR\b|エラー|不達|配信(?:不能|失敗|できません)|返送)/i;
const AUTOREPLY_SUBJECT =
  /(?:out of (?:the )?office|auto(?:matic|matische)?[- ]?(?:reply|response|antwort|answer)|autoreply|vacation|away until|away from|on leave|abwesen|absence|r[ée]ponse automatique|risposta automatica|respuesta autom[aá]tica|\bOOO\b)/i;
const COMPLAINT_SUBJECT = /(?:complaint about message|abuse report|spam report|feedback loop|fbl report)/i;

/** True when the header says the mail is a complaint in a non-RFC 5965 format (Hotmail JMRP and the like). */
export function looksLikeComplaint(view: MailView): boolean {
  if (view.reportType === 'feedback-report') return true;
  if (view.header.has('x-hmxmroriginalrecipient')) return true;
  if (view.parts.some((p) => p.contentType === 'message/feedback-report')) return true;
  if (
    /^Feedback-Type:[ \t]*\S/im.test(view.text) &&
    /^(?:Original-Rcpt-To|Original-Mail-From|User-Agent):/im.test(view.text)
  )
    return true;
  return COMPLAINT_SUBJECT.test(view.subject) && view.parts.some(isOriginalPart);
}

/** A part that carries the original message or its header. */
export function isOriginalPart(p: { contentType: string }): boolean {
  return (
    p.contentType === 'message/rfc822' ||
    p.contentType === 'text/rfc822-headers' ||
    p.contentType === 'message/rfc822-headers'
  );
}

/** True when the sender or subject say "mail system bounce". */
export function looksLikeBounce(view: MailView): boolean {
  const from = field(view.header, 'from') ?? '';
  return (
    BOUNCE_SENDER.test(from) ||
    BOUNCE_SUBJECT.test(view.subject) ||
    view.header.has('x-failed-recipients') ||
    (field(view.header, 'return-path') ?? '').trim() === '<>'
  );
}

/** True when the header or subject say "auto-reply" (RFC 3834 and the common non-standard signs). */
export function looksLikeAutoReply(header: FieldBlock, subject: string): boolean {
  const auto = (field(header, 'auto-submitted') ?? '').toLowerCase();
  const precedence = (field(header, 'precedence') ?? '').toLowerCase();
  return (
    auto.startsWith('auto-replied') ||
    header.has('x-autoreply') ||
    header.has('x-autorespond') ||
    header.has('x-autoreply-from') ||
    (field(header, 'x-auto-response-suppress') !== undefined && AUTOREPLY_SUBJECT.test(subject)) ||
    precedence === 'auto_reply' ||
    AUTOREPLY_SUBJECT.test(subject)
  );
}

/** True when the subject is the kind an auto-reply has (stronger than a header alone). */
export function autoReplySubject(subject: string): boolean {
  return AUTOREPLY_SUBJECT.test(subject);
}
