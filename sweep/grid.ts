/**
 * Grid axes of a sweep: `KEY=V1,V2,...` where KEY is a dotted path into the scenario input as a user
 * writes it (`mta.localIps`, `deliveries[0].validity`, `mode`). Values are coerced the way YAML would
 * read them (numbers, `true`/`false`, `null`, else strings), or given as a JSON array
 * (`mta.localIps=[["127.0.1.1"],["127.0.1.1","127.0.1.2"]]`) when a value holds a comma.
 */

import { type GridValue, valueText } from '../reports/sweep/index.ts';

// a grid value and its text belong to the aggregate layout the reports read (one owner)
export { type GridValue, valueText };

/** One axis of the grid: a path and its values, in the order given. */
export interface GridAxis {
  /** the path as written, e.g. `deliveries[0].validity` */
  key: string;
  /** the path split into object keys and array indexes */
  path: (string | number)[];
  values: GridValue[];
}

/** Bad sweep input (a grid key or value, a shard, manifests that do not match): exit code 2, names the place. */
export class SweepError extends Error {
  readonly code = 'MXLAB_SWEEP';
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'SweepError';
  }
}

const SEGMENT = /^([A-Za-z_$][\w$]*)((?:\[\d+\])*)$/;

/** `deliveries[0].validity` -> `['deliveries', 0, 'validity']`; throws SweepError on bad syntax. */
export function parseKeyPath(key: string): (string | number)[] {
  if (key === '') throw new SweepError(`--grid: empty key (expected KEY=V1,V2,... like mta.localIps=1,2,4)`);
  const out: (string | number)[] = [];
  for (const part of key.split('.')) {
    const m = SEGMENT.exec(part);
    if (!m) throw new SweepError(`--grid ${key}: bad key syntax at "${part}" (expected a.b[0].c)`);
    out.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A command-line token as YAML would read it: number, boolean, null, else the string. */
export function coerceToken(token: string): GridValue {
  if (NUMBER.test(token)) return Number(token);
  if (token === 'true') return true;
  if (token === 'false') return false;
  if (token === 'null') return null;
  return token;
}

/** Parses one `--grid KEY=V1,V2,...` argument. */
export function parseGridArg(arg: string): GridAxis {
  const eq = arg.indexOf('=');
  if (eq < 0) throw new SweepError(`--grid ${arg}: expected KEY=V1,V2,... (e.g. mta.localIps=1,2,4)`);
  const key = arg.slice(0, eq).trim();
  const rest = arg.slice(eq + 1).trim();
  const path = parseKeyPath(key);
  let values: GridValue[];
  if (rest.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rest);
    } catch (err) {
      throw new SweepError(`--grid ${key}: the value list is not valid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(parsed)) throw new SweepError(`--grid ${key}: expected a JSON array of values`);
    values = parsed as GridValue[];
  } else values = rest === '' ? [] : rest.split(',').map((v) => coerceToken(v.trim()));
  if (values.length === 0) throw new SweepError(`--grid ${key}: no values (expected ${key}=V1,V2,...)`);
  const seen = new Set<string>();
  for (const v of values) {
    const k = JSON.stringify(v);
    if (seen.has(k)) throw new SweepError(`--grid ${key}: value ${k} given twice`);
    seen.add(k);
  }
  return { key, path, values };
}

/** Parses every `--grid` argument; a key given twice (or one a prefix of another) is an error. */
export function parseGrid(args: readonly string[]): GridAxis[] {
  const axes = args.map(parseGridArg);
  for (let i = 0; i < axes.length; i++)
    for (let j = 0; j < i; j++) {
      const a = axes[j]!.path;
      const b = axes[i]!.path;
      const n = Math.min(a.length, b.length);
      if (a.slice(0, n).every((s, k) => s === b[k]))
        throw new SweepError(`--grid ${axes[i]!.key}: overlaps --grid ${axes[j]!.key}`);
    }
  return axes;
}

/**
 * Returns a deep copy of `input` with `value` at `path`. Missing objects on the way are created; an
 * array index past the end, or a step into a non-object, is a SweepError naming the key.
 */
export function setAtPath(
  input: unknown,
  key: string,
  path: readonly (string | number)[],
  value: GridValue,
): unknown {
  const root = structuredClone(input) as Record<string, unknown>;
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    const here = i === 0 ? 'the scenario' : pathText(path.slice(0, i));
    if (typeof seg === 'number') {
      if (!Array.isArray(node)) throw new SweepError(`--grid ${key}: ${here} is not a list`);
      if (seg >= node.length)
        throw new SweepError(`--grid ${key}: index ${seg} is out of range (the scenario has ${node.length})`);
      if (last) node[seg] = structuredClone(value);
      else node = node[seg];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node))
        throw new SweepError(`--grid ${key}: cannot set "${seg}" inside a value that is not an object`);
      const obj = node as Record<string, unknown>;
      if (last) obj[seg] = structuredClone(value);
      else {
        if (obj[seg] === undefined) obj[seg] = typeof path[i + 1] === 'number' ? [] : {};
        node = obj[seg];
      }
    }
  }
  return root;
}

/** `['deliveries', 0, 'validity']` -> `deliveries[0].validity`. */
export function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** The grid points: the cartesian product of the axes, the first axis varying slowest. */
export function gridPoints(axes: readonly GridAxis[]): GridValue[][] {
  let points: GridValue[][] = [[]];
  for (const axis of axes) {
    const next: GridValue[][] = [];
    for (const p of points) for (const v of axis.values) next.push([...p, v]);
    points = next;
  }
  return points;
}
