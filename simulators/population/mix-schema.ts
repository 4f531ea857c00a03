/**
 * Domain mixes as data (`simulators/population/mixes/*.yaml`): which domains a population's
 * addresses use, with shares. Shares are weights: they are normalised, so they need not sum to 1.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadDataFile } from '../../node/index.ts';

const domainName = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
    'a lower-case domain name like gmail.com',
  );

/** Schema of a domain mix file. */
export const domainMixSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** faker locale used for the name pools */
  locale: z.enum(['en', 'fr', 'de', 'it', 'es']).default('en'),
  domains: z.array(z.strictObject({ domain: domainName, share: z.number().positive() })).default([]),
  /**
   * Families of generated domains: `pattern` contains `{n}`, replaced by 1..count
   * (e.g. `acme{n}.example`); the share is split evenly over the family.
   */
  generated: z
    .array(
      z.strictObject({
        pattern: z
          .string()
          .regex(/^[a-z0-9.-]*\{n\}[a-z0-9.-]*$/, 'a domain pattern with {n}, like shop{n}.example'),
        count: z.number().int().positive().max(10_000_000),
        share: z.number().positive(),
      }),
    )
    .default([]),
});
/** A validated domain mix. */
export type DomainMix = z.output<typeof domainMixSchema>;

/** Folder of the shipped mixes. */
export const MIXES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'mixes');

/** Loads a mix: a file path, or the name of a shipped mix (`consumer-us`, `french`, `b2b`). */
export function loadDomainMix(nameOrFile: string): DomainMix {
  const file = /[/\\]|\.ya?ml$|\.json$/.test(nameOrFile) ? nameOrFile : join(MIXES_DIR, `${nameOrFile}.yaml`);
  const mix = loadDataFile(file, domainMixSchema);
  if (mix.domains.length === 0 && mix.generated.length === 0) {
    throw new Error(`${file}: domains: a mix needs at least one domain or generated family`);
  }
  return mix;
}

/** Names of the shipped mixes. */
export function shippedMixNames(): string[] {
  return readdirSync(MIXES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}
