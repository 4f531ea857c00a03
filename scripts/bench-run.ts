/**
 * Whole-run benchmark (issue #5): the `baseline` scenario (legacy MTA, 5-day horizon) at N recipients
 * against the engine's bare email model (scripts/bench-engine/models.ts) at N messages, measured in the
 * same invocation, each in its own child process so that peak RSS belongs to one run.
 *
 *   npx tsx scripts/bench-run.ts                        1,000,000 recipients, one run of each
 *   npx tsx scripts/bench-run.ts --recipients 100000 --runs 3
 *   npx tsx scripts/bench-run.ts --scenario isp-outage --recipients 200000
 *
 * Targets (issue #5): baseline at 1M in <= 10 s wall, <= 1.5 GB peak RSS, and within 10x of the bare
 * model's messages/s; capacity planning later needs 10M in <= 120 s and <= 4 GB. The machine is shared:
 * wall time stretches with the load average (printed), CPU time much less, and the ratio to the bare
 * model (measured beside it) is the figure to compare between machines. With `--runs` > 1 the medians
 * are printed.
 *
 * The full run's child gets the Node flags `npx mxlab` runs with (bin/mxlab.mjs's shebang: a 64 MB
 * young generation, since a run keeps most of what it allocates for a while: with the default one,
 * scavenges copy survivors again and again); `--node-flags ''` measures without them. Such flags only
 * work at launch (v8.setFlagsFromString does not resize the new space).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { cliNodeFlags } from './cli-node-flags.ts';
import { phasesOfTiming } from './run-phases.ts';

const SELF = fileURLToPath(import.meta.url);
const TARGETS = {
  1000000: { wallS: 10, rssMb: 1536, ratio: 10 },
  10000000: { wallS: 120, rssMb: 4096, ratio: Number.POSITIVE_INFINITY },
} as const;

/** What a child prints as its last stdout line. */
interface ChildResult {
  kind: 'email' | 'run';
  messages: number;
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  /** run only: the run's phases (`RunResult.timing`) */
  phases?: Record<string, number>;
  /** run only: what the summary says, to check the run did the work */
  delivered?: number;
  /** set by the parent: the child process from spawn to exit (module loading included) */
  processMs?: number;
}

// ---------------------------------------------------------------------------------------- children

