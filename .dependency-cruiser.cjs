/**
 * The layer rules of mxlab (issue #23), checked by `npm run lint:layers` in `npm test`:
 *   engine      imports nothing of ours (a DES kernel with no email knowledge)
 *   core        imports nothing of ours outside core/ (sending and qualification; the world comes in
 *               through core/ports.ts)
 *   simulators  only core/ and engine/
 *   store       only core/ and engine/ (the run store's rows speak core's vocabulary)
 *   scenarios   never the runner (the format knows nothing of how a scenario is run)
 *   runner      never the CLI (the composition root: builds the world and the core, runs the plan)
 *   reports     never the runner, the scenarios, the CLI or the simulators
 *   cli         only the public entry points (a folder's or sub-folder's index.ts)
 * Tests are exempt from the rules of the folder they sit in (a core test may build a scenario). Known
 * violations are listed in .dependency-cruiser-known.json (`npm run lint:layers:baseline` rewrites it);
 * a new one fails. The list is empty (issue #23).
 */
const OURS =
  '^(engine|core|simulators|store|reports|scenarios|runner|ingest|calibrate|cli|scripts|test|bin)/';
/** A public entry point: a top-level folder's index.ts, or one of its sub-folders' (core/inmail/index.ts). */
const PUBLIC_ENTRY = '^[a-z-]+/index\\.ts$|^[a-z-]+/[a-z-]+/index\\.ts$';
const TESTS = '(\\.test\\.ts$|/test-helpers/|^test/)';

module.exports = {
  forbidden: [
    {
      name: 'engine-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^engine/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^engine/' },
    },
    {
      name: 'core-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^core/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^core/' },
    },
    {
      name: 'simulators-only-core-and-engine',
      severity: 'error',
      from: { path: '^simulators/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^(simulators|core|engine)/' },
    },
    {
      name: 'store-only-core-and-engine',
      severity: 'error',
      from: { path: '^store/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^(store|core|engine)/' },
    },
    {
      name: 'scenarios-never-the-runner',
      severity: 'error',
      // scenarios/sweep/ runs scenarios: it is moving to the top-level sweep/ in the same step (#23)
      from: { path: '^scenarios/', pathNot: `${TESTS}|^scenarios/sweep/` },
      to: { path: '^(runner|cli)/' },
    },
    {
      name: 'runner-never-the-cli',
      severity: 'error',
      from: { path: '^runner/', pathNot: TESTS },
      to: { path: '^(cli|scripts|test|bin)/' },
    },
    {
      name: 'reports-never-the-runner',
      severity: 'error',
      from: { path: '^reports/', pathNot: TESTS },
      to: { path: '^(runner|scenarios|ingest|calibrate|cli|simulators|scripts|test)/' },
    },
    {
      name: 'cli-only-public-entry-points',
      severity: 'error',
      from: { path: '^cli/', pathNot: TESTS },
      to: { path: OURS, pathNot: `^cli/|${PUBLIC_ENTRY}` },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: TESTS },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|out|runs|dist|test-results)/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
