/**
 * Durations in data files: a number of milliseconds, or text such as `20m`, `1h30m`, `4d12h`, `1200s`,
 * `250ms` (units d, h, m, s, ms). Used by the retry policy schemas so presets read like the MTAs' docs.
 */
import { z } from 'zod';
import type { Millis } from '../types.ts';

const UNIT: Readonly<Record<string, number>> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const PART = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/gy;

/** Parses `4d12h`-style text to integer ms; returns null when the text is not a duration. */
export function parseDuration(text: string): Millis | null {
  const s = text.trim();
  if (s === '') return null;
  PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let m = PART.exec(s); m !== null; m = PART.exec(s)) {
    total += Number(m[1]) * UNIT[m[2]!]!;
    end = PART.lastIndex;
  }
  return end === s.length ? Math.round(total) : null;
}

/** Zod schema: a non-negative integer of ms, or duration text; outputs ms. */
export const durationSchema = z.union([z.number().int().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration like 20m, 1h30m, 4d12h or a number of ms, got "${v}"`,
    });
    return z.NEVER;
  }
  return ms;
});

/** A strictly positive duration. */
export const positiveDurationSchema = durationSchema.refine(
  (v) => v > 0,
  'expected a duration greater than 0',
);
