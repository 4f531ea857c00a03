/** Number formatting shared by the renderers (fixed locale so output does not depend on the machine). */
import { formatDurationShort } from './time-notation.ts';

/** 12345 -> `12,345`. */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 0.12345 -> `12.35 %`. */
export function pct(ratio: number | null, digits = 2): string {
  if (ratio === null) return '—';
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** A duration or an em dash for null. */
export function dur(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : formatDurationShort(ms);
}
