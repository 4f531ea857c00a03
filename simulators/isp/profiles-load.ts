/** Loads ISP profiles from YAML/JSON files (errors name file:line:col: field) and the shipped set. */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataFile, parseDataText } from '../../node/index.ts';
import { hashString } from '../population/hash.ts';
import { type IspProfile, ispProfileSchema } from './profile-schema.ts';

/** Folder of the shipped profiles. */
export const PROFILES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'profiles');

/** Loads and validates one profile file. */
export function loadIspProfile(file: string): IspProfile {
  return loadDataFile(file, ispProfileSchema);
}

/** Validates profile text (YAML or JSON); `file` names it in errors. */
export function parseIspProfile(text: string, file = '<profile>'): IspProfile {
  return parseDataText(text, file, ispProfileSchema);
}

/** Loads every `*.yaml` profile of a folder (default: the shipped ones), sorted by file name. */
export function loadIspProfiles(dir = PROFILES_DIR): IspProfile[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => loadIspProfile(join(dir, f)));
}

/**
 * Deterministic loopback IPs of an MX host (`127.a.b.c`, a in 1..254), so wire mode can bind them.
 * A pure function of the host name and the IP's position.
 */
export function mxIps(host: string, count: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const h = hashString(`${host}#${k}`);
    out.push(`127.${1 + (h % 254)}.${(h >>> 8) & 255}.${1 + ((h >>> 16) % 254)}`);
  }
  return out;
}
