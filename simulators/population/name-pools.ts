/**
 * Pools of first and last names for local parts, built once per (seed, locale) with a seeded faker.
 * Names are folded to `[a-z]` so they are safe in local parts and never contain the `.` that
 * separates the index token.
 */
import { base, de, en, es, Faker, fr, it, type LocaleDefinition } from '@faker-js/faker';

/** First and last names, lower-case ASCII, de-duplicated. */
export interface NamePools {
  first: readonly string[];
  last: readonly string[];
}

const LOCALES: Record<string, LocaleDefinition> = { en, fr, de, it, es };
const cache = new Map<string, NamePools>();

/** Folds a name to lower-case a-z (drops accents, apostrophes, spaces). */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Builds (or returns the cached) pools for a seed and locale: `size` draws of each kind. */
export function namePools(seed: number, locale = 'en', size = 3000): NamePools {
  const key = `${seed}:${locale}:${size}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const faker = new Faker({ locale: [LOCALES[locale] ?? en, en, base] });
  faker.seed(seed >>> 0);
  const first = new Set<string>();
  const last = new Set<string>();
  for (let k = 0; k < size; k++) {
    const f = foldName(faker.person.firstName());
    const l = foldName(faker.person.lastName());
    if (f.length > 0) first.add(f);
    if (l.length > 0) last.add(l);
  }
  const pools: NamePools = {
    first: first.size > 0 ? [...first] : ['user'],
    last: last.size > 0 ? [...last] : ['name'],
  };
  cache.set(key, pools);
  return pools;
}
