/** Quantiles of small samples (the runs of one grid point), by linear interpolation between order statistics. */

/**
 * The q-quantile (0 <= q <= 1) of `values` by linear interpolation (R type 7, numpy's default):
 * position h = (n - 1) q between the sorted values. NaN for an empty sample.
 */
export function quantile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Sorted copy in numeric order. */
export function sortedNumbers(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Rounds to `digits` decimals, without a negative zero. */
export function fixed(x: number, digits: number): number {
  const r = Number(x.toFixed(digits));
  return r === 0 ? 0 : r;
}
