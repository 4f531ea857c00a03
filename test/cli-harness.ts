/**
 * Runs the real `mxlab` binary (bin/mxlab.mjs) in a scratch folder, as a user would, and returns its
 * exit code and output; shared by the CLI tests. The folder goes when the test file ends.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';

const run = promisify(execFile);
export const BIN = join(import.meta.dirname, '..', 'bin', 'mxlab.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A scratch working folder (removed after the file's tests) and an `mxlab(...args)` that runs there. */
export function cliHarness(prefix: string): {
  dir: string;
  mxlab: (...args: string[]) => Promise<CliResult>;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  async function mxlab(...args: string[]): Promise<CliResult> {
    try {
      const r = await run(process.execPath, [BIN, ...args], { cwd: dir, timeout: 60_000 });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as CliResult;
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }
  return { dir, mxlab };
}
