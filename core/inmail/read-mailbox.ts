/**
 * Mailbox readers for inMail: a single .eml file, a directory (recursive, names sorted), a Maildir
 * (`cur/` and `new/`) or an mbox file (split on `From ` separator lines, mboxrd `>From ` unquoted).
 * Each mail's `source` is the path as given joined with the path under it; mails of an mbox get
 * `#n` (1-based). Mails may have LF, CRLF or CR-only line endings. An unreadable path rejects with an error whose `code` is `MXLAB_INMAIL_READ`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawMail } from '../ports.ts';
import { toLf } from './line-ends.ts';

/** A path inMail cannot read. */
export class MailboxReadError extends Error {
  readonly code = 'MXLAB_INMAIL_READ';
  readonly exitCode = 2;
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'MailboxReadError';
  }
}

async function statOrFail(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new MailboxReadError(
      path,
      e.code === 'ENOENT' ? 'no such file or directory' : `cannot read (${e.code ?? e.message})`,
    );
  }
}

async function readOrFail(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new MailboxReadError(path, `cannot read (${e.code ?? e.message})`);
  }
}

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

async function* fromFile(path: string): AsyncGenerator<RawMail> {
  const data = await readOrFail(path);
  if (isMbox(data)) {
    const mails = splitMbox(data);
    for (let i = 0; i < mails.length; i++) yield { source: `${path}#${i + 1}`, data: mails[i]! };
  } else yield { source: path, data };
}

async function* fromDir(path: string): AsyncGenerator<RawMail> {
  let names: string[];
  try {
    names = (await readdir(path)).sort();
  } catch (err) {
    throw new MailboxReadError(path, `cannot list (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const maildir = names.includes('cur') && names.includes('new');
  for (const name of names) {
    if (name.startsWith('.')) continue;
    if (maildir && name === 'tmp') continue; // mails being written, not delivered yet
    const child = join(path, name);
    const st = await statOrFail(child);
    if (st.isDirectory()) yield* fromDir(child);
    else if (st.isFile()) yield* fromFile(child);
  }
}

/** Reads every mail under `path` (file, directory, Maildir or mbox), in a stable order. */
export async function* readMailbox(path: string): AsyncGenerator<RawMail> {
  const st = await statOrFail(path);
  if (st.isDirectory()) yield* fromDir(path);
  else if (st.isFile()) yield* fromFile(path);
  else throw new MailboxReadError(path, 'not a file or directory');
}
