/**
 * `--fail-on` expressions: comma-separated conditions evaluated on run B, or on B against A.
 *
 * | form | meaning |
 * | --- | --- |
 * | `falseQuarantines>0` | B's value (ratios are 0..1: `quarantine.rate>0.05`) |
 * | `missedQuarantines>+3` | absolute delta B - A (a sign and no unit) |
 * | `quarantine.rate>+0.5pp` | delta in percentage points, (B - A) x 100; ratio metrics only |
 * | `timeToDeliver.p90>+10%` | relative delta (B - A) / abs(A) x 100 |
 *
 * A signed value without a unit on a ratio metric (`quarantine.rate>+0.5`) is refused as ambiguous
 * (a fraction, or percentage points?), and so is an unsigned ratio value above 1: the message shows
 * the accepted forms.
 *
 * Operators: `>`, `>=`, `<`, `<=`, `==`, `!=`. A condition that cannot be computed (a metric without
 * a value, a relative delta from 0 to 0 is 0, from 0 to more is +Infinity) is reported as such.
 */
import { METRIC_ALIASES, type MetricValue } from './metric-map.ts';

export type FailOnMode = 'absolute' | 'delta' | 'pp' | 'relative';
export type FailOnOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

export interface FailOnCondition {
  /** the text as written */
  text: string;
  metric: string;
  op: FailOnOp;
  mode: FailOnMode;
  threshold: number;
}

export interface FailOnResult extends FailOnCondition {
  /** the compared quantity (B, B - A, pp or %), null when not computable */
  actual: number | null;
  holds: boolean;
}

/** A bad `--fail-on` expression; names the condition. Exit code 2. */
export class FailOnError extends Error {
  readonly code = 'MXLAB_FAIL_ON';
  readonly exitCode = 2;
  constructor(
    readonly condition: string,
    detail: string,
  ) {
    super(`bad --fail-on condition '${condition}': ${detail}`);
    this.name = 'FailOnError';
  }
}

const COND =
  /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(>=|<=|==|!=|>|<)\s*([+-])?\s*(\d+(?:\.\d+)?|\.\d+)\s*(pp|%)?\s*$/;

/** Parses an expression against the known metric names (`metrics` gives names and whether each is a ratio). */
export function parseFailOn(expr: string, metrics: ReadonlyMap<string, MetricValue>): FailOnCondition[] {
  const parts = expr.split(',');
  if (expr.trim() === '') throw new FailOnError(expr, 'empty expression');
  return parts.map((raw) => {
    const text = raw.trim();
    if (text === '') throw new FailOnError(expr, 'empty condition between commas');
    const m = COND.exec(text);
    if (!m)
      throw new FailOnError(
        text,
        'expected METRIC OP VALUE, e.g. falseQuarantines>0, quarantine.rate>+0.5pp, timeToDeliver.p90>+10%',
      );
    const name = METRIC_ALIASES[m[1]!] ?? m[1]!;
    const metric = metrics.get(name);
    if (!metric)
      throw new FailOnError(text, `unknown metric '${m[1]}' (known: ${[...metrics.keys()].join(', ')})`);
    const sign = m[3];
    const unit = m[5];
    let threshold = Number(m[4]);
    if (sign === '-') threshold = -threshold;
    let mode: FailOnMode = 'absolute';
    if (unit === 'pp') {
      if (!metric.ratio)
        throw new FailOnError(
          text,
          `'pp' (percentage points) applies to ratio metrics only; '${name}' is a count or a duration`,
        );
      mode = 'pp';
    } else if (unit === '%') mode = 'relative';
    else if (sign !== undefined) {
      if (metric.ratio) throw new FailOnError(text, ambiguousRatio(m[1]!, m[2]!, sign, Number(m[4])));
      mode = 'delta';
    } else if (metric.ratio && threshold > 1)
      throw new FailOnError(
        text,
        `'${name}' is a ratio from 0 to 1; write ${m[1]}${m[2]}${fix(threshold / 100)} for ${threshold} %, or a change as +${m[4]}pp or +${m[4]}%`,
      );
    return { text, metric: name, op: m[2] as FailOnOp, mode, threshold };
  });
}

/** Round for display: 0.005 rather than 0.005000000000000001. */
function fix(x: number): number {
  return Number(x.toPrecision(6));
}

/** The message for a ratio change without a unit: the accepted forms, with the user's number. */
function ambiguousRatio(metric: string, op: string, sign: string, v: number): string {
  return (
    `ambiguous unit: is ${sign}${v} a fraction or percentage points? Accepted forms: ` +
    `${metric}${op}${sign}${v}pp (percentage points, B - A), ` +
    `${metric}${op}${sign}${v}% (relative change, (B - A) / A), ` +
    `${metric}${op}${fix(v / 100)} (B's value, 0..1)`
  );
}

function compare(a: number, op: FailOnOp, b: number): boolean {
  const eps = 1e-9;
  switch (op) {
    case '>':
      return a > b + eps;
    case '>=':
      return a >= b - eps;
    case '<':
      return a < b - eps;
    case '<=':
      return a <= b + eps;
    case '==':
      return Math.abs(a - b) <= eps;
    case '!=':
      return Math.abs(a - b) > eps;
  }
}

/** The compared quantity of a condition, or null when a value is missing. */
export function conditionValue(
  c: FailOnCondition,
  a: MetricValue | undefined,
  b: MetricValue,
): number | null {
  if (b.value === null) return null;
  if (c.mode === 'absolute') return b.value;
  if (!a || a.value === null) return null;
  const d = b.value - a.value;
  if (c.mode === 'delta') return d;
  if (c.mode === 'pp') return d * 100;
  if (a.value === 0) return d === 0 ? 0 : d > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return (d / Math.abs(a.value)) * 100;
}

/**
 * Evaluates conditions on B (and A for deltas). `a` may be null when only one run is given;
 * then a delta condition is an error naming it.
 */
export function evaluateFailOn(
  conditions: readonly FailOnCondition[],
  a: ReadonlyMap<string, MetricValue> | null,
  b: ReadonlyMap<string, MetricValue>,
): FailOnResult[] {
  return conditions.map((c) => {
    if (c.mode !== 'absolute' && a === null)
      throw new FailOnError(c.text, 'a delta needs two runs (compare A B)');
    const actual = conditionValue(c, a?.get(c.metric), b.get(c.metric)!);
    return { ...c, actual, holds: actual !== null && compare(actual, c.op, c.threshold) };
  });
}
