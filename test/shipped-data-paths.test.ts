/**
 * No shipped data file (the YAML, JSON and SQL files `npm run build` copies into dist/: rule sets,
 * profiles, the catalog, schemas) cites a path outside the repository: an installed package or
 * another checkout has no such path. Absolute paths under the usual roots count, and relative paths
 * that, read from the file's folder, leave the repository or name nothing in it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
/** The folders compiled into dist/ (tsconfig.build.json's `include`, as scripts/build.mjs reads it). */
const SHIPPED: string[] = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')).include;
/** scripts/build.mjs's data files and the folders it leaves out. */
const DATA = /\.(ya?ml|json|sql)$/;
const NOT_SHIPPED = /(^|\/)(fixtures|test-helpers)(\/|$)/;

const ABSOLUTE =
  /(?<![\w:/.}])(?:~\/|file:\/\/|\/(?:work|home|Users|root|tmp|mnt|opt|srv|var|etc)\/)[^\s"')]*/g;
const RELATIVE = /(?<![\w/.])(?:\.\.\/)+[\w.-]+(?:\/[\w.-]+)*/g;

/** The paths outside the repository that `text`, the text of `file`, cites. */
function pathsOutside(text: string, file: string): string[] {
  const out = [...text.matchAll(ABSOLUTE)].map((m) => m[0]);
  for (const m of text.matchAll(RELATIVE)) {
    const target = resolve(dirname(file), m[0]);
    if (relative(ROOT, target).startsWith('..') || !existsSync(target)) out.push(m[0]);
  }
  return out;
}

function dataFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (NOT_SHIPPED.test(relative(ROOT, path))) return [];
    if (statSync(path).isDirectory()) return dataFiles(path);
    return DATA.test(name) ? [path] : [];
  });
}

describe('shipped data files', () => {
  it('spots the paths it looks for (the rule description issue #23 found)', () => {
    const file = join(ROOT, 'core/qualification/rules/default/50-providers.yaml');
    expect(pathsOutside('quoted in /work/shared/corpus/smtp-replies.jsonl (so', file)).toEqual([
      '/work/shared/corpus/smtp-replies.jsonl',
    ]);
    expect(pathsOutside('the corpus in ../shared/corpus beside it', file)).toEqual(['../shared/corpus']);
    expect(pathsOutside('the class map in ../momentum-classes.yaml', file)).toEqual([]);
    expect(pathsOutside('https://service.mail.qq.com/detail/122/172 and /detail/122/173', file)).toEqual([]);
  });

  it('cite no path outside the repository', () => {
    const files = SHIPPED.flatMap((dir) => dataFiles(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) =>
      pathsOutside(readFileSync(f, 'utf8'), f).map((p) => `${relative(ROOT, f)}: ${p}`),
    );
    expect(found).toEqual([]);
  });
});
