/**
 * Writes `scenarios/scenario.schema.json`, the JSON Schema of scenario files generated from the zod
 * schema, so editors (yaml-language-server, VS Code) complete and check fields. Run after changing
 * `schema.ts`: `npx tsx scenarios/write-json-schema.ts`; a test fails while the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { scenarioInputSchema } from './schema.ts';

/** Path of the committed JSON Schema. */
export const SCENARIO_JSON_SCHEMA_FILE = fileURLToPath(new URL('./scenario.schema.json', import.meta.url));

/** The JSON Schema text of scenario files (input side: what a user writes), ending with a newline. */
export function scenarioJsonSchemaText(): string {
  const schema = z.toJSONSchema(scenarioInputSchema, { io: 'input', unrepresentable: 'any' });
  const out = {
    ...schema,
    $id: 'https://mxlab.dev/scenario.schema.json',
    title: 'mxlab scenario',
    description:
      'A delivery scenario for mxlab: population, ISP profiles and windows, MTA settings, rules, quarantine, deliveries. Times: "dayN HH:MM" (day1 = first day), ISO date-times when start is set, or ms; durations: "5d", "36h", "90m" or ms.',
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCENARIO_JSON_SCHEMA_FILE, scenarioJsonSchemaText());
  console.log(`wrote ${SCENARIO_JSON_SCHEMA_FILE}`);
}
