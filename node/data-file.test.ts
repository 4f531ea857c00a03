import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DataFileError } from '../core/data-file.ts';
import { loadDataFile, PARSED_SIDECAR } from './data-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'mxlab-data-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const schema = z.strictObject({ rate: z.number() });

/** A YAML file and its sidecar; the sidecar says something else, so a test can tell which was read. */
function pair(name: string, yaml: string, sidecar: string, sidecarAge: 'newer' | 'older'): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  writeFileSync(file + PARSED_SIDECAR, sidecar);
  const now = Date.now() / 1000;
  utimesSync(file, now, now);
  const t = sidecarAge === 'newer' ? now + 10 : now - 10;
  utimesSync(file + PARSED_SIDECAR, t, t);
  return file;
}

describe('loadDataFile and the package build sidecar (FILE.parsed)', () => {
  it('reads a fresh sidecar instead of parsing the YAML', () => {
    expect(loadDataFile(pair('fresh.yaml', 'rate: 1\n', '{"rate":2}', 'newer'), schema)).toEqual({ rate: 2 });
  });

  it('ignores a sidecar older than its file (the file was edited after the build)', () => {
    expect(loadDataFile(pair('stale.yaml', 'rate: 1\n', '{"rate":2}', 'older'), schema)).toEqual({ rate: 1 });
  });

  it('falls back to the YAML, with its located error, when the sidecar is unreadable or off-schema', () => {
    expect(loadDataFile(pair('garbled.yaml', 'rate: 1\n', '{"rate":', 'newer'), schema)).toEqual({ rate: 1 });
    const bad = pair('bad.yaml', 'rate: 1\nspeed: 2\n', '{"rate":1,"speed":2}', 'newer');
    expect(() => loadDataFile(bad, schema)).toThrow(DataFileError);
    expect(() => loadDataFile(bad, schema)).toThrow(/bad\.yaml:2:1: speed: unknown field/);
  });
});
