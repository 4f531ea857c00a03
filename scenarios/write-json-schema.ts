/**
 * Writes the JSON Schemas of the two file formats users write, generated from their zod schemas so
 * editors (yaml-language-server, VS Code) complete and check fields and every field carries its
 * description, unit and default: `scenarios/scenario.schema.json` (scenario files) and
 * `simulators/isp/profile.schema.json` (ISP profiles). Run after changing a schema:
 * `npx tsx scenarios/write-json-schema.ts`; a test fails while a file is stale. `mxlab schema`
 * prints them.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ispProfileSchema } from '../simulators/isp/profile-schema.ts';
import { scenarioInputSchema } from './schema.ts';

/** Path of the committed scenario JSON Schema. */
export const SCENARIO_JSON_SCHEMA_FILE = fileURLToPath(new URL('./scenario.schema.json', import.meta.url));
/** Path of the committed ISP-profile JSON Schema. */
export const PROFILE_JSON_SCHEMA_FILE = fileURLToPath(
  new URL('../simulators/isp/profile.schema.json', import.meta.url),
);

const TIMES =
  'Times: "dayN HH:MM" (day1 = first day), ISO date-times when start is set, or ms; durations: "5d", "36h", "90m" or ms.';

/** The JSON Schema text of scenario files (input side: what a user writes), ending with a newline. */
export function scenarioJsonSchemaText(): string {
  const schema = z.toJSONSchema(scenarioInputSchema, { io: 'input', unrepresentable: 'any' });
  const out = {
    ...schema,
    $id: 'https://mxlab.dev/scenario.schema.json',
    title: 'mxlab scenario',
    description: `A delivery scenario for mxlab: population, ISP profiles and windows, MTA settings, rules, quarantine, deliveries. ${TIMES}`,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The JSON Schema text of ISP profile files (input side), ending with a newline. */
export function profileJsonSchemaText(): string {
  const schema = z.toJSONSchema(ispProfileSchema, { io: 'input', unrepresentable: 'any' });
  const out = {
    ...schema,
    $id: 'https://mxlab.dev/profile.schema.json',
    title: 'mxlab ISP profile',
    description:
      'A simulated ISP: the domains it serves, its MX hosts and its reply script (replies by recipient truth, random replies, time windows, rate limits, greylisting, accept-then-bounce, auto-replies, complaints). Reply texts may contain <rcpt>, <domain> and x.x.x.x (client IP). Window times are "dayN HH:MM" or ms since the start of the run.',
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Every property path of a JSON Schema without a description (for the coverage test and authors). */
export function undescribed(schema: unknown): string[] {
  const missing: string[] = [];
  const walk = (node: unknown, path: string, described: boolean): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    const has = described || typeof n.description === 'string';
    if (n.properties && typeof n.properties === 'object')
      for (const [k, v] of Object.entries(n.properties as Record<string, unknown>)) {
        const d = typeof (v as Record<string, unknown>)?.description === 'string';
        if (!d) missing.push(`${path}${k}`);
        walk(v, `${path}${k}.`, false);
      }
    for (const key of ['items', 'additionalProperties'] as const)
      if (n[key]) walk(n[key], `${path}[].`.replace('.[]', '[]'), has);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
      if (Array.isArray(n[key])) for (const v of n[key] as unknown[]) walk(v, path, has);
  };
  walk(schema, '', false);
  return [...new Set(missing)];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCENARIO_JSON_SCHEMA_FILE, scenarioJsonSchemaText());
  writeFileSync(PROFILE_JSON_SCHEMA_FILE, profileJsonSchemaText());
  console.log(`wrote ${SCENARIO_JSON_SCHEMA_FILE}\nwrote ${PROFILE_JSON_SCHEMA_FILE}`);
  if (process.argv.includes('--missing')) {
    const a = undescribed(JSON.parse(scenarioJsonSchemaText()));
    const b = undescribed(JSON.parse(profileJsonSchemaText()));
    console.log(
      `scenario: ${a.length} undescribed\n  ${a.join('\n  ')}\nprofile: ${b.length} undescribed\n  ${b.join('\n  ')}`,
    );
  }
}
