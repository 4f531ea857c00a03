/**
 * Wire-mode benchmark (issue #6), everything measured in the same invocation on this machine:
 *
 * 1. one mxlab fake MX (the gmail profile, random deferrals off, answering at once) under Postfix's
 *    `smtp-source` load, beside Postfix's own `smtp-sink` (C) under the very same load: messages
 *    per second accepted by each and the ratio (target >= 0.5x smtp-sink), one message per
 *    connection (smtp-source's default) and with connection reuse (`-d`);
 * 2. a full `mxlab run --wire` of the baseline scenario at N recipients against the same run
 *    in-process: messages per second of each.
 *
 *   npx tsx scripts/bench-wire.ts                          20,000 messages, 2,000 recipients
 *   npx tsx scripts/bench-wire.ts --messages 5000 --recipients 1000 --rounds 3
 *
 * Needs scripts/setup-postfix-tools.sh (run here when the tools are missing). The machine is
 * shared: the load average is printed, read the ratios; with --rounds > 1 the medians are printed.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { CATALOG_DIR, loadScenario, planOf, runPlan } from '../scenarios/index.ts';
import { wirePorts } from '../scenarios/wire.ts';
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

const bin = execFileSync('bash', [join(ROOT, 'scripts/setup-postfix-tools.sh')], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .at(-1)!;
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

/** Runs smtp-source against ip:port; resolves its wall time in ms. */
function load(ip: string, port: number, reuse: boolean): Promise<number> {
  const args = ['-s', String(SESSIONS), '-m', String(MESSAGES), '-l', String(SIZE), '-A'];
  if (reuse) args.push('-d');
  args.push('-f', 'bench@mxlab.test', '-t', 'load@gmail.com', '-M', 'mta.mxlab.test', `${ip}:${port}`);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const c = spawn(SOURCE, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    c.once('exit', (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`smtp-source exited ${code}: ${err}`)),
    );
  });
}

function waitExit(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve();
    else c.once('exit', () => resolve());
  });
}

/** smtp-sink on a free port; resolves msgs/s under the load. */
async function sinkRound(reuse: boolean): Promise<number> {
  const port = await freePort();
  // -M: exit after the last message (a margin so that it is still there for the final QUITs)
  const sink = spawn(SINK, ['-u', 'nobody', '-M', String(MESSAGES + 1), `127.0.0.1:${port}`, '512'], {
    stdio: 'ignore',
  });
  await new Promise((r) => setTimeout(r, 300));
  try {
    const ms = await load('127.0.0.1', port, reuse);
    return (MESSAGES / ms) * 1000;
  } finally {
    sink.kill('SIGTERM');
    await waitExit(sink);
  }
}

/** The fake MX of the gmail profile (no random deferrals, no latency); resolves msgs/s and accepted. */
async function fakeMxRound(reuse: boolean): Promise<{ rate: number; accepted: number }> {
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
    const ms = await load(a.slice(0, i), Number(a.slice(i + 1)), reuse);
    const accepted = h.fleet.totals().accepted;
    return { rate: (accepted / ms) * 1000, accepted };
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
  const sink: number[] = [];
  const mx: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    sink.push(await sinkRound(reuse));
    const m = await fakeMxRound(reuse);
    if (m.accepted !== MESSAGES) console.log(`  warning: the fake MX accepted ${m.accepted} of ${MESSAGES}`);
    mx.push(m.rate);
  }
  const s = median(sink);
  const m = median(mx);
  const label = reuse ? 'connection reuse (-d)  ' : 'one message/connection ';
  console.log(
    `${label} smtp-sink ${f0(s)} msgs/s | mxlab fake MX ${f0(m)} msgs/s | ratio ${(m / s).toFixed(2)}x (target >= 0.5x)`,
  );
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
