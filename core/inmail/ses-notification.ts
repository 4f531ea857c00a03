/**
 * Amazon SES notifications delivered by mail (SNS e-mail subscriptions): a JSON document with
 * `notificationType` Bounce, Complaint or Delivery instead of a MIME report.
 */

/** One recipient of an SES notification. */
export interface SesRecipient {
  recipient: string;
  type: 'bounce' | 'complaint' | 'delivery';
  status: string | null;
  text: string;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Reads an SES notification from the text of a mail; null when the text is not one. */
export function readSesNotification(text: string): SesRecipient[] | null {
  const at = text.indexOf('{"notificationType"');
  const alt =
    at >= 0 ? at : text.includes('"notificationType"') ? text.search(/\{\s*"notificationType"/) : -1;
  if (alt < 0) return null;
  const end = text.lastIndexOf('}');
  if (end <= alt) return null;
  let doc: Record<string, unknown> | null;
  try {
    doc = asRecord(JSON.parse(text.slice(alt, end + 1)));
  } catch {
    return null;
  }
  if (!doc) return null;
  const kind = String(doc.notificationType ?? '').toLowerCase();
  const out: SesRecipient[] = [];
  if (kind === 'bounce') {
    const b = asRecord(doc.bounce);
    const list = Array.isArray(b?.bouncedRecipients) ? b.bouncedRecipients : [];
    for (const r of list) {
      const rec = asRecord(r);
      const addr = str(rec?.emailAddress);
      if (!addr) continue;
      const diag =
        str(rec?.diagnosticCode) ?? `${str(b?.bounceType) ?? ''} ${str(b?.bounceSubType) ?? ''}`.trim();
      out.push({ recipient: addr, type: 'bounce', status: str(rec?.status), text: diag });
    }
  } else if (kind === 'complaint') {
    const c = asRecord(doc.complaint);
    const list = Array.isArray(c?.complainedRecipients) ? c.complainedRecipients : [];
    for (const r of list) {
      const addr = str(asRecord(r)?.emailAddress);
      if (addr)
        out.push({
          recipient: addr,
          type: 'complaint',
          status: null,
          text: `Feedback-Type: ${str(c?.complaintFeedbackType) ?? 'abuse'}`,
        });
    }
  } else if (kind === 'delivery') {
    const d = asRecord(doc.delivery);
    const list = Array.isArray(d?.recipients) ? d.recipients : [];
    for (const r of list) {
      const addr = str(r);
      if (addr)
        out.push({
          recipient: addr,
          type: 'delivery',
          status: null,
          text: str(d?.smtpResponse) ?? 'delivered',
        });
    }
  } else return null;
  return out;
}
