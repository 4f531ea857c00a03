/** Delivery preparation (SPEC §3): exclusions by reason, duplicates, control group, size cap, allowlist. */
export { GrowableBitset } from './bitset.ts';
export {
  DeliveryPreparation,
  EXCLUSION_ORDER,
  PreparationError,
  type PreparationSummary,
  type PreparationTarget,
  type PreparedTarget,
  prepareDelivery,
  SEND,
} from './preparation.ts';
export {
  DEFAULT_PREPARATION_SETTINGS,
  type PreparationSettings,
  preparationSettingsSchema,
} from './settings.ts';
