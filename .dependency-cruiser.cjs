/**
 * The layer rules of mxlab (issue #23), checked by `npm run lint:layers` in `npm test`:
 *   engine      imports nothing of ours (a DES kernel with no email knowledge)
 *   core        imports nothing of ours outside core/ (sending and qualification; the world comes in
 *               through core/ports.ts)
 *   simulators  only core/ and engine/
 *   store       only core/ and engine/ (the run store's rows speak core's vocabulary)
 *   reports     never the runner (scenarios/), the CLI or the simulators
 *               never the sweep runner (sweep/): a sweep's data flows sweep -> reports/sweep/, one way
 *   sweep       never the CLI (the CLI drives a sweep, not the other way round)
 *   cli         only the public entry points (a folder's or sub-folder's index.ts)
 * Tests are exempt from the rules of the folder they sit in (a core test may build a scenario). Known
 * violations are listed in .dependency-cruiser-known.json (`npm run lint:layers:baseline` rewrites it);
 * a new one fails. The redesign's aim is an empty list.
 */
const OURS = '^(engine|core|simulators|store|reports|scenarios|sweep|ingest|calibrate|cli|scripts|test|bin)/';
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
      name: 'reports-never-the-runner',
      severity: 'error',
      from: { path: '^reports/', pathNot: TESTS },
      to: { path: '^(scenarios|ingest|calibrate|cli|simulators|scripts|test)/' },
    },
    {
      name: 'reports-never-sweep',
      severity: 'error',
      from: { path: '^reports/', pathNot: TESTS },
      to: { path: '^sweep/' },
    },
    {
      name: 'sweep-never-the-cli',
      severity: 'error',
      from: { path: '^sweep/', pathNot: TESTS },
      to: { path: '^cli/' },
    },
    {
      name: 'cli-only-public-entry-points',
      severity: 'error',
      from: { path: '^cli/', pathNot: TESTS },
      to: {
        path: '^(engine|core|simulators|store|reports|scenarios|sweep|ingest|calibrate)/',
        pathNot:
          '^(engine|core|simulators|store|reports|scenarios|sweep|ingest|calibrate)/index\\.ts$|^(simulators|scenarios)/(wire|testing)/index\\.ts$',
      },
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
