/**
 * Wire-mode benchmark (issue #6), everything measured in the same invocation on this machine:
 *
 * 1. one mxlab fake MX (the gmail profile, random deferrals off, answering at once) under Postfix's
 *    `smtp-source` load, beside Postfix's own `smtp-sink` (C) under the very same load: messages
 *    per second accepted by each and the ratio (target >= 0.5x smtp-sink), one message per
 *    connection (smtp-source's default) and with connection reuse (`-d`); beside them each server's
 *    CPU time per message and smtp-source's own CPU share (near 1.0, the load generator is the bound);
 * 2. a full `mxlab run --wire` of the baseline scenario at N recipients against the same run
 *    in-process: messages per second of each.
 *
 *   npx tsx scripts/bench-wire.ts                          20,000 messages, 2,000 recipients
 *   npx tsx scripts/bench-wire.ts --messages 5000 --recipients 1000 --rounds 3
 *
 * Needs scripts/setup-postfix-tools.sh (run here when the tools are missing). The machine is
 * shared: the load average is printed, read the ratios; with --rounds > 1 the medians are printed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { $ } from 'zx';
import { CATALOG_DIR, loadScenario, planOf, runPlan, wirePorts } from '../runner/index.ts';
import { loadIspProfiles } from '../simulators/index.ts';
import { startServe } from '../simulators/wire/serve.ts';
import { scaledWallClock } from '../simulators/wire/wall-clock.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const program = new Command('bench-wire')
  .option('--messages <n>', 'messages per smtp-source load', '20000')
  .option('--sessions <n>', 'parallel smtp-source sessions', '20')
  .option('--size <bytes>', 'message payload', '512')
  .option('--recipients <n>', 'baseline recipients for the full run', '2000')
  .option('--rounds <n>', 'rounds of each measurement (medians printed)', '1')
  .option('--skip-run', 'only the fake MX vs smtp-sink part')
  .parse();
const o = program.opts<{
  messages: string;
  sessions: string;
  size: string;
  recipients: string;
  rounds: string;
  skipRun?: boolean;
}>();
const MESSAGES = Number(o.messages);
const SESSIONS = Number(o.sessions);
const SIZE = Number(o.size);
const RECIPIENTS = Number(o.recipients);
const ROUNDS = Math.max(1, Number(o.rounds));

$.verbose = false;
$.quiet = true;
const bin = (await $`bash ${join(ROOT, 'scripts/setup-postfix-tools.sh')}`).stdout.trim().split('\n').at(-1)!;
const SOURCE = join(bin, 'smtp-source');
const SINK = join(bin, 'smtp-sink');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** What one smtp-source load took: wall time, and smtp-source's own CPU time (user + system). */
interface Load {
  ms: number;
  sourceCpuMs: number;
}

/**
 * Runs smtp-source against ip:port under bash, whose `times` then prints its children's CPU time:
 * the load generator's own cost, to see whether it or the server bounds a figure.
 */
async function load(ip: string, port: number, reuse: boolean): Promise<Load> {
  const args = ['-s', String(SESSIONS), '-m', String(MESSAGES), '-l', String(SIZE), '-A'];
  if (reuse) args.push('-d');
  args.push('-f', 'bench@mxlab.test', '-t', 'load@gmail.com', '-M', 'mta.mxlab.test', `${ip}:${port}`);
  const script = '"$@"; rc=$?; times >&2; exit $rc';
  const t0 = performance.now();
  const r = await $`bash -c ${script} bash ${SOURCE} ${args}`.nothrow();
  const ms = performance.now() - t0;
  if (r.exitCode !== 0) throw new Error(`smtp-source exited ${r.exitCode}: ${r.stderr}`);
  // `times`: the shell's user and system time, then its children's ("0m0.360s 0m1.810s")
  const children = r.stderr.trim().split('\n').at(-1) ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { ms, sourceCpuMs: secs.length === 2 ? (secs[0]! + secs[1]!) * 1000 : Number.NaN };
}

const CLOCK_TICKS = Number($.sync`getconf CLK_TCK`.stdout.trim()) || 100;

/** CPU time (user + system, ms) of a live process, from /proc (Linux). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields 14 and 15 (utime, stime), in clock ticks; counted from field 3 after the command name
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
}

/** One server under one load: msgs/s, the server's CPU per message and smtp-source's CPU share. */
interface Round {
  rate: number;
  accepted: number;
  /** server CPU time per accepted message, µs */
  serverUs: number;
  /** smtp-source's CPU time over the load's wall time (1 = one core busy all along) */
  sourceShare: number;
}

function round(l: Load, accepted: number, serverCpuMs: number): Round {
  return {
    rate: (accepted / l.ms) * 1000,
    accepted,
    serverUs: (serverCpuMs * 1000) / accepted,
    sourceShare: l.sourceCpuMs / l.ms,
  };
}

