/**
 * Every catalog scenario at its default size (issue #19 item 5), each in its own child process so that
 * peak RSS belongs to one run, with a timeout: a run that does not end is reported as TIMEOUT and
 * killed instead of hanging the script.
 *
 *   npx tsx scripts/bench-catalog.ts                          default sizes, 120 s each
 *   npx tsx scripts/bench-catalog.ts --scale 0.1 --timeout 60
 *   npx tsx scripts/bench-catalog.ts --recipients 2000 --only baseline,ip-warmup --check
 *
 * Prints one row per scenario: recipients, wall time of the run (runPlan: simulation, store, summary),
 * peak RSS, and the headline (delivered / failed / pending, quarantined addresses, false quarantines).
 * `--check` also runs the store consistency checks (runner/check-run.ts) after the measurement and
 * prints how many violations each run has. Exit code 1 when a run times out, fails, or (with
 * `--check`) is inconsistent; 2 on a bad option. Children get the Node flags `npx mxlab` runs with.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { cliNodeFlags } from './cli-node-flags.ts';

const SELF = fileURLToPath(import.meta.url);

/** What a child prints as its last stdout line. */
interface ChildResult {
  recipients: number;
  wallMs: number;
  maxRssMb: number;
  delivered: number;
  failed: number;
  pending: number;
  quarantined: number;
  falseQuarantines: number;
  /** with --check: violations found (first ones in `firstViolations`) */
  violations?: number;
  firstViolations?: string[];
}

interface Row {
  name: string;
  status: 'ok' | 'TIMEOUT' | 'FAILED' | 'INCONSISTENT';
  recipients: number;
  wallMs: number;
  result?: ChildResult;
  error?: string;
}

// ---------------------------------------------------------------------------------------- child

async function child(name: string, recipients: number, check: boolean, out: string): Promise<ChildResult> {
  const { CATALOG_DIR, loadScenario, planOf, runPlan } = await import('../runner/index.ts');
  const plan = planOf(loadScenario(join(CATALOG_DIR, `${name}.yaml`), { recipients }));
  const t0 = performance.now();
  const r = await runPlan(plan, { out, openStore: false });
  const wallMs = performance.now() - t0;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const s = r.summary;
  const res: ChildResult = {
    recipients,
    wallMs,
    maxRssMb,
    delivered: s.messages.delivered,
    failed: s.messages.failed.total,
    pending: s.messages.pending,
    quarantined: s.quarantine.addresses,
    falseQuarantines: s.quarantine.falseQuarantines,
  };
  if (check) {
    const { checkRun } = await import('../runner/index.ts');
    const { formatViolations } = await import('../store/consistency.ts');
    const c = await checkRun(out, plan, { maxPerCheck: 5 });
    res.violations = c.violations.length;
    res.firstViolations = formatViolations(c.violations.slice(0, 5)).split('\n').filter(Boolean);
  }
  return res;
}

// ---------------------------------------------------------------------------------------- parent

/** Default population size of each catalog scenario. */
async function catalog(): Promise<{ name: string; size: number }[]> {
  const { CATALOG_DIR, loadScenario } = await import('../scenarios/index.ts');
  return readdirSync(CATALOG_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({
      name: f.replace(/\.yaml$/, ''),
      size: loadScenario(join(CATALOG_DIR, f)).population.size,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function runChild(name: string, recipients: number, timeoutMs: number, check: boolean, flags: string[]): Row {
  // made here and removed here: a child killed at the timeout cannot clean up after itself
  const out = mkdtempSync(join(tmpdir(), 'mxlab-bench-catalog-'));
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      ...flags,
      ...process.execArgv,
      SELF,
      '--child',
      name,
      '--recipients',
      String(recipients),
      '--out',
      out,
      ...(check ? ['--check'] : []),
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20, timeout: timeoutMs, killSignal: 'SIGKILL' },
  );
  const wallMs = performance.now() - t0;
  rmSync(out, { recursive: true, force: true });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    return { name, status: 'TIMEOUT', recipients, wallMs };
  if (r.status !== 0) {
    const lines = `${r.stderr ?? ''}`.trim().split('\n');
    return {
      name,
      status: 'FAILED',
      recipients,
      wallMs,
      error: `${r.error?.message ?? `exit ${r.status ?? r.signal}`}: ${lines.at(-1) ?? ''}`,
    };
  }
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult;
  const status = (result.violations ?? 0) > 0 ? 'INCONSISTENT' : 'ok';
  return { name, status, recipients, wallMs: result.wallMs, result };
}

const fmtInt = (x: number) => Math.round(x).toLocaleString('en-US');
const lpad = (s: string, w: number) => (s.length >= w ? s : ' '.repeat(w - s.length) + s);
const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));