async function childEmail(n: number, seed: number): Promise<ChildResult> {
  const { runEmail } = await import('./bench-engine/models.ts');
  // warm the JIT as the engine benchmark does, so this is the figure `bench:engine` reports
  for (let i = 0; i < 3; i++) runEmail(100_000, seed + 1);
  const r = runEmail(n, seed);
  return {
    kind: 'email',
    messages: n,
    wallMs: r.wallMs,
    cpuMs: r.cpuMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

async function childRun(scenario: string, n: number, seed: number | undefined): Promise<ChildResult> {
  const { resolveScenarioPath } = await import('../cli/commands/run.ts');
  const { loadScenario, planOf, runPlan } = await import('../runner/index.ts');
  const plan = planOf(loadScenario(resolveScenarioPath(scenario), { recipients: n, seed }));
  const out = mkdtempSync(join(tmpdir(), 'mxlab-bench-run-'));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const r = await runPlan(plan, { out, openStore: false });
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const m = r.summary.messages as { delivered: number };
    return {
      kind: 'run',
      messages: n,
      wallMs,
      cpuMs: (c.user + c.system) / 1000,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      phases: phasesOfTiming(r.timing),
      delivered: m.delivered,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------- parent

function spawnChild(args: string[], nodeFlags: string[]): ChildResult & { stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...nodeFlags, ...process.execArgv, SELF, '--child', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 3_600_000,
  });
  if (r.status !== 0) {
    throw new Error(
      `bench-run: child ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr.slice(-2000)}`,
    );
  }
  const last = r.stdout.trim().split('\n').at(-1)!;
  const res = JSON.parse(last) as ChildResult;
  res.processMs = performance.now() - t0;
  return { ...res, stderr: r.stderr };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmtInt = (x: number) => Math.round(x).toLocaleString('en-US');
const fmtRate = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(1)} k`);
const lpad = (s: string, w: number) => (s.length >= w ? s : ' '.repeat(w - s.length) + s);
const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));

async function main(): Promise<void> {
  const program = new Command('bench-run')
    .option('--recipients <n>', 'recipients of the scenario and messages of the bare model', '1000000')
    .option('--scenario <name>', 'catalog scenario or file', 'baseline')
    .option('--runs <n>', 'runs of each (medians printed)', '1')
    .option('--seed <n>', 'seed of the scenario (default: its own)')
    .option(
      '--node-flags <flags>',
      "V8/Node flags for the full run's child (default: those `npx mxlab` runs with, from bin/mxlab.mjs; '' for none)",
    )
    .option('--child <kind>', '(internal) run one measurement and print JSON')
    .parse();
  const o = program.opts<{
    nodeFlags?: string;
    recipients: string;
    scenario: string;
    runs: string;
    seed?: string;
    child?: string;
  }>();
  const n = Number(o.recipients);
  const runs = Number(o.runs);
  const seed = o.seed === undefined ? undefined : Number(o.seed);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`--recipients: expected a positive integer, got '${o.recipients}'`);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`--runs: expected a positive integer, got '${o.runs}'`);
  if (seed !== undefined && !Number.isSafeInteger(seed))
    throw new Error(`--seed: expected an integer, got '${o.seed}'`);

  if (o.child === 'email') return void console.log(JSON.stringify(await childEmail(n, seed ?? 1)));
  if (o.child === 'run') return void console.log(JSON.stringify(await childRun(o.scenario, n, seed)));
  if (o.child !== undefined) throw new Error(`--child: unknown kind '${o.child}'`);

  const flags = o.nodeFlags === undefined ? cliNodeFlags() : o.nodeFlags.split(/\s+/).filter((f) => f !== '');
  const load = () => `load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;
  console.log(
    `bench-run — Node ${process.version}, ${o.scenario} at ${fmtInt(n)} recipients, ${runs} run(s) each${flags.length ? `, run child with ${flags.join(' ')}` : ''}`,
  );
  const email: ChildResult[] = [];
  const run: ChildResult[] = [];
  const loads: number[] = [];
  for (let i = 0; i < runs; i++) {
    loads.push(loadavg()[0]);
    const common = ['--recipients', String(n), ...(seed === undefined ? [] : ['--seed', String(seed)])];
    email.push(spawnChild(['email', ...common], []));
    const r = spawnChild(['run', ...common, '--scenario', o.scenario], flags);
    run.push(r);
    const e = email.at(-1)!;
    console.log(
      `  run ${i + 1}: bare ${(e.wallMs / 1000).toFixed(2)} s, ${o.scenario} ${(r.wallMs / 1000).toFixed(2)} s ` +
        `(${Object.entries(r.phases ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} ms), ${load()}`,
    );
  }
  const row = (label: string, rs: ChildResult[]) => {
    const wall = median(rs.map((r) => r.wallMs));
    const cpu = median(rs.map((r) => r.cpuMs));
    const rss = median(rs.map((r) => r.maxRssMb));
    const proc = median(rs.map((r) => r.processMs!));
    return { label, wall, cpu, rss, proc, rate: (n / wall) * 1000 };
  };
  const e = row('bare email model', email);
  const r = row(`${o.scenario} (full run)`, run);
  console.log('');
  console.log(
    `${pad('', 22)}  ${lpad('wall s', 8)}  ${lpad('process s', 9)}  ${lpad('cpu s', 8)}  ${lpad('peak RSS', 9)}  ${lpad('msgs/s', 9)}  ratio  cpu ratio`,
  );
  for (const x of [e, r]) {
    console.log(
      `${pad(x.label, 22)}  ${lpad((x.wall / 1000).toFixed(2), 8)}  ${lpad((x.proc / 1000).toFixed(2), 9)}  ${lpad((x.cpu / 1000).toFixed(2), 8)}  ` +
        `${lpad(`${fmtInt(x.rss)} MB`, 9)}  ${lpad(fmtRate(x.rate), 9)}  ${lpad(`${(x.wall / e.wall).toFixed(1)}x`, 5)}  ${lpad(`${(x.cpu / e.cpu).toFixed(1)}x`, 9)}`,
    );
  }
  const phases = Object.keys(run[0]!.phases ?? {});
  if (phases.length > 0)
    console.log(
      `phases (median ms): ${phases.map((k) => `${k} ${fmtInt(median(run.map((x) => x.phases![k] ?? 0)))}`).join(', ')}`,
    );
  console.log(
    `median load average at start: ${median(loads).toFixed(1)} (wall times stretch under load; CPU times much less)`,
  );
  const target = TARGETS[n as keyof typeof TARGETS];
  if (target) {
    const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
    console.log(
      `targets at ${fmtInt(n)}: wall <= ${target.wallS} s ${ok(r.wall / 1000 <= target.wallS)}, ` +
        `RSS <= ${target.rssMb} MB ${ok(r.rss <= target.rssMb)}` +
        (Number.isFinite(target.ratio)
          ? `, ratio <= ${target.ratio}x ${ok(r.wall / e.wall <= target.ratio)}`
          : ''),
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
