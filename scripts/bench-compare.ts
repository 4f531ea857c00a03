/**
 * Before/after benchmark (issue #19's "the fixes may not cost more than 5%"): one invocation runs the
 * same scenario on this tree AND on a reference checkout, alternating (A B B A A B ...: a drift in the
 * machine's load falls on both sides alike), each run in its own child process, and prints the
 * medians side by side with the ratio, the load average, and figures per unit of work (CPU per
 * attempt and per session, since a fix may legitimately do more work: more retries, more sessions).
 *
 *   git worktree add --detach ../h19-ref 26c0504 && cp -al /work/main/node_modules ../h19-ref/
 *   npx tsx scripts/bench-compare.ts --ref ../h19-ref --recipients 300000 --runs 3
 *   npx tsx scripts/bench-compare.ts --ref ../h19-ref --scenario yahoo-deferrals-enhanced
 *
 * Both children are started by this script with this tree's tsx and the Node flags `npx mxlab` runs
 * with (`--node-flags ''` for none); each imports the runner of its own tree (runner/index.ts, or
 * scenarios/index.ts in a tree before runner/). The phases come from the run's `RunResult.timing`
 * (what `mxlab run --timing` writes), or, from a tree before it (fe4c886 and older), from the
 * `timing:` lines it prints under `MXLAB_TIMING=1`, which every child is given. The work counters
 * (attempts, sessions) are read from the tree's `Mta` after `finish()`; GC time from `perf_hooks`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { cliNodeFlags } from './cli-node-flags.ts';
import { type Phases, phasesOfLog, phasesOfTiming, type RunTimingLike } from './run-phases.ts';

const SELF = fileURLToPath(import.meta.url);
const HERE = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** What a child prints as its last stdout line. */
interface Measure {
  wallMs: number;
  cpuMs: number;
  userMs: number;
  gcMs: number;
  maxRssMb: number;
  attempts: number;
  sessions: number;
  delivered: number;
  simulationMs: number;
  simCpuMs: number;
  /** CPU time from the run's start to the simulation's (population, world, rules, store opening) */
  setupCpuMs: number;
  events: number;
  /** the run's phases (setup, simulation, final tables, store close, summary) */
  phases: Phases;
  /** set by the parent */
  load: number;
}

// ---------------------------------------------------------------------------------------- child

