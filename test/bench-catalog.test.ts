/**
 * scripts/bench-catalog.ts reports a run that does not end in time as TIMEOUT and exits 1, instead of
 * hanging (issue #19: ip-warmup at 200,000 recipients never ends on today's code); bad options exit 2.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'bench-catalog.ts');
const TSX = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');

async function bench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(TSX, [SCRIPT, ...args], { timeout: 150_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('bench-catalog', () => {
  it('kills a run past --timeout, reports it as TIMEOUT and exits 1', async () => {
    const t0 = performance.now();
    const r = await bench('--only', 'baseline', '--recipients', '100000', '--timeout', '2');
    expect(r.stdout).toMatch(/^baseline\s+100,000\s+>2\s+-.*TIMEOUT$/m);
    expect(r.stdout).toMatch(/1 of 1 not ok: baseline TIMEOUT/);
    expect(r.code).toBe(1);
    // a 100,000-recipient baseline takes far longer than the time this took
    expect(performance.now() - t0).toBeLessThan(90_000);
  }, 150_000);

  it('a bad option is one line naming it, exit 2', async () => {
    const r = await bench('--scale', 'big');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("bench-catalog: --scale: expected a positive number, got 'big'");
  }, 150_000);
});
