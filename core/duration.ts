/**
 * Durations as users write them, the one grammar for every layer above the engine (scenarios, retry
 * presets, MX and adaptive rules): a bare number of milliseconds (`250`), or one or more parts of a
 * number and a unit, `90m`, `1h30m`, `1.5h`, `2d 3h`, `4 min`, `500ms` (units d, h, m or min, s, ms,
 * any case; spaces allowed between a number and its unit and between parts). The result is integer
 * ms (rounded). The engine has no duration parser: its callers pass ms.
 */
import { z } from 'zod';
import { DAY, HOUR, MINUTE, type Millis } from './types.ts';

const SECOND = 1000;
/** ms of each duration unit (lower case); core/shaping/rate.ts's periods are the same units */
export const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: SECOND,
  m: MINUTE,
  min: MINUTE,
  h: HOUR,
  d: DAY,
};
const PART = /(\d+(?:\.\d+)?)\s*(ms|min|d|h|m|s)/iy;

/** Parses duration text to integer ms; null when it is not a duration or not a safe integer of ms. */
export function parseDuration(text: string): Millis | null {
  const src = text.trim();
  if (src === '') return null;
  if (/^\d+$/.test(src)) {
    const n = Number(src);
    return Number.isSafeInteger(n) ? n : null;
  }
  let total = 0;
  let pos = 0;
  while (pos < src.length) {
    while (src[pos] === ' ') pos++;
    PART.lastIndex = pos;
    const m = PART.exec(src);
    if (m === null) return null;
    total += Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!;
    pos = PART.lastIndex;
  }
  const ms = Math.round(total);
  return Number.isSafeInteger(ms) ? ms : null;
}

/**
 * Integer ms as an exact compact duration (`1d2h30m`, `45s`, `250ms`, `0ms`) that
 * {@link parseDuration} reads back to the same ms. Reports' rounded short form is
 * `formatDurationShort` in reports/time-notation.ts.
 */
export function formatDurationExact(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`cannot format duration ${ms}: expected a finite number >= 0`);
  let rest = Math.round(ms);
  if (rest === 0) return '0ms';
  let out = '';
  for (const [u, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${u}`;
    rest -= n * size;
  }
  if (rest > 0) out += `${rest}ms`;
  return out;
}

/** The message a data file's bad duration gets (after its place: `file:line: field: `). */
export function badDurationMessage(value: unknown): string {
  return `expected a duration like "5d", "36h", "90m", "1h30m" or a number of ms, got ${JSON.stringify(value)}`;
}

/** zod: a non-negative integer of ms, or duration text; outputs integer ms. */
export const durationSchema = z.union([z.number().int().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: badDurationMessage(v) });
    return z.NEVER;
  }
  return ms;
});

/** zod: a duration greater than 0. */
export const positiveDurationSchema = durationSchema.refine(
  (v) => v > 0,
  'expected a duration greater than 0',
);
