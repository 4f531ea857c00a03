/**
 * Run-relative times in profiles: a number of ms since the run started, or `dayN HH:MM[:SS]`
 * (the engine's notation, engine/time.ts)
 * where `day1 00:00` is the start of the run (so `day1 07:00` = 7 h, `day2 00:00` = 24 h).
 */
import { z } from 'zod';
import { EngineError, parseDayTime as parseDayTimeOrThrow } from '../../engine/index.ts';

/**
 * Parses `dayN[ HH:MM[:SS[.mmm]]]` into ms since the run started, or returns null when the text does
 * not match. The grammar is the engine's (engine/time.ts owns it); only the failure is a null here.
 */
export function parseDayTime(text: string): number | null {
  try {
    return parseDayTimeOrThrow(text);
  } catch (err) {
    if (err instanceof EngineError) return null;
    throw err;
  }
}

/** Zod schema: a non-negative integer of ms, or a `dayN HH:MM` string (the engine's grammar), output as ms. */
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
