/**
 * Field schemas shared by the scenario format's parts (schema.ts, action-schema.ts,
 * rule-sync-schema.ts): times of the run as users write them. Durations are core's
 * (core/duration.ts's `positiveDurationSchema`, the one grammar retry presets and MX rules use too).
 */
import { z } from 'zod';

/** A time of the run as written: `dayN HH:MM[:SS]`, an ISO date-time (needs `start`) or ms since the start. */
export const timeInputSchema = z.union([z.number().int().nonnegative(), z.string().min(1)]);
