/**
 * `mxlab compare RUN_A RUN_B [--fail-on EXPR] [--format markdown|text|json]`: headline deltas and who is quarantined in
 * one run and not the other. Exit 1 when a `--fail-on` condition holds, 0 otherwise, 2 on bad input.
 *
 * `mxlab compare --rules OLD NEW SCENARIO [--seed N] [--recipients N] [--out DIR]` runs SCENARIO once
 * per inbound rule set (same seed) into DIR/a and DIR/b, then compares them the same way. When
 * SCENARIO is a run store (an `mxlab ingest` folder, or a run), its attempts are qualified again with
 * each rule set instead (ingest/from-store.ts): "what did our rules do last week, and what would the
 * new ones have done?"
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildStore, readStoreLog } from '../../ingest/index.ts';
import { compareRuns, renderCompareJson, renderCompareMarkdown } from '../../reports/index.ts';
import { loadScenario, planOf, runPlan } from '../../runner/index.ts';
import { openRunStore, storeFile } from '../../store/index.ts';
import { CliError, ExitCode } from '../errors.ts';
import { intFlag, outDirFlag, resolveScenarioPath } from '../flags.ts';

interface CompareFlags {
  failOn?: string;
  json?: boolean;
  format?: string;
  rules?: boolean;
  seed?: string;
  recipients?: string;
  out?: string;
}

/** Runs SCENARIO with each rule set (file or folder) into OUT/a and OUT/b; returns the two run folders. */
async function runBoth(
  oldRules: string,
  newRules: string,
  scenarioArg: string,
  flags: CompareFlags,
): Promise<[string, string]> {
  for (const r of [oldRules, newRules])
    if (!existsSync(r)) throw new CliError(`--rules: ${r}: no such rule file or folder`);
  if (isStore(scenarioArg)) return requalifyBoth(oldRules, newRules, scenarioArg, flags);
  const file = resolveScenarioPath(scenarioArg);
  const overrides = {
    seed: intFlag('seed', flags.seed),
    recipients: intFlag('recipients', flags.recipients),
  };
  const base = planOf(loadScenario(file, overrides));
  const out = outDirFlag('out', flags.out ?? join('out', `${base.name}-rules`));
  const dirs: [string, string] = [join(out, 'a'), join(out, 'b')];
  for (const [i, rules] of [oldRules, newRules].entries()) {
    const plan = { ...base, rules: { ...base.rules, inbound: resolve(rules) } };
    process.stderr.write(`running ${base.name} with ${rules} into ${dirs[i]}\n`);
    await runPlan(plan, { out: dirs[i]!, openStore: false });
  }
  return dirs;
}

/** A run folder holding a store, or a .duckdb file. */
function isStore(arg: string): boolean {
  if (arg.endsWith('.duckdb')) return existsSync(arg);
  return existsSync(arg) && statSync(arg).isDirectory() && existsSync(storeFile(arg));
}

/** Qualifies the attempts of STORE again with each rule set into OUT/a and OUT/b. */
async function requalifyBoth(
  oldRules: string,
  newRules: string,
  storeArg: string,
  flags: CompareFlags,
): Promise<[string, string]> {
  const store = await openRunStore(storeArg, { readonly: true });
  const log = await readStoreLog(store).finally(() => store.close());
  if (log.records.length === 0) throw new CliError(`${storeArg}: the store has no attempts to qualify again`);
  const out = flags.out ?? join('out', 'rules-requalified');
  const dirs: [string, string] = [join(out, 'a'), join(out, 'b')];
  for (const [i, rules] of [oldRules, newRules].entries()) {
    process.stderr.write(
      `qualifying ${log.records.length} attempts of ${storeArg} with ${rules} into ${dirs[i]}\n`,
    );
    await buildStore(dirs[i]!, log.records.slice(), log.initial, {
      mode: log.mode,
      rules: resolve(rules),
      format: log.format,
      sources: [storeArg],
      startEpoch: log.startEpoch,
    });
  }
  return dirs;
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('compare two runs of the same scenario and seed (different rules or settings)')
    .argument('<runA>', 'baseline run folder or .duckdb file (with --rules: the old rule file or folder)')
    .argument('<runB>', 'candidate run folder or .duckdb file (with --rules: the new rule file or folder)')
    .argument(
      '[scenario]',
      'with --rules: the scenario to run with each rule set, or a run store (e.g. from mxlab ingest) to qualify again',
    )
    .option('--rules', 'run SCENARIO with the rule sets RUN_A and RUN_B first, then compare')
    .option('--seed <n>', 'with --rules: seed (overrides the scenario)')
    .option('--recipients <n>', 'with --rules: population size (overrides the scenario)')
    .option('--out <dir>', 'with --rules: where the two runs go (default out/<scenario>-rules)')
    .option(
      '--fail-on <expr>',
      'exit 1 when a condition holds on B or on B vs A, e.g. "falseQuarantines>0,quarantine.rate>+0.5pp,timeToDeliver.p90>+10%"',
    )
    .option('--json', 'print JSON instead of Markdown (same as --format json)')
    .option(
      '--format <format>',
      'markdown, text (Markdown layout, texts unescaped) or json; default text on a terminal, markdown otherwise',
    )
    .action(async (argA: string, argB: string, scenario: string | undefined, opts: CompareFlags) => {
      if (opts.failOn !== undefined && opts.failOn.trim() === '')
        throw new CliError('--fail-on needs an expression');
      const format = opts.json ? 'json' : (opts.format ?? (process.stdout.isTTY ? 'text' : 'markdown'));
      if (format !== 'markdown' && format !== 'text' && format !== 'json')
        throw new CliError(`--format: expected markdown, text or json, got '${format}'`);
      if (opts.rules && !scenario) throw new CliError('--rules needs OLD NEW SCENARIO');
      if (!opts.rules && scenario)
        throw new CliError(`unexpected argument '${scenario}' (did you mean --rules?)`);
      const [runA, runB] = opts.rules ? await runBoth(argA, argB, scenario!, opts) : [argA, argB];
      const a = await openRunStore(runA, { readonly: true });
      try {
        const b = await openRunStore(runB, { readonly: true });
        try {
          const r = await compareRuns(a, b, { failOn: opts.failOn });
          process.stdout.write(format === 'json' ? renderCompareJson(r) : renderCompareMarkdown(r, format));
          if (r.failed) {
            const held = r.failOn.filter((f) => f.holds).map((f) => f.text);
            process.stderr.write(`mxlab: --fail-on: ${held.join(', ')}\n`);
            process.exitCode = ExitCode.CheckFailed;
          }
        } finally {
          b.close();
        }
      } finally {
        a.close();
      }
    });
}
