#!/usr/bin/env node
/**
 * `npm run build` (also `prepare`, so `npm ci` and `npm pack` build): compiles the TypeScript sources
 * to JavaScript and `.d.ts` in dist/ with tsc (tsconfig.build.json), then copies beside them the data
 * files the code reads at run time through `new URL('./x', import.meta.url)` (rules, profiles, mixes,
 * the catalog, store/schema.sql, JSON schemas), dereferencing symlinks (npm pack
 * leaves symlinks out). Ends by writing dist/.build-stamp, which bin/mxlab.mjs compares with the
 * sources of a checkout so that it never runs a stale build.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { $ } from 'zx';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
/** The folders compiled into dist/: tsconfig.build.json's `include`, their one list. */
export const SOURCE_DIRS = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')).include;
/** Data files read at run time, by extension. */
const DATA = /\.(ya?ml|json|sql)$/;
/** Folders that hold tests' inputs only. */
const NOT_SHIPPED = /(^|\/)(fixtures|test-helpers)(\/|$)/;

const started = performance.now();
rmSync(DIST, { recursive: true, force: true });
$.verbose = false;
$.cwd = ROOT;
await $`npx tsc -p tsconfig.build.json`;
let copied = 0;
for (const dir of SOURCE_DIRS) {
  cpSync(join(ROOT, dir), join(DIST, dir), {
    recursive: true,
    dereference: true,
    filter: (src) => {
      const rel = relative(ROOT, src);
      if (NOT_SHIPPED.test(rel)) return false;
      if (statSync(src).isDirectory()) return true;
      const keep = DATA.test(rel);
      if (keep) copied++;
      return keep;
    },
  });
}
// cpSync creates folders that held only sources or tests: drop the empty ones
function dropEmpty(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true }))
    if (e.isDirectory()) dropEmpty(join(dir, e.name));
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}
dropEmpty(DIST);
// beside each YAML data file its value as JSON (FILE.parsed, read by node/data-file.ts's
// loadDataFile when fresh): parsing the shipped rules is a third of `mxlab qualify`'s start. Written
// only when the YAML parses (the loader then reports its errors) and survives JSON unchanged.
let sidecars = 0;
function writeSidecars(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) writeSidecars(path);
    else if (/\.ya?ml$/.test(e.name)) {
      const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: false, uniqueKeys: true });
      if (doc.errors.length > 0) continue;
      const value = doc.toJS({ maxAliasCount: 1000 });
      const json = JSON.stringify(value);
      if (json === undefined || !isDeepStrictEqual(JSON.parse(json), value)) continue;
      writeFileSync(`${path}.parsed`, json);
      sidecars++;
    }
  }
}
writeSidecars(DIST);
mkdirSync(DIST, { recursive: true });
// the stamp names the compiled folders, so bin/mxlab.mjs's stale-build check walks the same ones
writeFileSync(
  join(DIST, '.build-stamp'),
  `${JSON.stringify({ builtAt: new Date().toISOString(), folders: SOURCE_DIRS })}\n`,
);
process.stdout.write(
  `dist/: built in ${((performance.now() - started) / 1000).toFixed(1)} s (${copied} data files, ${sidecars} parsed)\n`,
);
