import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIspProfile } from '../simulators/isp/profiles-load.ts';
import {
  PROFILE_JSON_SCHEMA_FILE,
  profileJsonSchemaText,
  SCENARIO_JSON_SCHEMA_FILE,
  scenarioJsonSchemaText,
  undescribed,
} from './write-json-schema.ts';

describe('scenario.schema.json and profile.schema.json', () => {
  it('are up to date with their zod schemas (run: npx tsx scenarios/write-json-schema.ts)', () => {
    expect(readFileSync(SCENARIO_JSON_SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchemaText());
    expect(readFileSync(PROFILE_JSON_SCHEMA_FILE, 'utf8')).toBe(profileJsonSchemaText());
  });

  it('describe every field (a .describe() in the zod schema; `--missing` lists the rest)', () => {
    expect(undescribed(JSON.parse(scenarioJsonSchemaText()))).toEqual([]);
    expect(undescribed(JSON.parse(profileJsonSchemaText()))).toEqual([]);
    // the walk does see nested fields: a schema with one undescribed leaf is caught
    expect(
      undescribed({ properties: { a: { description: 'x', properties: { b: { type: 'string' } } } } }),
    ).toEqual(['a.b']);
  });

  it('carry defaults and units where a user needs them', () => {
    const s = JSON.parse(scenarioJsonSchemaText());
    expect(s.properties.mta.properties.cleanup).toMatchObject({ default: true });
    expect(s.properties.quarantine.properties.threshold.description).toMatch(/default 5/);
    const p = JSON.parse(profileJsonSchemaText());
    expect(p.properties.greylisting.properties.delayMs).toMatchObject({ default: 300_000 });
    expect(p.properties.greylisting.properties.delayMs.description).toMatch(/ms/);
  });

  it('lists every top-level field and forbids unknown ones', () => {
    const schema = JSON.parse(scenarioJsonSchemaText()) as {
      properties: Record<string, unknown>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'name',
        'seed',
        'horizon',
        'population',
        'isps',
        'mta',
        'rules',
        'quarantine',
        'deliveries',
      ]),
    );
    expect(schema.required).toEqual(
      expect.arrayContaining(['name', 'seed', 'horizon', 'population', 'deliveries']),
    );
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('scenarios/README.md, "Model your own ISP"', () => {
  it('walks through a profile that loads', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Model your own ISP'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'mxlab-profile-'));
    try {
      const file = join(dir, 'example-isp.yaml');
      writeFileSync(file, yaml);
      const p = loadIspProfile(file);
      expect(p.name).toBe('example-isp');
      expect(p.windows).toHaveLength(1);
      expect(p.rateLimits[0]!.perHour).toBe(300);
      expect(p.greylisting?.delayMs).toBe(300_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
