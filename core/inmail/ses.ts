/**
 * Amazon SES notifications (JSON in the mail, read by ses-notification.ts): one result per
 * recipient, a complaint (`arf`), a delivery or a bounce (`dsn`).
 */
import { findReplyCode, findStatus, tidy } from './diagnostic.ts';
import { type Draft, diagnosticResult, type InMailSettings } from './draft.ts';
import type { SesRecipient } from './ses-notification.ts';

/** The results of an SES notification's recipients. */
export function sesResults(s: InMailSettings, source: string, list: SesRecipient[]): Draft[] {
  return list.slice(0, s.maxRecipients).map((r) => {
    if (r.type === 'complaint')
      return {
        source,
        recipient: r.recipient,
        kind: 'arf' as const,
        status: null,
        code: null,
        text: r.text,
        qualification: { ...s.complaint },
      };
    if (r.type === 'delivery')
      return {
        source,
        recipient: r.recipient,
        kind: 'delivered' as const,
        status: findStatus(r.text),
        code: findReplyCode(r.text),
        text: tidy(r.text, s.maxText),
        qualification: { ...s.delivered },
      };
    return diagnosticResult(
      s,
      source,
      r.recipient,
      'dsn',
      r.text,
      r.status ? findStatus(r.status) : findStatus(r.text),
      null,
    );
  });
}
