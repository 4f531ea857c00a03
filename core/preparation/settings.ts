/** Settings of delivery preparation (SPEC §3). */
import { z } from 'zod';

/** Delivery settings that preparation applies. */
export interface PreparationSettings {
  /** size cap: messages beyond this many are excluded with reason 17; null: no cap */
  maxMessages: number | null;
}

/** SPEC §3: no size cap unless the delivery sets one. */
export const DEFAULT_PREPARATION_SETTINGS: Readonly<PreparationSettings> = Object.freeze({
  maxMessages: null,
});

/** Zod schema of a partial override, as a scenario writes it. */
export const preparationSettingsSchema = z
  .object({ maxMessages: z.number().int().nonnegative().nullable().optional() })
  .strict();
