/**
 * Field schemas shared by the scenario format's parts (schema.ts, action-schema.ts,
 * rule-sync-schema.ts): durations and times of the run as users write them. Durations are core's
 * (core/duration.ts, the one grammar retry presets and MX rules use too).
 */
import { z } from 'zod';
import { durationSchema, positiveDurationSchema } from '../core/duration.ts';

/** A duration: `5d`, `36h`, `90m`, `1h30m`, `500ms` or a number of ms; output integer ms. */
export const durationInputSchema = durationSchema;

/** A duration greater than 0. */
export const positiveDuration = positiveDurationSchema;

/** A time of the run as written: `dayN HH:MM[:SS]`, an ISO date-time (needs `start`) or ms since the start. */
export const timeInputSchema = z.union([z.number().int().nonnegative(), z.string().min(1)]);
