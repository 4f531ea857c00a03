/**
 * Reading SMTP reply codes and RFC 3463 status codes out of diagnostic text, and tidying that text.
 */

const STATUS = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/;
const CODE_BEFORE_STATUS = /(?<![\d.])([245]\d\d)[ -]#?[245]\.\d{1,3}\.\d{1,3}(?![\d]|\.\d)/;
const CODE_AT_START = /(?:^|\n|said:|<<<|\)|;|:)[ \t]*([245][0-5]\d)(?:[ -]|$)(?!\d)/;

/** The first RFC 3463 status code in `text` (`5.1.1`), or null. IP addresses are not mistaken for one. */
export function findStatus(text: string): string | null {
  const m = STATUS.exec(text);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : null;
}

/** The first SMTP reply code in `text` (a code followed by a status code, or at a line start / after `said:`), or null. */
export function findReplyCode(text: string): number | null {
  const m = CODE_BEFORE_STATUS.exec(text) ?? CODE_AT_START.exec(text);
  return m ? Number(m[1]) : null;
}

/** Collapses runs of white space into one space and caps the length. */
export function tidy(text: string, maxLength: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > maxLength ? `${t.slice(0, maxLength - 1)}…` : t;
}

/** `smtp; 550 5.1.1 ...` → `550 5.1.1 ...`: drops the diagnostic type of a Diagnostic-Code field. */
export function stripDiagnosticType(value: string): string {
  return value.replace(/^\s*[A-Za-z][A-Za-z0-9-]*\s*;\s*/, '');
}
