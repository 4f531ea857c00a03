/**
 * `mxlab run SCENARIO [--seed N] [--out DIR] [--recipients N] [--table FILE] [--timing FILE] [--json]`:
 * runs a scenario (a file, or a catalog name such as `isp-outage`) in virtual time, writes the run
 * store and `summary.json` to DIR, and prints the headline figures. A progress bar on a terminal,
 * plain progress lines otherwise. `--timing FILE` writes where the wall time went (the runner's
 * `RunTiming`: setupMs, simulationMs, events, finalTablesMs, storeCloseMs, summaryMs, wallMs) as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { headlineLines, type Summary } from '../../reports/index.ts';
import { loadScenario, planOf, runPlan, wirePorts } from '../../runner/index.ts';
import { intFlag, outDirFlag, outFileFlag, resolveScenarioPath } from '../flags.ts';

/** Kept here too for scripts that import them from the run command (scripts/bench-run.ts). */
export { intFlag, resolveScenarioPath };

interface RunFlags {
  seed?: string;
  out?: string;
  recipients?: string;
  json?: boolean;
  progress?: boolean;
  wire?: boolean;
  table?: string;
  timing?: string;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run a scenario in virtual time; writes run.duckdb and summary.json')
    .argument('<scenario>', 'scenario file (YAML, JSON or TS) or catalog name, e.g. isp-outage')
    .option('--seed <n>', 'seed (overrides the scenario)')
    .option('--out <dir>', 'output folder (default out/<scenario name>)')
    .option('--recipients <n>', 'population size (overrides the scenario)')
    .option('--json', 'print summary.json instead of the headline')
    .option('--no-progress', 'no progress output')
    .option('--table <file>', 'qualification table CSV: loaded before the run if it exists, saved after it')
    .option('--wire', 'real SMTP and DNS on loopback: fake MX servers on 127.x.y.z, dns2 on 127.0.0.1')
    .option('--timing <file>', "write the run's phase profile (wall ms of each phase, events) as JSON")
    .action(async (arg: string, flags: RunFlags) => {
      const file = resolveScenarioPath(arg);
      const scenario = loadScenario(file, {
        seed: intFlag('seed', flags.seed),
        recipients: intFlag('recipients', flags.recipients),
      });
      const plan = planOf(scenario);
      const out = outDirFlag('out', flags.out ?? join('out', plan.name || basename(file)));
      const timing = flags.timing === undefined ? undefined : outFileFlag('timing', flags.timing);
      const progress = flags.progress === false ? null : makeProgress(plan.horizonMs);
      try {
        const result = await runPlan(plan, {
          out,
          onProgress: progress?.update,
          openStore: false,
          ports: flags.wire ? wirePorts() : undefined,
          table: flags.table,
        });
        progress?.stop();
        if (timing) {
          mkdirSync(dirname(timing), { recursive: true });
          writeFileSync(timing, `${JSON.stringify(result.timing, null, 2)}\n`);
        }
        if (flags.json) process.stdout.write(result.summaryJson);
        else process.stdout.write(headline(result.summary, out, result.wallMs));
      } finally {
        progress?.stop();
      }
    });
}

function makeProgress(horizonMs: number) {
  const tty = process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | null = null;
  let lastLine = 0;
  return {
    update(p: { nowMs: number; now: string; attempts: number; eventsPerSecond: number; done: boolean }) {
      if (tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format: '{bar} {now} | {attempts} attempts | {eps} events/s',
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(horizonMs, 0, { now: 'day1 00:00', attempts: 0, eps: 0 });
        }
        bar.update(Math.min(p.nowMs, horizonMs), {
          now: p.now,
          attempts: p.attempts,
          eps: p.eventsPerSecond,
        });
      } else {
        const wall = Date.now();
        if (wall - lastLine < 2000 && !p.done) return;
        lastLine = wall;
        process.stderr.write(`progress: ${p.now} ${p.attempts} attempts ${p.eventsPerSecond} events/s\n`);
      }
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** The few figures a user reads first. */
export function headline(s: Summary, out: string, wallMs: number): string {
  const m = s.messages;
  const q = s.quarantine;
  const lines = [
    `scenario ${s.scenario.name} (seed ${s.seed}) completed at ${s.completedAt.text} virtual, in ${(wallMs / 1000).toFixed(1)} s`,
    `messages: ${m.targeted} targeted, ${m.excluded.total} excluded, ${m.delivered} delivered, ${m.failed.total} failed, ${m.pending} pending${m.cancelled ? `, ${m.cancelled} cancelled` : ''}`,
    `quarantine: ${q.addresses} addresses (${pct(q.rate)}), falseQuarantines ${q.falseQuarantines}, missedQuarantines ${q.missedQuarantines}`,
    // the same in deliverability terms: rules, domains, windows; complaints and the denylist
    ...headlineLines(s).map((l) => `  ${l.tone === 'bad' ? '!' : '-'} ${l.text}`),
    `throughput: peak ${s.throughput.peakPerHour}/h`,
    // async mail that named no message of the run changed nothing: say so when there is any
    ...(s.inmail.unmatched > 0
      ? [`inmail: ${s.inmail.unmatched} of ${s.inmail.results} results matched no message (ignored)`]
      : []),
    `run store: ${join(out, 'run.duckdb')}, summary: ${join(out, 'summary.json')}`,
  ];
  return `${lines.join('\n')}\n`;
}