function printRow(row: Row, check: boolean): void {
  const x = row.result;
  const cells = [
    pad(row.name, 25),
    lpad(fmtInt(row.recipients), 10),
    lpad(row.status === 'TIMEOUT' ? `>${(row.wallMs / 1000).toFixed(0)}` : (row.wallMs / 1000).toFixed(1), 7),
    lpad(x ? `${fmtInt(x.maxRssMb)} MB` : '-', 9),
    lpad(x ? `${fmtInt(x.delivered)} / ${fmtInt(x.failed)} / ${fmtInt(x.pending)}` : '-', 27),
    lpad(x ? fmtInt(x.quarantined) : '-', 11),
    lpad(x ? fmtInt(x.falseQuarantines) : '-', 6),
    ...(check ? [lpad(x?.violations === undefined ? '-' : String(x.violations), 10)] : []),
    `  ${row.status}`,
  ];
  console.log(cells.join('  '));
  if (row.error) console.log(`    ${row.error}`);
  for (const v of x?.firstViolations ?? []) console.log(`    ${v}`);
}

function fail(msg: string): never {
  console.error(`bench-catalog: ${msg}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const o = new Command('bench-catalog')
    .option('--timeout <seconds>', 'per scenario; a run still going is killed and reported as TIMEOUT', '120')
    .option('--recipients <n>', 'run every scenario at n recipients instead of its default size')
    .option('--scale <f>', 'run every scenario at f x its default size (at least 1 recipient)')
    .option('--only <names>', 'comma-separated scenario names (default: the whole catalog)')
    .option('--check', 'also run the store consistency checks on each run')
    .option('--child <name>', '(internal) run one scenario and print JSON')
    .option('--out <dir>', "(internal) the child run's folder")
    .parse()
    .opts<{
      timeout: string;
      recipients?: string;
      scale?: string;
      only?: string;
      check?: boolean;
      child?: string;
      out?: string;
    }>();
  const check = o.check === true;
  if (o.child !== undefined) {
    console.log(JSON.stringify(await child(o.child, Number(o.recipients), check, o.out!)));
    return;
  }
  const timeoutS = Number(o.timeout);
  if (!(timeoutS > 0)) fail(`--timeout: expected a positive number of seconds, got '${o.timeout}'`);
  if (o.recipients !== undefined && o.scale !== undefined)
    fail('--recipients and --scale: give one, not both');
  const fixed = o.recipients === undefined ? undefined : Number(o.recipients);
  if (fixed !== undefined && !(Number.isSafeInteger(fixed) && fixed > 0))
    fail(`--recipients: expected a positive integer, got '${o.recipients}'`);
  const scale = o.scale === undefined ? 1 : Number(o.scale);
  if (!(scale > 0)) fail(`--scale: expected a positive number, got '${o.scale}'`);

  let list = await catalog();
  if (o.only !== undefined) {
    const names = o.only.split(',').map((s) => s.trim());
    const unknown = names.filter((n) => !list.some((s) => s.name === n));
    if (unknown.length)
      fail(`--only: no catalog scenario '${unknown[0]}' (${list.map((s) => s.name).join(', ')})`);
    list = list.filter((s) => names.includes(s.name));
  }
  const flags = cliNodeFlags();
  console.log(
    `bench-catalog — Node ${process.version}, ${list.length} scenarios, timeout ${timeoutS} s each, ` +
      `load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores${flags.length ? `, children with ${flags.join(' ')}` : ''}`,
  );
  console.log('');
  console.log(
    [
      pad('scenario', 25),
      lpad('recipients', 10),
      lpad('wall s', 7),
      lpad('peak RSS', 9),
      lpad('delivered / failed / pending', 27),
      lpad('quarantined', 11),
      lpad('false', 6),
      ...(check ? [lpad('violations', 10)] : []),
      '  status',
    ].join('  '),
  );
  const rows: Row[] = [];
  for (const s of list) {
    const n = fixed ?? Math.max(1, Math.round(s.size * scale));
    const row = runChild(s.name, n, timeoutS * 1000, check, flags);
    rows.push(row);
    printRow(row, check);
  }
  const bad = rows.filter((r) => r.status !== 'ok');
  console.log('');
  console.log(
    bad.length === 0
      ? `all ${rows.length} runs ended within ${timeoutS} s${check ? ', every store consistent' : ''}`
      : `${bad.length} of ${rows.length} not ok: ${bad.map((r) => `${r.name} ${r.status}`).join(', ')}`,
  );
  if (bad.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
