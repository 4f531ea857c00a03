/**
 * The runner, as a library, changes nothing process-wide: importing it and running a scenario leave
 * `gc` unexposed, in this context and in a new one (V8's `--expose-gc` set at run time through
 * `v8.setFlagsFromString` shows in contexts created after it). The full garbage collection between
 * the simulation and the store's close is the CLI's and the sweep workers' choice: they start node
 * with `--expose-gc`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { cliNodeFlags } from '../scripts/cli-node-flags.ts';
import { CHILD_EXEC_ARGV } from '../sweep/process-pool.ts';

const ROOT = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'mxlab-flags-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Imports the runner in a fresh node (no --expose-gc), runs a tiny scenario, reports `typeof gc`. */
const CHILD = `
import { runInNewContext } from 'node:vm';
const seen = { imported: typeof gc };
const { defineScenario, runScenario } = await import('./runner/index.ts');
seen.afterImport = typeof gc;
const scenario = defineScenario({
  name: 'tiny', seed: 1, horizon: '1d',
  population: { size: 50, mix: 'consumer-us' },
  deliveries: [{ name: 'd', at: 'day1 06:00' }],
});
const r = await runScenario(scenario, { out: process.argv[1], openStore: false });
seen.targeted = r.summary.messages.targeted;
seen.afterRun = typeof gc;
seen.newContext = runInNewContext('typeof gc');
console.log(JSON.stringify(seen));
`;

it('importing the runner and running a scenario expose no gc (no process-wide V8 flag)', async () => {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', CHILD, join(out, 'tiny')],
    { cwd: ROOT, env, timeout: 60_000 },
  );
  expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual({
    imported: 'undefined',
    afterImport: 'undefined',
    targeted: 50,
    afterRun: 'undefined',
    newContext: 'undefined',
  });
});

it('the CLI and the sweep workers start node with --expose-gc', () => {
  expect(cliNodeFlags()).toContain('--expose-gc');
  expect(CHILD_EXEC_ARGV).toContain('--expose-gc');
});
