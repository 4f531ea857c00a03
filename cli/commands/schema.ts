/**
 * `mxlab schema [scenario|profile]`: prints the JSON Schema of scenario files or of ISP profiles
 * (every field with its description, unit and default; generated from the zod schemas by
 * scenarios/write-json-schema.ts), for editors and for reading.
 */
import type { Command } from 'commander';
import { profileJsonSchemaText, scenarioJsonSchemaText } from '../../scenarios/index.ts';
import { CliError } from '../errors.ts';

const KINDS = { scenario: scenarioJsonSchemaText, profile: profileJsonSchemaText } as const;

export function register(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files or ISP profiles (fields, descriptions, defaults)')
    .argument('[kind]', 'scenario or profile', 'scenario')
    .action((kind: string) => {
      const text = KINDS[kind as keyof typeof KINDS];
      if (!text) throw new CliError(`schema: expected scenario or profile, got '${kind}'`);
      process.stdout.write(text());
    });
}
