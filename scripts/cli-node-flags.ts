/**
 * The Node flags `npx mxlab` runs with: those of bin/mxlab.mjs's `#!/usr/bin/env -S node ...` line.
 * Benchmarks that start a run in a child process use them, so that they measure what users run.
 */
import { readFileSync } from 'node:fs';

export function cliNodeFlags(): string[] {
  const first = readFileSync(new URL('../bin/mxlab.mjs', import.meta.url), 'utf8').split('\n', 1)[0]!;
  const m = /^#!\/usr\/bin\/env(?: -S)? node(.*)$/.exec(first);
  if (!m) throw new Error(`bin/mxlab.mjs: unexpected first line: ${first}`);
  return m[1]!.trim().split(/\s+/).filter(Boolean);
}
