/**
 * `mxlab sweep SCENARIO --grid KEY=V1,V2,... [--grid ...] --seeds N [--workers W] [--recipients N]
 * [--shard I/N] [--parquet] --out DIR`: runs every grid point × N seeds in worker processes and writes
 * DIR/aggregate.{json,md,html}, DIR/summaries.jsonl and each run under DIR/runs/<point>/seed-<s>/.
 * Exit 0 when every run completed, 1 when a run failed (recorded in the aggregate), 2 on bad input.
 */
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { parseGrid, parseShard, planSweep, runSweep, type SweepRunEvent } from '../../sweep/index.ts';
import { CliError, ExitCode } from '../errors.ts';
import { intFlag, outDirFlag, resolveScenarioPath } from '../flags.ts';

interface SweepFlags {
  grid: string[];
  seeds?: string;
  workers?: string;
  recipients?: string;
  shard?: string;
  out?: string;
  parquet?: boolean;
  progress?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  program
    .command('sweep')
    .description(
      'run a scenario over a grid of settings x seeds in parallel; writes an aggregate per grid point',
    )
    .argument('<scenario>', 'scenario file (YAML or JSON) or catalog name, e.g. baseline')
    .option(
      '--grid <key=values>',
      'a grid axis: dotted path = comma-separated values (repeatable)',
      collect,
      [],
    )
    .option('--seeds <n>', 'runs per grid point (seeds s, s+1, ... from the scenario seed)', '1')
    .option('--workers <n>', 'worker processes (default: the number of cores)')
    .option('--recipients <n>', 'population size of every run')
    .option('--shard <i/n>', 'run only shard I of N (0-based: run k belongs to shard k mod N)')
    .option('--parquet', "export each run store's tables and summaries to Parquet")
    .option('--out <dir>', 'output folder (required)')
    .option('--no-progress', 'no progress output')
    .action(async (arg: string, flags: SweepFlags) => {
      if (!flags.out) throw new CliError('sweep: --out DIR is required');
      const file = resolveScenarioPath(arg);
      const axes = parseGrid(flags.grid);
      const plan = planSweep({
        file,
        axes,
        seeds: intFlag('seeds', flags.seeds, 1)!,
        recipients: intFlag('recipients', flags.recipients, 1),
      });
      const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
      const workers = intFlag('workers', flags.workers, 1);
      const inShard = plan.runs.filter((r) => !shard || r.index % shard.count === shard.index).length;
      process.stderr.write(
        `sweep ${plan.scenario.name}: ${plan.points.length} point(s) x ${plan.seedCount} seed(s) = ${plan.runs.length} run(s)` +
          (shard ? `, shard ${shard.index}/${shard.count}: ${inShard} run(s)` : '') +
          '\n',
      );
      const progress = flags.progress === false ? null : makeProgress(inShard);
      let result: Awaited<ReturnType<typeof runSweep>>;
      try {
        result = await runSweep(plan, {
          out: outDirFlag('out', flags.out),
          workers,
          shard,
          parquet: flags.parquet,
          onRun: progress?.update,
        });
      } finally {
        progress?.stop();
      }
      const r = result;
      process.stdout.write(
        `${r.ok + r.failed} run(s) in ${(r.wallMs / 1000).toFixed(1)} s with ${r.workers} worker(s): ${r.ok} ok, ${r.failed} failed\n` +
          `aggregate: ${join(flags.out, 'aggregate.json')} (.md, .html), runs: ${join(flags.out, 'runs')}\n`,
      );
      if (r.failed > 0) {
        for (const p of r.aggregate.points)
          for (const e of p.errors) process.stderr.write(`failed: ${p.id} seed ${e.seed}: ${e.error}\n`);
        process.exitCode = ExitCode.CheckFailed;
      }
    });
}

function makeProgress(total: number) {
  const tty = process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(e: SweepRunEvent) {
      if (tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format: '{bar} {value}/{total} runs | {failed} failed',
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0, { failed: 0 });
        }
        bar.update(e.done, { failed: e.failed });
      } else {
        const what = e.ok ? 'ok' : `FAILED: ${e.error ?? ''}`;
        process.stderr.write(
          `run ${e.done}/${e.total} ${e.run.dir} ${what} (${(e.wallMs / 1000).toFixed(1)} s)\n`,
        );
      }
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
