/**
 * Every folder README lists what the folder holds (issue #23 item 6): each file and sub-folder a
 * folder with a README.md has in git is named in that README (a sub-folder with its slash: `wire/`). Test files (`*.test.ts`) are named for
 * the file they test and need no entry, hidden ones (`.ci/`) neither; the root README is the project's front page, so only its
 * folders are checked there (not package.json, tsconfig.json and the other tool files).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Folder ('' for the root) -> the names of its files and sub-folders, as git tracks them. */
function entriesByFolder(): Map<string, Set<string>> {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(ROOT, f)));
  const out = new Map<string, Set<string>>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const isFolder = i < parts.length - 1;
      if (dir === '' && !isFolder) continue;
      const set = out.get(dir) ?? new Set<string>();
      out.set(dir, set);
      set.add(isFolder ? `${parts[i]}/` : parts[i]!);
    }
  }
  return out;
}

/**
 * True when `text` names `name` as a whole word: `shaper.ts` is not named by `old-shaper.ts`, and a
 * folder is named with its slash (`sweep/`, or a path into it), not by the word in prose.
 */
function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // a folder is also named by a path into it (`formats/syslog.ts`)
  return new RegExp(`(?<![\\w.-])${escaped}${name.endsWith('/') ? '' : '(?![\\w-])'}`).test(text);
}

/** What each README misses, as `folder/README.md: name`. */
function missingFromReadmes(): string[] {
  const missing: string[] = [];
  for (const [dir, names] of entriesByFolder()) {
    const readme = join(ROOT, dir, 'README.md');
    if (!existsSync(readme)) continue;
    const text = readFileSync(readme, 'utf8');
    for (const name of [...names].sort()) {
      if (name === 'README.md' || name.startsWith('.') || /\.test\.ts$/.test(name)) continue;
      if (!mentions(text, name)) missing.push(`${dir === '' ? '' : `${dir}/`}README.md: ${name}`);
    }
  }
  return missing;
}

it('every folder README names each of its files and sub-folders', () => {
  expect(missingFromReadmes()).toEqual([]);
});
