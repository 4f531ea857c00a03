/**
 * The layer rules of mxlab (issue #23), checked by `npm run lint:layers` in `npm test`:
 *   engine      imports nothing of ours (a DES kernel with no email knowledge)
 *   core        imports nothing of ours outside core/ (sending and qualification; the world comes in
 *               through core/ports.ts)
 *   core, engine environment-free: no Node built-in (node:fs, node:path, ...) and no npm package but
 *               zod, pure-rand and mailparser (core/inmail's MIME fallback); files and YAML are node/'s
 *   node        only core/ and engine/ (core's Node layer: data files, YAML, the mailbox reader)
 *   simulators  only core/, node/ and engine/
 *   store       only core/ and engine/ (the run store's rows speak core's vocabulary)
 *   scenarios   never the runner (the format knows nothing of how a scenario is run)
 *   runner      never the CLI (the composition root: builds the world and the core, runs the plan)
 *   reports     never the runner, the scenarios, the CLI or the simulators
 *               never the sweep runner (sweep/): a sweep's data flows sweep -> reports/sweep/, one way
 *   sweep       never the CLI (the CLI drives a sweep, not the other way round)
 *   cli         only the public entry points (a folder's or sub-folder's index.ts)
 * Tests are exempt from the rules of the folder they sit in (a core test may build a scenario). Known
 * violations are listed in .dependency-cruiser-known.json (`npm run lint:layers:baseline` rewrites it);
 * a new one fails. The list is empty (issue #23).
 */
const OURS =
  '^(engine|core|node|simulators|store|reports|scenarios|runner|sweep|ingest|calibrate|cli|scripts|test|bin)/';
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
      name: 'core-and-engine-environment-free',
      severity: 'error',
      from: { path: '^(core|engine)/', pathNot: TESTS },
      to: {
        dependencyTypes: [
          'core',
          'npm',
          'npm-dev',
          'npm-optional',
          'npm-peer',
          'npm-bundled',
          'npm-no-pkg',
          'npm-unknown',
          'unknown',
          'undetermined',
        ],
        pathNot: '^node_modules/(zod|pure-rand|mailparser)/',
      },
    },
    {
      name: 'node-only-core-and-engine',
      severity: 'error',
      from: { path: '^node/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^(node|core|engine)/' },
    },
    {
      name: 'simulators-only-core-and-engine',
      severity: 'error',
      from: { path: '^simulators/', pathNot: TESTS },
      to: { path: OURS, pathNot: '^(simulators|core|node|engine)/' },
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
      from: { path: '^scenarios/', pathNot: TESTS },
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
    // outputs at the top only (a source folder named out/ or dist/ deeper down is cruised); node_modules
    // is not followed but stays visible, so the environment-free rule sees an npm package by name
    exclude: { path: '^(out|runs|dist|test-results)/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
