/**
 * Start-up time of the `mxlab` command, side by side with `node -e 0` in the same run (median of N,
 * default 10, interleaved so that load changes hit every row alike; the load average is printed):
 *
 *   npx tsx scripts/bench-startup.ts [--runs N] [--bin PATH]
 *
 * Rows: `mxlab --version` and `mxlab --help` (target <= 0.3 s wall), a one-line
 * `echo '550 5.1.1 user unknown' | mxlab qualify` (target <= 0.5 s). It builds dist/ first and runs
 * it (`--bin` for an installed package's bin, e.g. node_modules/mxlab/bin/mxlab.mjs of a project); then, to say where the time goes, the import time of each module the rows load and the
 * qualifier's construction (rules read, validated and compiled), each in a fresh process.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { $ } from 'zx';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const opts = new Command()
  .option('--runs <n>', 'runs per row (median)', '10')
  .option('--bin <path>', 'the mxlab bin to run', `${ROOT}bin/mxlab.mjs`)
  .parse()
  .opts<{ runs: string; bin: string }>();
const RUNS = Number(opts.runs);
if (!existsSync(opts.bin)) {
  process.stderr.write(`bench-startup: --bin ${opts.bin}: no such file\n`);
  process.exit(2);
}
$.verbose = false;
$.quiet = true;
// a fresh build: in a checkout, bin/mxlab.mjs would run the sources through tsx past a stale one
await $({ cwd: ROOT })`node scripts/build.mjs`;
// a checkout's bin/mxlab.mjs runs the sources when MXLAB_SOURCE=1: measure the build
$.env = { ...process.env, MXLAB_SOURCE: '0' };

/**
 * Runs `cmd` under bash, whose `times` then prints its children's CPU time: wall and CPU (user +
 * system) seconds. On a shared machine CPU time hardly moves with the load; wall time does.
 */
async function measure(cmd: string[], input?: string): Promise<{ wall: number; cpu: number }> {
  const script = '"$@" >/dev/null; rc=$?; times >&2; exit $rc';
  const t0 = performance.now();
  const r = await $({ input })`bash -c ${script} bash ${cmd}`;
  const wall = (performance.now() - t0) / 1000;
  const children = r.stderr.trim().split('\n').at(-1) ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wall, cpu: (secs[0] ?? Number.NaN) + (secs[1] ?? Number.NaN) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const node = process.execPath;
const rows: { label: string; target?: number; cmd: string[]; input?: string }[] = [
  { label: 'node -e 0', cmd: [node, '-e', '0'] },
  { label: 'mxlab --version', target: 0.3, cmd: [node, opts.bin, '--version'] },
  { label: 'mxlab --help', target: 0.3, cmd: [node, opts.bin, '--help'] },
  {
    label: "echo '550 5.1.1 user unknown' | mxlab qualify",
    target: 0.5,
    cmd: [node, opts.bin, 'qualify'],
    input: '550 5.1.1 user unknown\n',
  },
];

const wall = rows.map(() => [] as number[]);
const cpu = rows.map(() => [] as number[]);
const load0 = loadavg()[0]!;
for (let i = 0; i < RUNS; i++)
  for (const [k, r] of rows.entries()) {
    const m = await measure(r.cmd, r.input);
    wall[k]!.push(m.wall);
    cpu[k]!.push(m.cpu);
  }
const load1 = loadavg()[0]!;

const base = median(wall[0]!);
console.log(
  `mxlab start-up, median of ${RUNS} (load average ${load0.toFixed(2)} -> ${load1.toFixed(2)}, ${opts.bin})`,
);
console.log(
  `${'command'.padEnd(48)} ${'wall s'.padStart(7)} ${'min s'.padStart(6)} ${'x node'.padStart(6)} ${'CPU s'.padStart(6)}  target (wall)`,
);
for (const [k, r] of rows.entries()) {
  const m = median(wall[k]!);
  const verdict = r.target === undefined ? '' : `<= ${r.target} s ${m <= r.target ? 'met' : 'NOT met'}`;
  console.log(
    `${r.label.padEnd(48)} ${m.toFixed(3).padStart(7)} ${Math.min(...wall[k]!)
      .toFixed(3)
      .padStart(
        6,
      )} ${(m / base).toFixed(2).padStart(6)} ${median(cpu[k]!).toFixed(2).padStart(6)}  ${verdict}`,
  );
}

// where the time goes: each import (and the qualifier's construction) alone in a fresh process,
// timed inside it (Node's own start excluded), wall and CPU
const DIST = `${ROOT}dist/`;
const timed = (body: string) =>
  `const t = performance.now(), c = process.cpuUsage(); ${body}; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]))`;
const probes: [string, string][] = [
  ['commander', `await import('commander')`],
  ['cli/program.js (commander + the command list)', `await import('${DIST}cli/program.js')`],
  ['yaml', `await import('yaml')`],
  ['zod', `await import('zod')`],
  ['cli/commands/qualify.js (yaml, zod, core)', `await import('${DIST}cli/commands/qualify.js')`],
  [
    'createQualifier() (default rules read + compiled)',
    `const q = await import('${DIST}core/qualification/index.js'); const t0 = performance.now(), c0 = process.cpuUsage(); q.createQualifier({ mode: 'legacy' }); const u0 = process.cpuUsage(c0); process.stdout.write(JSON.stringify([performance.now() - t0, (u0.user + u0.system) / 1000])); process.exit(0)`,
  ],
];
const N = Math.min(RUNS, 5);
console.log(`\neach alone in a fresh process, timed inside it, median of ${N}:`);
console.log(`${'what'.padEnd(52)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(7)}`);
for (const [label, body] of probes) {
  const w: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < N; i++) {
    const code = label.startsWith('createQualifier') ? body : timed(body);
    const [ms, cpuMs] = JSON.parse(
      (await $({ cwd: ROOT })`${node} --input-type=module -e ${code}`).stdout,
    ) as [number, number];
    w.push(ms);
    c.push(cpuMs);
  }
  console.log(`${label.padEnd(52)} ${median(w).toFixed(0).padStart(8)} ${median(c).toFixed(0).padStart(7)}`);
}
