import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_JSON_SCHEMA_FILE, scenarioJsonSchemaText } from './write-json-schema.ts';

describe('scenario.schema.json', () => {
  it('is up to date with schema.ts (run: npx tsx scenarios/write-json-schema.ts)', () => {
    expect(readFileSync(SCENARIO_JSON_SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchemaText());
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
