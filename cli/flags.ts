/**
 * Reading command-line flag values: every error names the flag and what it accepts (exit 2).
 * One owner for the checks that several commands share (integers, output folders, times, scenario names).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { parseTimeNotation } from '../engine/index.ts';
import { CATALOG_DIR, MAX_POPULATION } from '../scenarios/index.ts';
import { CliError } from './errors.ts';

/** Bounds of the integer flags that have one; the rest are `>= 0`. */
const INT_BOUNDS: Readonly<Record<string, { min: number; max: number }>> = {
  recipients: { min: 1, max: MAX_POPULATION },
};

/**
 * An integer flag (`--seeds 3`), or undefined when absent. `min` defaults to the flag's bound
 * (`--recipients`: 1 to MAX_POPULATION) or 0; the message is the same for every bad value.
 */
export function intFlag(name: string, value: string | undefined, min?: number): number | undefined {
  if (value === undefined) return undefined;
  const bound = INT_BOUNDS[name];
  const lo = min ?? bound?.min ?? 0;
  const hi = bound?.max ?? Number.MAX_SAFE_INTEGER;
  const range = bound ? `an integer from ${lo} to ${hi.toLocaleString('en-US')}` : `an integer >= ${lo}`;
  const n = Number(value);
  if (!/^\s*[+-]?\d+\s*$/.test(value) || n < lo || n > hi)
    throw new CliError(`--${name}: expected ${range}, got '${value}'`);
  return n;
}

/**
 * An output folder flag: refused when the path exists and is not a folder, or when a parent on the
 * way is a file (mkdir would fail with EEXIST or ENOTDIR and not say which flag).
 */
export function outDirFlag(name: string, dir: string): string {
  for (let p = dir; ; p = dirname(p)) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory())
        throw new CliError(`--${name}: ${p} is a file; expected a folder${p === dir ? '' : ` (for ${dir})`}`);
      return dir;
    }
    if (dirname(p) === p) return dir;
  }
}

/**
 * An output file flag: refused when the path is a folder or a parent on the way is a file, before
 * the work whose result it receives; missing folders on the way are created when it is written.
 */
export function outFileFlag(name: string, file: string): string {
  if (existsSync(file) && statSync(file).isDirectory())
    throw new CliError(`--${name}: ${file} is a folder; expected a file`);
  outDirFlag(name, dirname(file));
  return file;
}

/** A time flag: `dayN HH:MM[:SS]` (day1 00:00 = start of the run) or integer ms. */
export function timeFlag(name: string, value: string): number {
  try {
    return parseTimeNotation(value);
  } catch {
    throw new CliError(
      `--${name}: bad time '${value}': expected dayN HH:MM (e.g. 'day1 07:00', day1 00:00 = start of the run) or integer ms`,
    );
  }
}

const SCENARIO_EXTS = ['.yaml', '.yml', '.json', '.ts'];

/** The catalog's scenario names (files of scenarios/catalog/ without their extension). */
export function catalogNames(): string[] {
  return readdirSync(CATALOG_DIR)
    .filter((f) => SCENARIO_EXTS.includes(extname(f)) && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -extname(f).length))
    .sort();
}

/** Edit distance (insert, delete, substitute, swap of neighbours), for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/** The closest names to `word` (a third of its length or 2 edits at most, or sharing a prefix). */
export function closest(word: string, names: readonly string[]): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 3));
  const scored = names
    .map((n) => ({ n, d: distance(w, n.toLowerCase()) }))
    .filter((x) => x.d <= limit || (w.length >= 4 && x.n.startsWith(w)));
  if (scored.length === 0) return [];
  const best = Math.min(...scored.map((x) => x.d));
  return scored.filter((x) => x.d === best || x.n.startsWith(w)).map((x) => x.n);
}

/** A scenario argument: a path, or the name of a catalog scenario; "did you mean" for a near miss. */
export function resolveScenarioPath(arg: string): string {
  if (existsSync(arg)) return arg;
  for (const ext of SCENARIO_EXTS) {
    const p = join(CATALOG_DIR, `${arg}${ext}`);
    if (existsSync(p)) return p;
  }
  const near = closest(arg, catalogNames());
  const hint = near.length
    ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)`
    : ' (mxlab run --help; catalog: scenarios/catalog/)';
  throw new CliError(`${arg}: no such scenario file or catalog scenario${hint}`);
}
