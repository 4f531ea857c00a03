/**
 * `mxlab sweep` and `mxlab merge` through the real command (node bin/mxlab.mjs): bad grid keys and
 * values exit 2 naming them before any run starts; a run that fails at run time exits 1 with its
 * error in the aggregate; merging folders of different sweeps exits 2.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/mxlab.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'mxlab-sweep-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function mxlab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('mxlab sweep: bad input', () => {
  // more cases in sweep/plan-sweep.test.ts (same functions, no process start)
  it.concurrent.each([
    [['--grid', 'mta.nope=1,2'], 'mta.nope=1: mta.nope: unknown field'],
    [['--grid', 'mta.localIps=2,0'], 'mta.localIps=0: mta.localIps'],
  ])('%j exits 2 naming it, before any run', async (extra, message) => {
    const out = join(root, `bad-${Math.random().toString(36).slice(2)}`);
    const r = await mxlab(['sweep', 'baseline', '--seeds', '1', '--out', out, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });
});

describe('mxlab sweep and merge', () => {
  it('a run failing at run time exits 1 and is recorded; merging other sweeps exits 2', async () => {
    const bad = join(root, 'bad-rules.yaml');
    writeFileSync(bad, 'rules:\n  - this is: [not valid\n');
    const out = join(root, 'runtime');
    const r = await mxlab([
      'sweep',
      'baseline',
      '--grid',
      `rules.inbound=default,${bad}`,
      '--seeds',
      '1',
      '--recipients',
      '100',
      '--workers',
      '2',
      '--out',
      out,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 ok, 1 failed');
    const agg = JSON.parse(readFileSync(join(out, 'aggregate.json'), 'utf8'));
    expect(agg.points[0].errors).toEqual([]);
    expect(agg.points[1].errors[0].error).toContain('bad-rules.yaml');
    expect(readFileSync(join(out, 'summaries.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);

    // a folder of another sweep: same scenario, another grid
    const other = join(root, 'other');
    const manifest = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    manifest.sweepId = 'something-else';
    manifest.axes = [{ key: 'mode', values: ['legacy'] }];
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'sweep.json'), JSON.stringify(manifest));
    const m = await mxlab(['merge', out, other, '--out', join(root, 'merged')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('is not a shard of the same sweep');
    expect(m.stderr).toContain('different grids');
  });
});
