/** Streamed populations with ground truth. */
export { populationAddressBook } from './address-book.ts';
export {
  baseHash,
  fastStream,
  fmix32,
  hash3,
  hashOf,
  hashStream,
  hashString,
  unit3,
  unitOf,
} from './hash.ts';
export { type DomainMix, domainMixSchema, loadDomainMix, MIXES_DIR, shippedMixNames } from './mix-schema.ts';
export { foldName, type NamePools, namePools } from './name-pools.ts';
export { createPopulation, Population, type PopulationOptions } from './population.ts';
export {
  type PopulationSettings,
  type PopulationSettingsInput,
  populationSettingsSchema,
  resolvePopulationSettings,
} from './settings.ts';
export {
  INITIAL_STATUSES,
  type InitialStatus,
  type Recipient,
  type RecipientTruth,
  TRUTH_KINDS,
  type TruthKind,
} from './truth.ts';
