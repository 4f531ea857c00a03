/**
 * Run-relative times in profiles: a number of ms since the run started, or `dayN HH:MM[:SS]`
 * where `day1 00:00` is the start of the run (so `day1 07:00` = 7 h, `day2 00:00` = 24 h).
 */
import { z } from 'zod';
import { DAY, HOUR, MINUTE } from '../../core/types.ts';

const DAY_TIME = /^day(\d+)\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/i;

/** Parses `dayN HH:MM[:SS]` into ms since the run started, or returns null when the text does not match. */
export function parseDayTime(text: string): number | null {
  const m = DAY_TIME.exec(text.trim());
  if (!m) return null;
  const day = Number(m[1]);
  const h = Number(m[2]);
  const min = Number(m[3]);
  const s = m[4] === undefined ? 0 : Number(m[4]);
  if (day < 1 || h > 23 || min > 59 || s > 59) return null;
  return (day - 1) * DAY + h * HOUR + min * MINUTE + s * 1000;
}

/** Zod schema: a non-negative integer of ms, or a `dayN HH:MM` string, output as ms. */
export const runTimeSchema = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  const ms = typeof v === 'string' ? parseDayTime(v) : null;
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `expected ms since the run started or "dayN HH:MM", got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
  return ms;
});
