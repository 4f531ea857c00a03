import { readFileSync } from 'node:fs';

/**
 * The package version, from package.json: one folder up from the sources (cli/), two from the
 * built package (dist/cli/).
 */
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'mxlab' && pkg.version) return pkg.version;
    } catch {
      // not this one
    }
  }
  throw new Error('mxlab: package.json not found beside the sources or dist/');
}

export const VERSION: string = readVersion();
