/**
 * Mailbox readers for inMail: a single .eml file, a directory (recursive, names sorted), a Maildir
 * (`cur/` and `new/`) or an mbox file (split on `From ` separator lines, mboxrd `>From ` unquoted).
 * Each mail's `source` is the path as given joined with the path under it; mails of an mbox get
 * `#n` (1-based). Mails may have LF, CRLF or CR-only line endings (core/inmail/mbox.ts splits an
 * mbox). An unreadable path rejects with an error whose `code` is `MXLAB_INMAIL_READ`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isMbox, splitMbox } from '../core/inmail/mbox.ts';
import type { RawMail } from '../core/ports.ts';

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
