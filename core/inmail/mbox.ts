/**
 * mbox files as bytes already read: recognising one, and splitting it on `From ` separator lines
 * (mboxrd `>From ` unquoted). node/read-mailbox.ts reads the files.
 */
import { toLf } from './line-ends.ts';

/** True when the bytes start like an mbox file (a `From ` separator line). */
export function isMbox(data: Buffer): boolean {
  return (
    data.length > 5 &&
    data.toString('latin1', 0, 5) === 'From ' &&
    /^From \S+[^\r\n]*[\r\n]/.test(data.toString('latin1', 0, 512))
  );
}

/**
 * Splits an mbox into mails: a separator is a line starting with `From ` at the start of the file or
 * after an empty line; `>From ` (any number of `>`) inside a mail loses one `>` (mboxrd). A file with
 * CR-only or mixed line endings is read as LF (line-ends.ts).
 */
export function splitMbox(data: Buffer): Buffer[] {
  const text = toLf(data.toString('latin1'));
  const out: Buffer[] = [];
  const sep = /(?:^|\n(?:\r?\n))From [^\n]*\n/g;
  const starts: { at: number; body: number }[] = [];
  for (let m = sep.exec(text); m; m = sep.exec(text)) {
    const lead = m[0].startsWith('\n') ? m[0].indexOf('From ') : 0;
    starts.push({ at: m.index + lead, body: m.index + m[0].length });
  }
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? starts[i + 1]!.at : text.length;
    let mail = text.slice(starts[i]!.body, end);
    mail = mail.replace(/^>(>*From )/gm, '$1');
    out.push(Buffer.from(mail, 'latin1'));
  }
  return out;
}
