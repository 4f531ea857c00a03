/**
 * Writes raw mails into a Maildir (`tmp/`, `new/`, `cur/`): each mail is written to `tmp/` then
 * renamed into `new/`, as a delivery agent does. File names are deterministic from the order.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawMail } from '../../core/ports.ts';

/** Creates the Maildir folders if needed. */
export function ensureMaildir(dir: string): void {
  for (const sub of ['tmp', 'new', 'cur']) mkdirSync(join(dir, sub), { recursive: true });
}

/**
 * Writes `mails` into `dir/new/`; returns the paths written. `startIndex` continues a numbering
 * across calls so names never collide (`000001.mxlab.<source>`).
 */
export function writeMaildir(dir: string, mails: readonly RawMail[], startIndex = 0): string[] {
  ensureMaildir(dir);
  const paths: string[] = [];
  mails.forEach((m, k) => {
    const name = `${String(startIndex + k + 1).padStart(6, '0')}.mxlab.${m.source.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    const tmp = join(dir, 'tmp', name);
    const dest = join(dir, 'new', name);
    writeFileSync(tmp, m.data);
    renameSync(tmp, dest);
    paths.push(dest);
  });
  return paths;
}
