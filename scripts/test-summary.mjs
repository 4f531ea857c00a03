#!/usr/bin/env node
// Prints the plain closing line CI reads ("tests: N passed, N failed, N skipped") from vitest's JSON
// report, and exits non-zero when the report is missing, ran no test, or counts a failure.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
let r;
try {
  r = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  console.error(`test-summary: cannot read ${file}: ${e.message}`);
  process.exit(2);
}
const passed = r.numPassedTests ?? 0;
const failed = (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0);
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
