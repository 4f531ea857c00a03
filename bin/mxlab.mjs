#!/usr/bin/env -S node --max-semi-space-size=64 --expose-gc
// The `mxlab` command. Runs the compiled package (dist/, built by `npm run build`, which `npm ci`
// and `npm pack` run as `prepare`). In a checkout it runs the TypeScript sources through tsx instead
// when MXLAB_SOURCE=1 (the tests set it) or when a source or data file is newer than the build, so
// an edit is never hidden behind a stale dist/.
// The young generation may grow to 64 MB semi-spaces: a run keeps much of what it allocates for a
// while (addresses, queued messages), so with the default each scavenge copies survivors again
// (1M baseline: 11.0 -> 10.4 s, peak RSS 1.2 -> 1.27 GB; scripts/bench-run.ts reads these flags).
// `gc` is exposed so that the runner hands the simulation's memory back before DuckDB builds the
// final tables (runner/run-scenario.ts's collectGarbage; a library sets no V8 flag itself).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const stamp = new URL('dist/.build-stamp', root);
const inCheckout = existsSync(new URL('cli/main.ts', root));

/** Whether a file under the compiled folders changed after the build (a checkout only). */
function staleBuild() {
  const built = statSync(stamp).mtimeMs;
  // the folders the build compiled, as it wrote them in the stamp (scripts/build.mjs); a stamp
  // without them is from an older build: stale
  let folders;
  try {
    folders = JSON.parse(readFileSync(stamp, 'utf8')).folders;
  } catch {
    return true;
  }
  if (!Array.isArray(folders)) return true;
  for (const dir of folders) {
    const base = new URL(`${dir}/`, root);
    for (const f of readdirSync(base, { recursive: true })) {
      if (statSync(new URL(f, base)).mtimeMs > built) return true;
    }
  }
  return false;
}

const fromSource = inCheckout && (process.env.MXLAB_SOURCE === '1' || !existsSync(stamp) || staleBuild());
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
} else {
  await import('../dist/cli/main.js');
}
