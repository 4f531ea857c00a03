import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // tests import the package by name ('mxlab', 'mxlab/testing', 'mxlab/vitest') and get the TypeScript
  // sources (package.json's `mxlab-source` export condition), never a stale dist/
  ssr: { resolve: { conditions: ['mxlab-source', ...defaultServerConditions] } },
  test: {
    // bin/mxlab.mjs, which CLI tests run, then runs the sources through tsx rather than dist/
    env: { MXLAB_SOURCE: '1' },
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**', 'runs/**', '.scratch/**', '.tools/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // the JSON report feeds scripts/test-summary.mjs, which prints the plain "N passed, N failed" line CI reads
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
