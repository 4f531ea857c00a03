import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
