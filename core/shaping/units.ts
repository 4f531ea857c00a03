/**
 * Durations and rates as users write them in data files: `90m`, `4h`, `10s`, `1d` or plain integer
 * milliseconds; rates as `1200/h`, `1/min`, `50000/d`. Parsed once at load time into integers.
 */
import { z } from 'zod';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)$/;
const RATE_RE = /^(\d+)\s*\/\s*(s|m|min|h|d)$/;

/** Parses `90m`, `4h`, `10s`, `250ms`, `1d` to integer ms; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

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

/** zod: a duration as integer ms or text with a unit; output is integer ms. */
export const durationSchema = z.union([z.number(), z.string()]).transform((v, ctx): number => {
  const ms = typeof v === 'number' ? (Number.isInteger(v) && v >= 0 ? v : null) : parseDuration(v);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `bad duration ${JSON.stringify(v)} (expected e.g. 10s, 4m, 3h, 1d or integer ms)`,
    });
    return z.NEVER;
  }
  return ms;
});

/** zod: a rate as text (`1200/h`, `1/min`), or an integer meaning messages per hour; output is a {@link Rate}. */
export const rateSchema = z.union([z.number(), z.string()]).transform((v, ctx): Rate => {
  const r =
    typeof v === 'number'
      ? Number.isInteger(v) && v >= 0
        ? { count: v, periodMs: UNIT_MS.h! }
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
  return (rate.count * UNIT_MS.h!) / rate.periodMs;
}
