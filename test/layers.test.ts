/**
 * The layer rules (.dependency-cruiser.cjs, run by `npm run lint:layers` in `npm test`) catch a wrong
 * import: a scratch tree laid out like the repository, with one deliberately wrong import per rule,
 * is cruised with the project's own configuration, and each rule must name its offender. A right
 * import in the same tree must pass, so the rules are not simply rejecting everything. Two stand-in
 * npm packages sit in its node_modules/, one (yaml) with its entry under dist/ as the real one has:
 * the cruise's `exclude` must not hide it.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const run = promisify(execFile);

const tree = mkdtempSync(join(tmpdir(), 'mxlab-layers-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(tree, path)), { recursive: true });
  writeFileSync(join(tree, path), text);
}

async function cruise(...dirs: string[]): Promise<{ code: number; out: string }> {
  const args = [
    DEPCRUISE,
    '--config',
    join(ROOT, '.dependency-cruiser.cjs'),
    '--output-type',
    'err',
    ...dirs,
  ];
  try {
    const r = await run(process.execPath, args, { cwd: tree, timeout: 60_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('layer rules', () => {
  copyFileSync(join(ROOT, 'tsconfig.json'), join(tree, 'tsconfig.json'));
  write('engine/index.ts', 'export const e = 1;\n');
  write('node_modules/zod/package.json', '{"name":"zod","version":"4.0.0","main":"index.js"}\n');
  write('node_modules/zod/index.js', 'export const z = 1;\n');
  write('node_modules/yaml/package.json', '{"name":"yaml","version":"2.0.0","main":"dist/index.js"}\n');
  write('node_modules/yaml/dist/index.js', 'export const parse = 1;\n');
  write('core/index.ts', "import { z } from 'zod';\nexport const c = z;\n");
  write('node/index.ts', "import { c } from '../core/index.ts';\nexport const n = c;\n");
  write('core/ports.ts', "import { c } from './index.ts';\nexport const p = c;\n");
  write('simulators/index.ts', "import { n } from '../node/index.ts';\nexport const s = n;\n");
  write('store/index.ts', "import { c } from '../core/index.ts';\nexport const st = c;\n");
  write('reports/index.ts', "import { st } from '../store/index.ts';\nexport const r = st;\n");
  write('core/inmail/index.ts', "import { c } from '../index.ts';\nexport const i = c;\n");
  write('scenarios/index.ts', "import { s } from '../simulators/index.ts';\nexport const sc = s;\n");
  write('runner/index.ts', "import { sc } from '../scenarios/index.ts';\nexport const ru = sc;\n");
  write('reports/sweep/index.ts', "import { r } from '../index.ts';\nexport const rs = r;\n");
  write('sweep/plan.ts', "import { rs } from '../reports/sweep/index.ts';\nexport const pl = rs;\n");
  write('sweep/index.ts', "import { pl } from './plan.ts';\nexport const sw = pl;\n");
  // the CLI may use a folder's index.ts and a sub-folder's
  write(
    'cli/main.ts',
    "import { i } from '../core/inmail/index.ts';\nimport { ru } from '../runner/index.ts';\nimport { sw } from '../sweep/index.ts';\nexport const m = [ru, i, sw];\n",
  );

  it('passes a tree whose imports follow the layers', async () => {
    const r = await cruise(
      'engine',
      'core',
      'node',
      'simulators',
      'store',
      'reports',
      'scenarios',
      'runner',
      'sweep',
      'cli',
    );
    expect(r.out).toContain('no dependency violations found');
    expect(r.code).toBe(0);
  });

  it.each([
    [
      'engine-imports-nothing-of-ours',
      'engine/wrong.ts',
      "import { c } from '../core/index.ts';\nexport const w = c;\n",
    ],
    [
      'core-imports-nothing-of-ours',
      'core/wrong.ts',
      "import { sc } from '../scenarios/index.ts';\nexport const w = sc;\n",
    ],
    [
      'core-and-engine-environment-free',
      'core/wrong.ts',
      "import { readFileSync } from 'node:fs';\nexport const w = readFileSync;\n",
    ],
    [
      'core-and-engine-environment-free',
      'engine/wrong.ts',
      "import { parse } from 'yaml';\nexport const w = parse;\n",
    ],
    [
      'node-only-core-and-engine',
      'node/wrong.ts',
      "import { sc } from '../scenarios/index.ts';\nexport const w = sc;\n",
    ],
    [
      'core-imports-nothing-of-ours',
      'core/dist/wrong.ts',
      "import { sc } from '../../scenarios/index.ts';\nexport const w = sc;\n",
    ],
    [
      'simulators-only-core-and-engine',
      'simulators/wrong.ts',
      "import { st } from '../store/index.ts';\nexport const w = st;\n",
    ],
    [
      'store-only-core-and-engine',
      'store/wrong.ts',
      "import { r } from '../reports/index.ts';\nexport const w = r;\n",
    ],
    [
      'scenarios-never-the-runner',
      'scenarios/wrong.ts',
      "import { ru } from '../runner/index.ts';\nexport const w = ru;\n",
    ],
    ['runner-never-the-cli', 'runner/wrong.ts', "import { m } from '../cli/main.ts';\nexport const w = m;\n"],
    [
      'reports-never-the-runner',
      'reports/wrong.ts',
      "import { ru } from '../runner/index.ts';\nexport const w = ru;\n",
    ],
    [
      'reports-never-sweep',
      'reports/sweep/wrong.ts',
      "import { sw } from '../../sweep/index.ts';\nexport const w = sw;\n",
    ],
    ['sweep-never-the-cli', 'sweep/wrong.ts', "import { m } from '../cli/main.ts';\nexport const w = m;\n"],
    [
      'cli-only-public-entry-points',
      'cli/sweep-wrong.ts',
      "import { pl } from '../sweep/plan.ts';\nexport const w = pl;\n",
    ],
    [
      'cli-only-public-entry-points',
      'cli/wrong.ts',
      "import { p } from '../core/ports.ts';\nexport const w = p;\n",
    ],
  ])('%s fails on a deliberately wrong import', async (rule, file, text) => {
    write(file, text);
    try {
      const r = await cruise(file.split('/')[0] as string);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain(`error ${rule}: ${file}`);
    } finally {
      rmSync(join(tree, file));
    }
  });
});
