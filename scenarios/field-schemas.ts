/**
 * Field schemas shared by the scenario format's parts (schema.ts, action-schema.ts,
 * rule-sync-schema.ts): durations and times of the run as users write them.
 */
import { z } from 'zod';
import { parseDuration } from '../engine/time.ts';

/** A duration: `5d`, `36h`, `90m`, `1h30m`, `500ms` or a number of ms; output integer ms. */
export const durationInputSchema = z
  .union([z.number().int().nonnegative(), z.string().min(1)])
  .transform((v, ctx): number => {
    if (typeof v === 'number') return v;
    try {
      return parseDuration(v);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration like "5d", "36h", "90m", "1h30m" or a number of ms, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
  });

/** A duration greater than 0. */
export const positiveDuration = durationInputSchema.refine(
  (v) => v > 0,
  'expected a duration greater than 0',
);

/** A time of the run as written: `dayN HH:MM[:SS]`, an ISO date-time (needs `start`) or ms since the start. */
export const timeInputSchema = z.union([z.number().int().nonnegative(), z.string().min(1)]);