/** smtp-sink on a free port under the load. */
async function sinkRound(reuse: boolean): Promise<Round> {
  const port = await freePort();
  // -M: exit after the last message (a margin so that it is still there for the final QUITs)
  const sink = $`${SINK} -u nobody -M ${MESSAGES + 1} 127.0.0.1:${port} 512`.nothrow();
  await new Promise((r) => setTimeout(r, 300));
  try {
    const pid = sink.child!.pid!;
    const c0 = processCpuMs(pid);
    const l = await load('127.0.0.1', port, reuse);
    return round(l, MESSAGES, processCpuMs(pid) - c0);
  } finally {
    if (sink.child?.exitCode === null) await sink.kill('SIGTERM');
    await sink;
  }
}

/** The fake MX of the gmail profile (no random deferrals, no latency), in this process. */
async function fakeMxRound(reuse: boolean): Promise<Round> {
  process.setSourceMapsEnabled(false); // as `mxlab serve` does (cli/commands/serve.ts)
  const gmail = loadIspProfiles().find((p) => p.name === 'gmail')!;
  const h = await startServe({
    profiles: [{ ...gmail, random: [] }],
    seed: 1,
    clock: scaledWallClock(),
    latencyScale: 0,
  });
  try {
    const a = h.domains[0]!.mx[0]!.addresses[0]!;
    const i = a.lastIndexOf(':');
    // this process does nothing else while smtp-source runs: its CPU time is the fake MX's
    const c0 = process.cpuUsage();
    const l = await load(a.slice(0, i), Number(a.slice(i + 1)), reuse);
    const c = process.cpuUsage(c0);
    return round(l, h.fleet.totals().accepted, (c.user + c.system) / 1000);
  } finally {
    await h.stop();
  }
}

async function fullRun(
  wire: boolean,
  dir: string,
): Promise<{ rate: number; targeted: number; wallMs: number }> {
  const plan = planOf(loadScenario(join(CATALOG_DIR, 'baseline.yaml'), { recipients: RECIPIENTS }));
  const r = await runPlan(plan, {
    out: join(dir, wire ? 'wire' : 'in-process'),
    openStore: false,
    ports: wire ? wirePorts() : undefined,
  });
  const targeted = r.summary.messages.targeted;
  return { rate: (targeted / r.wallMs) * 1000, targeted, wallMs: r.wallMs };
}

const f0 = (x: number) => Math.round(x).toLocaleString('en-US');

console.log(
  `bench-wire: ${MESSAGES} messages of ${SIZE} bytes, ${SESSIONS} smtp-source sessions, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const reuse of [false, true]) {
  const sink: Round[] = [];
  const mx: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    sink.push(await sinkRound(reuse));
    const m = await fakeMxRound(reuse);
    if (m.accepted !== MESSAGES) console.log(`  warning: the fake MX accepted ${m.accepted} of ${MESSAGES}`);
    mx.push(m);
  }
  const s = median(sink.map((x) => x.rate));
  const m = median(mx.map((x) => x.rate));
  const label = reuse ? 'connection reuse (-d)  ' : 'one message/connection ';
  console.log(
    `${label} smtp-sink ${f0(s)} msgs/s | mxlab fake MX ${f0(m)} msgs/s | ratio ${(m / s).toFixed(2)}x (target >= 0.5x)`,
  );
  // a load generator near one busy core bounds the figure it measures, whatever the server
  const cpu = (xs: Round[]) =>
    `${f0(median(xs.map((x) => x.serverUs)))} µs CPU/msg, smtp-source at ${median(xs.map((x) => x.sourceShare)).toFixed(2)} of a core`;
  console.log(`${' '.repeat(label.length + 1)}smtp-sink ${cpu(sink)} | fake MX ${cpu(mx)}`);
}

if (!o.skipRun) {
  const dir = mkdtempSync(join(tmpdir(), 'mxlab-bench-wire-'));
  try {
    const inproc: number[] = [];
    const wire: number[] = [];
    let targeted = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const a = await fullRun(false, dir);
      const b = await fullRun(true, dir);
      inproc.push(a.rate);
      wire.push(b.rate);
      targeted = b.targeted;
      console.log(
        `  round ${r + 1}: in-process ${(a.wallMs / 1000).toFixed(2)} s, --wire ${(b.wallMs / 1000).toFixed(2)} s`,
      );
    }
    const a = median(inproc);
    const b = median(wire);
    console.log(
      `baseline at ${RECIPIENTS} recipients (${targeted} messages): in-process ${f0(a)} msgs/s | --wire ${f0(b)} msgs/s | wire/in-process ${(b / a).toFixed(3)}x`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
