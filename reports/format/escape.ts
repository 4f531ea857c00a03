/**
 * Escaping for every text that came from a remote server or a user (reply texts, rule names,
 * addresses, domains) before it goes into HTML, Markdown or CSV.
 */

const HTML: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** HTML-escapes text for element content and quoted attribute values. null/undefined give ''. */
export function escapeHtml(s: unknown): string {
  if (s === null || s === undefined) return '';
  return String(s).replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * Makes text safe inside a GitHub Markdown table cell: HTML-escaped (GitHub renders inline HTML),
 * pipes, backticks, brackets and emphasis markers escaped, line breaks flattened, length capped.
 */
export function escapeMarkdownCell(s: unknown, max = 120): string {
  if (s === null || s === undefined) return '';
  let t = String(s).replace(/[\r\n\t]+/g, ' ');
  if (t.length > max) t = `${t.slice(0, max - 1)}…`;
  return escapeHtml(t).replace(/[|\\`*_[\]]/g, (c) => `\\${c}`);
}

/**
 * One CSV field (RFC 4180): quoted when needed, quotes doubled. Text starting with `=`, `+`, `-`, `@`
 * gets a leading `'` so that a spreadsheet does not run a remote server's text as a formula.
 */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
