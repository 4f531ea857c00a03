/**
 * Capacity-planning benchmark (issue #8).
 *
 *   npx tsx scripts/bench-scale.ts                   (a) and (b)
 *   npx tsx scripts/bench-scale.ts --skip-10m        (a) only
 *   npx tsx scripts/bench-scale.ts --recipients 1000000 --sizes 5000
 *
 * (a) For each of --sizes (default 100,000, the catalog baseline, and 1,000,000), a sweep of 8 runs
 *     (baseline at that many recipients, 4 points x 2 seeds) with 1 worker process, then with 2: wall
 *     time of each and the speed-up (target >= 1.7x on 2 cores). Each worker process pays its own
 *     start and warm-up (about 1 s to load, and a first run 40% slower while V8 optimizes), which
 *     weighs on small runs and not on big ones. The machine is shared, so the load average is
 *     printed beside each figure.
 * (b) `mxlab run baseline --recipients N` (default 10,000,000; baseline's horizon is 5 days) in a child
 *     process with the Node flags `npx mxlab` runs with (bin/mxlab.mjs): wall time and peak RSS (VmHWM
 *     polled from /proc), targets <= 120 s and <= 4 GB. A run that outlives --timeout-s is stopped
 *     and reported as such.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { $ } from 'zx';
import { CATALOG_DIR, loadScenario } from '../scenarios/index.ts';
import { parseGrid, planSweep, runSweep } from '../sweep/index.ts';
import { cliNodeFlags } from './cli-node-flags.ts';

const TARGET_SPEEDUP = 1.7;
const TARGET_WALL_S = 120;
const TARGET_RSS_GB = 4;
const BIN = fileURLToPath(new URL('../bin/mxlab.mjs', import.meta.url));
const BASELINE = join(CATALOG_DIR, 'baseline.yaml');

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function sweepBench(small: number, tmp: string): Promise<void> {
  const plan = planSweep({
    file: BASELINE,
    axes: parseGrid(['mta.localIps=1,2,3,4']),
    seeds: 2,
    recipients: small,
  });
  console.log(
    `(a) sweep: baseline at ${small} recipients, ${plan.points.length} points x 2 seeds = ${plan.runs.length} runs`,
  );
  console.log(`    cores: ${availableParallelism()}`);
  const walls: number[] = [];
  for (const workers of [1, 2]) {
    const before = load();
    const r = await runSweep(plan, { out: join(tmp, `sweep-${small}-${workers}`), workers });
    walls.push(r.wallMs);
    console.log(
      `    ${workers} worker(s): ${(r.wallMs / 1000).toFixed(1)} s wall, ${r.ok} ok, ${r.failed} failed` +
        ` (load average before ${before}, after ${load()})`,
    );
  }
  const same =
    readFileSync(join(tmp, `sweep-${small}-1`, 'aggregate.json'), 'utf8') ===
    readFileSync(join(tmp, `sweep-${small}-2`, 'aggregate.json'), 'utf8');
  const speedup = walls[0]! / walls[1]!;
  console.log(
    `    speed-up 2 vs 1: ${speedup.toFixed(2)}x (target >= ${TARGET_SPEEDUP}x: ${speedup >= TARGET_SPEEDUP ? 'met' : 'NOT met'}); aggregates identical: ${same}`,
  );
}

function peakRssKb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function bigRun(recipients: number, timeoutS: number, tmp: string): Promise<void> {
  const horizon = loadScenario(BASELINE).horizon;
  console.log(
    `(b) one run: baseline, ${recipients.toLocaleString('en-US')} recipients, horizon ${horizon / 86_400_000} days, child process (timeout ${timeoutS} s)`,
  );
  const before = load();
  const t0 = performance.now();
  // zx: the child with its output captured (stdout and stderr interleaved in stdall), killed at the timeout
  const child = $({
    timeout: timeoutS * 1000,
    timeoutSignal: 'SIGKILL',
    nothrow: true,
    quiet: true,
  })`${process.execPath} ${cliNodeFlags()} --max-old-space-size=8192 ${BIN} run ${BASELINE} --recipients ${recipients} --out ${join(tmp, 'big')} --no-progress`;
  let peak = 0;
  const poll = setInterval(() => {
    const pid = child.child?.pid;
    const kb = pid ? peakRssKb(pid) : null;
    if (kb !== null && kb > peak) peak = kb;
  }, 200);
  const r = await child;
  clearInterval(poll);
  const out = r.stdall;
  const code = r.exitCode;
  const timedOut = r.signal === 'SIGKILL';
  const wallS = (performance.now() - t0) / 1000;
  const gb = peak / 1024 / 1024;
  const status = timedOut ? `STOPPED after ${timeoutS} s` : code === 0 ? 'ok' : `exit ${code}`;
  console.log(
    `    ${status}: ${wallS.toFixed(1)} s wall, peak RSS ${gb.toFixed(2)} GB (sampled every 200 ms)`,
  );
  console.log(
    `    targets: wall <= ${TARGET_WALL_S} s ${!timedOut && wallS <= TARGET_WALL_S ? 'met' : 'NOT met'}, RSS <= ${TARGET_RSS_GB} GB ${gb <= TARGET_RSS_GB ? 'met' : 'NOT met'}; load average before ${before}, after ${load()}`,
  );
  if (code !== 0 && !timedOut) console.log(out.split('\n').slice(-5).join('\n'));
  else if (!timedOut) console.log(out.trim().replace(/^/gm, '    | '));
}

const program = new Command('bench-scale')
  .option('--skip-10m', 'skip (b), the one big run')
  .option('--recipients <n>', 'recipients of (b)', '10000000')
  .option('--sizes <list>', 'recipients of each run of (a), one sweep per size', '100000,1000000')
  .option('--timeout-s <n>', 'stop (b) after this many seconds', '900')
  .option('--skip-sweep', 'skip (a)')
  .parse();
const opts = program.opts<{
  skip10m?: boolean;
  recipients: string;
  sizes: string;
  timeoutS: string;
  skipSweep?: boolean;
}>();
const tmp = mkdtempSync(join(tmpdir(), 'mxlab-bench-scale-'));
try {
  if (!opts.skipSweep) for (const size of opts.sizes.split(',')) await sweepBench(Number(size), tmp);
  if (!opts.skip10m) await bigRun(Number(opts.recipients), Number(opts.timeoutS), tmp);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
