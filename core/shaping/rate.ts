/**
 * Rates as users write them in data files: `1200/h`, `1/min`, `50000/d`. Parsed once at load time into
 * integers. Durations are core/duration.ts's.
 */
import { z } from 'zod';
import { UNIT_MS } from '../duration.ts';
import { HOUR } from '../types.ts';

const RATE_RE = /^(\d+)\s*\/\s*(s|m|min|h|d)$/;

/** A message rate: `count` messages per `periodMs`. */
export interface Rate {
  count: number;
  periodMs: number;
}

/** Parses `1200/h`, `1/min`, `50000/d` to a {@link Rate}; null when malformed. */
export function parseRate(text: string): Rate | null {
  const m = RATE_RE.exec(text.trim());
  if (!m) return null;
  return { count: Number(m[1]), periodMs: UNIT_MS[m[2]!]! };
}

/** zod: a rate as text (`1200/h`, `1/min`), or an integer meaning messages per hour; output is a {@link Rate}. */
export const rateSchema = z.union([z.number(), z.string()]).transform((v, ctx): Rate => {
  const r =
    typeof v === 'number'
      ? Number.isInteger(v) && v >= 0
        ? { count: v, periodMs: HOUR }
        : null
      : parseRate(v);
  if (r === null) {
    ctx.addIssue({
      code: 'custom',
      message: `bad rate ${JSON.stringify(v)} (expected e.g. 1200/h, 1/min, 50000/d)`,
    });
    return z.NEVER;
  }
  return r;
});

/** Messages per hour equivalent of a rate (may be fractional). */
export function perHour(rate: Rate): number {
  return (rate.count * HOUR) / rate.periodMs;
}
