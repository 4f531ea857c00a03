/** Where a run's database lives: a `.duckdb` path is the file itself, anything else a run folder. */
import { join } from 'node:path';

/** File name of the store inside a run folder. */
export const STORE_FILE = 'run.duckdb';

/** The database file for `dirOrFile`. */
export function storeFile(dirOrFile: string): string {
  return dirOrFile.endsWith('.duckdb') ? dirOrFile : join(dirOrFile, STORE_FILE);
}
