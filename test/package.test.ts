/**
 * The package as a user gets it: `npm pack` (after a fresh build), the tarball installed into a
 * scratch project under the system's temporary folder (registry only, `--prefer-offline`), the
 * README's "In your own tests" examples run there with vitest, and `npx mxlab run` / `qualify` /
 * `--version` from there. It fails if the tarball misses a file the code reads, exports raw `.ts`,
 * needs a dev dependency at run time, or if the README's examples no longer run.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { $ } from 'zx';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};
const scratch = mkdtempSync(join(tmpdir(), 'mxlab-package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// the children see no trace of this vitest run (a nested vitest would read them) nor MXLAB_SOURCE
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !k.startsWith('VITEST') && k !== 'MXLAB_SOURCE' && k !== 'NODE_OPTIONS',
  ),
) as NodeJS.ProcessEnv;
const inRepo = $({ cwd: ROOT, env, verbose: false, quiet: true });
const inScratch = $({ cwd: scratch, env, verbose: false, quiet: true });

/** The TypeScript blocks of the README's "In your own tests" section. */
function readmeExamples(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('In your own tests'));
  if (!section) throw new Error('README.md: no "In your own tests" section');
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

it('packs, installs into a scratch project, and runs the README examples and the CLI there', async () => {
  const timings: string[] = [];
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await fn();
    timings.push(`${name} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return r;
  };

  await step('build', () => inRepo`node scripts/build.mjs`);
  const packed = await step(
    'pack',
    () => inRepo`npm pack --json --ignore-scripts --pack-destination ${scratch}`,
  );
  const [{ filename, files }] = JSON.parse(packed.stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  const paths = files.map((f) => f.path);
  expect(paths).toContain('dist/runner/index.js');
  expect(paths).toContain('dist/runner/index.d.ts');
  expect(paths).toContain('dist/runner/vitest/index.js');
  expect(paths).toContain('dist/scenarios/index.js');
  expect(paths).toContain('dist/store/schema.sql');
  expect(paths).toContain('dist/scenarios/catalog/rules/apple-outage-fix/60-phrases/20-user-unknown.yaml');
  expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
  expect(paths.filter((p) => /\.test\.|test-helpers|fixtures\//.test(p))).toEqual([]);

  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
  );
  writeFileSync(join(scratch, '.npmrc'), 'engine-strict=true\nfund=false\naudit=false\n');
  const peers = ['vitest', 'fast-check'].map((p) => `${p}@${pkg.devDependencies[p]}`);
  await step(
    'install',
    () => inScratch`npm install --prefer-offline --no-audit --no-fund ./${filename} ${peers}`,
  );

  mkdirSync(join(scratch, 'test'));
  const examples = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  expect(examples.length).toBeGreaterThanOrEqual(2);
  for (const [i, code] of examples.entries())
    writeFileSync(join(scratch, 'test', `readme-${i + 1}.test.ts`), code);
  const tests = await step('README examples (vitest)', () =>
    inScratch`npx vitest run --reporter=dot --testTimeout=300000`.nothrow(),
  );
  expect(tests.exitCode, tests.stdout + tests.stderr).toBe(0);
  expect(tests.stdout).toMatch(new RegExp(`Tests\\s+.*${examples.length} passed`));

  const version = await inScratch`npx mxlab --version`;
  expect(version.stdout.trim()).toBe(pkg.version);
  const run = await step('mxlab run (2,000 recipients)', () =>
    inScratch`npx mxlab run isp-outage --recipients 2000 --out out/isp-outage`.nothrow(),
  );
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/messages: 2000 targeted/);
  expect(
    JSON.parse(readFileSync(join(scratch, 'out/isp-outage/summary.json'), 'utf8')).messages.targeted,
  ).toBe(2000);
  const q = await step('mxlab qualify', () =>
    inScratch({ input: '550 5.1.1 user unknown\n' })`npx mxlab qualify`.nothrow(),
  );
  expect(q.exitCode, q.stderr).toBe(0);
  expect(JSON.parse(q.stdout)).toMatchObject({
    code: 550,
    reasonName: 'User unknown',
    rule: 'seed_user_unknown',
  });
  console.log(`package test: ${timings.join(', ')}`);
}, 900_000);
