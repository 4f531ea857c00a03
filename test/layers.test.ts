/**
 * The layer rules (.dependency-cruiser.cjs, run by `npm run lint:layers` in `npm test`) catch a wrong
 * import: a scratch tree laid out like the repository, with one deliberately wrong import per rule,
 * is cruised with the project's own configuration, and each rule must name its offender. A right
 * import in the same tree must pass, so the rules are not simply rejecting everything.
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
  write('core/index.ts', 'export const c = 1;\n');
  write('core/ports.ts', "import { c } from './index.ts';\nexport const p = c;\n");
  write('simulators/index.ts', "import { c } from '../core/index.ts';\nexport const s = c;\n");
  write('store/index.ts', "import { c } from '../core/index.ts';\nexport const st = c;\n");
  write('reports/index.ts', "import { st } from '../store/index.ts';\nexport const r = st;\n");
  write('core/inmail/index.ts', "import { c } from '../index.ts';\nexport const i = c;\n");
  write('scenarios/index.ts', "import { s } from '../simulators/index.ts';\nexport const sc = s;\n");
  write('runner/index.ts', "import { sc } from '../scenarios/index.ts';\nexport const ru = sc;\n");
  // the CLI may use a folder's index.ts and a sub-folder's
  write(
    'cli/main.ts',
    "import { i } from '../core/inmail/index.ts';\nimport { ru } from '../runner/index.ts';\nexport const m = [ru, i];\n",
  );

  it('passes a tree whose imports follow the layers', async () => {
    const r = await cruise('engine', 'core', 'simulators', 'store', 'reports', 'scenarios', 'runner', 'cli');
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