async function child(tree: string, scenario: string, n: number, seed: number | undefined): Promise<Measure> {
  const at = (p: string) => pathToFileURL(join(tree, p)).href;
  const { resolveScenarioPath } = await import(at('cli/commands/run.ts'));
  // the library's entry: runner/ since issue #23, scenarios/ before
  const entry = existsSync(join(tree, 'runner', 'index.ts')) ? 'runner/index.ts' : 'scenarios/index.ts';
  const { loadScenario, planOf, runPlan } = await import(at(entry));
  const { Mta } = await import(at('core/mta/mta.ts'));
  const { Simulation } = await import(at('engine/simulation.ts'));
  // CPU time of the simulation alone (wall times stretch with the load; CPU much less)
  let simCpuMs = 0;
  let setupCpuMs = 0;
  let c0 = process.cpuUsage();
  const runAsync = Simulation.prototype.runAsyncUntil;
  Simulation.prototype.runAsyncUntil = async function (this: unknown, ...args: unknown[]) {
    const c = process.cpuUsage();
    const s = process.cpuUsage(c0);
    setupCpuMs = (s.user + s.system) / 1000;
    try {
      return await runAsync.apply(this, args);
    } finally {
      const d = process.cpuUsage(c);
      simCpuMs += (d.user + d.system) / 1000;
    }
  };
  // the run's Mta, caught when the runner calls finish(): its counters are the work done
  let mta: { counters: { attempts: number; sessions: number } } | null = null;
  const finish = Mta.prototype.finish;
  Mta.prototype.finish = function (this: typeof mta, ...args: unknown[]) {
    mta = this;
    return finish.apply(this, args);
  };
  let gcMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  const plan = planOf(loadScenario(resolveScenarioPath(scenario), { recipients: n, seed }));
  const out = mkdtempSync(join(tmpdir(), 'mxlab-bench-compare-'));
  // a tree before RunResult.timing prints `timing: setup N ms, simulation N ms, N events` under MXLAB_TIMING
  let events = 0;
  let phases: Phases = {};
  const error = console.error;
  console.error = (...a: unknown[]) => {
    const log = phasesOfLog(String(a[0]));
    if (log.events > 0) events = log.events;
    Object.assign(phases, log.phases);
    error(...a);
  };
  c0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const r = await runPlan(plan, { out, openStore: false });
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const timing = (r as { timing?: RunTimingLike }).timing;
    if (timing) {
      phases = phasesOfTiming(timing);
      events = timing.events;
    }
    await new Promise((ok) => setImmediate(ok)); // let the observer see the last GC entries
    obs.disconnect();
    const counters = (mta as { counters: { attempts: number; sessions: number } } | null)?.counters;
    if (!counters) throw new Error(`${tree}: the run never called Mta.finish()`);
    return {
      wallMs,
      cpuMs: (c.user + c.system) / 1000,
      userMs: c.user / 1000,
      gcMs,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      attempts: counters.attempts,
      sessions: counters.sessions,
      delivered: (r.summary.messages as { delivered: number }).delivered,
      simulationMs: phases.simulation ?? 0,
      simCpuMs,
      setupCpuMs,
      events,
      phases,
      load: 0,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------- parent

function spawnChild(tree: string, args: string[], nodeFlags: string[]): Measure {
  const load = loadavg()[0];
  const r = spawnSync(process.execPath, [...nodeFlags, ...process.execArgv, SELF, '--child', tree, ...args], {
    encoding: 'utf8',
    cwd: tree,
    env: { ...process.env, MXLAB_TIMING: '1' },
    maxBuffer: 64 << 20,
    timeout: 3_600_000,
  });
  if (r.status !== 0)
    throw new Error(
      `bench-compare: child in ${tree} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr.slice(-2000)}`,
    );
  return { ...(JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Measure), load };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmtInt = (x: number) => Math.round(x).toLocaleString('en-US');
const lpad = (s: string, w: number) => (s.length >= w ? s : ' '.repeat(w - s.length) + s);
const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const program = new Command('bench-compare')
    .option('--ref <dir>', 'reference checkout (a git worktree with node_modules) to compare with')
    .option('--recipients <n>', 'recipients of the scenario', '1000000')
    .option('--scenario <name>', 'catalog scenario or file', 'baseline')
    .option('--runs <n>', 'runs on each tree (medians printed)', '3')
    .option('--seed <n>', 'seed of the scenario (default: its own)')
    .option(
      '--node-flags <flags>',
      "Node flags of each child (default: those `npx mxlab` runs with, from bin/mxlab.mjs; '' for none)",
    )
    .option('--child <tree>', '(internal) run once in this tree and print JSON')
    .parse();
  const o = program.opts<{
    ref?: string;
    recipients: string;
    scenario: string;
    runs: string;
    seed?: string;
    nodeFlags?: string;
    child?: string;
  }>();
  const bad = (msg: string) => {
    console.error(`bench-compare: ${msg}`);
    process.exit(2);
  };
  const n = Number(o.recipients);
  const runs = Number(o.runs);
  const seed = o.seed === undefined ? undefined : Number(o.seed);
  if (!Number.isSafeInteger(n) || n < 1)
    bad(`--recipients: expected a positive integer, got '${o.recipients}'`);
  if (!Number.isSafeInteger(runs) || runs < 1) bad(`--runs: expected a positive integer, got '${o.runs}'`);
  if (seed !== undefined && !Number.isSafeInteger(seed)) bad(`--seed: expected an integer, got '${o.seed}'`);
  if (o.child !== undefined)
    return void console.log(JSON.stringify(await child(o.child, o.scenario, n, seed)));
  if (o.ref === undefined) return bad('--ref: required (a checkout of the reference commit)');
  const ref = resolve(o.ref);
  if (!isDir(join(ref, 'core')) || !isDir(join(ref, 'node_modules')))
    return bad(`--ref: '${o.ref}' is not a checkout with core/ and node_modules/`);

  const flags = o.nodeFlags === undefined ? cliNodeFlags() : o.nodeFlags.split(/\s+/).filter((f) => f !== '');
  const args = [
    '--scenario',
    o.scenario,
    '--recipients',
    String(n),
    ...(seed === undefined ? [] : ['--seed', String(seed)]),
  ];
  console.log(
    `bench-compare — Node ${process.version}, ${o.scenario} at ${fmtInt(n)} recipients, ${runs} run(s) on each tree, ` +
      `${availableParallelism()} cores${flags.length ? `, children with ${flags.join(' ')}` : ''}\n` +
      `  current:   ${HERE}\n  reference: ${ref}`,
  );
  const sides = { current: [] as Measure[], reference: [] as Measure[] };
  for (let i = 0; i < runs; i++) {
    // A B, B A, A B ...: neither side always goes first
    const order: ('current' | 'reference')[] =
      i % 2 === 0 ? ['current', 'reference'] : ['reference', 'current'];
    for (const side of order) {
      const m = spawnChild(side === 'current' ? HERE : ref, args, flags);
      sides[side].push(m);
      console.log(
        `  run ${i + 1} ${pad(side, 9)}: wall ${(m.wallMs / 1000).toFixed(2)} s, cpu ${(m.cpuMs / 1000).toFixed(2)} s, ` +
          `gc ${fmtInt(m.gcMs)} ms, RSS ${fmtInt(m.maxRssMb)} MB, ${fmtInt(m.attempts)} attempts, ` +
          `${fmtInt(m.sessions)} sessions (load ${m.load.toFixed(1)})`,
      );
    }
  }
  const med = (side: Measure[], f: (m: Measure) => number) => median(side.map(f));
  const rows: [string, (m: Measure) => number, (x: number) => string][] = [
    ['wall s', (m) => m.wallMs / 1000, (x) => x.toFixed(2)],
    ['simulation s', (m) => m.simulationMs / 1000, (x) => x.toFixed(2)],
    ['cpu s', (m) => m.cpuMs / 1000, (x) => x.toFixed(2)],
    ['setup cpu s', (m) => m.setupCpuMs / 1000, (x) => x.toFixed(2)],
    ['simulation cpu s', (m) => m.simCpuMs / 1000, (x) => x.toFixed(2)],
    ['after-sim cpu s', (m) => (m.cpuMs - m.setupCpuMs - m.simCpuMs) / 1000, (x) => x.toFixed(2)],
    ['user cpu s', (m) => m.userMs / 1000, (x) => x.toFixed(2)],
    ['gc ms', (m) => m.gcMs, fmtInt],
    ['peak RSS MB', (m) => m.maxRssMb, fmtInt],
    ['attempts', (m) => m.attempts, fmtInt],
    ['sessions', (m) => m.sessions, fmtInt],
    ['events', (m) => m.events, fmtInt],
    ['delivered', (m) => m.delivered, fmtInt],
    ['cpu µs / attempt', (m) => (m.cpuMs * 1000) / m.attempts, (x) => x.toFixed(2)],
    ['cpu µs / session', (m) => (m.cpuMs * 1000) / m.sessions, (x) => x.toFixed(2)],
    ['sim cpu µs/attempt', (m) => (m.simCpuMs * 1000) / m.attempts, (x) => x.toFixed(2)],
    ['sim cpu µs/event', (m) => (m.simCpuMs * 1000) / m.events, (x) => x.toFixed(2)],
    ['wall µs / attempt', (m) => (m.wallMs * 1000) / m.attempts, (x) => x.toFixed(2)],
    ['load at start', (m) => m.load, (x) => x.toFixed(1)],
  ];
  console.log(
    `\n${pad('median', 18)}  ${lpad('current', 12)}  ${lpad('reference', 12)}  ${lpad('ratio', 7)}`,
  );
  for (const [label, f, fmt] of rows) {
    const a = med(sides.current, f);
    const b = med(sides.reference, f);
    console.log(
      `${pad(label, 18)}  ${lpad(fmt(a), 12)}  ${lpad(fmt(b), 12)}  ${lpad(b > 0 ? `${(a / b).toFixed(3)}` : '-', 7)}`,
    );
  }
  const phaseNames = [
    ...new Set([...sides.current, ...sides.reference].flatMap((m) => Object.keys(m.phases))),
  ];
  for (const k of phaseNames) {
    const a = med(sides.current, (m) => m.phases[k] ?? 0);
    const b = med(sides.reference, (m) => m.phases[k] ?? 0);
    console.log(
      `${pad(`  ${k} ms`, 18)}  ${lpad(fmtInt(a), 12)}  ${lpad(fmtInt(b), 12)}  ${lpad(b > 0 ? (a / b).toFixed(3) : '-', 7)}`,
    );
  }
  // The machine's noise is mostly slow (other tenants' load comes and goes over tens of seconds): the
  // two runs of one round share it, so the ratio within each round is steadier than the ratio of medians.
  // The fastest run of each side is the other robust estimate (noise only ever adds time).
  console.log(
    `\n${pad('per round', 18)}  ${lpad('median', 7)}  ${lpad('lowest', 7)}  ${lpad('highest', 7)}  ${lpad('min/min', 7)}`,
  );
  const paired = rows.filter(([label]) =>
    ['wall s', 'cpu s', 'simulation cpu s', 'after-sim cpu s'].includes(label),
  );
  for (const [label, f] of paired) {
    const r = sides.current.map((m, i) => f(m) / f(sides.reference[i]!));
    const lo = Math.min(...r);
    const hi = Math.max(...r);
    const best = Math.min(...sides.current.map(f)) / Math.min(...sides.reference.map(f));
    console.log(
      `${pad(label, 18)}  ${lpad(median(r).toFixed(3), 7)}  ${lpad(lo.toFixed(3), 7)}  ${lpad(hi.toFixed(3), 7)}  ${lpad(best.toFixed(3), 7)}`,
    );
  }
  console.log(
    'ratio = current / reference; 1.050 is the 5% budget. Wall times stretch with the load average; CPU per unit of work much less.\n' +
      'per round: the ratio of the two runs of each round (A B or B A, back to back); min/min: fastest run over fastest run.',
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
