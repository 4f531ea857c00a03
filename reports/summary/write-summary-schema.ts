/**
 * Regenerates reports/summary/summary.schema.json from the zod schema: `npx tsx reports/summary/write-summary-schema.ts`.
 * summary.test.ts fails when the file and the schema disagree.
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { SummarySchema } from './summary-schema.ts';

const file = new URL('./summary.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(z.toJSONSchema(SummarySchema), null, 2)}\n`);
process.stdout.write(`wrote ${file.pathname}\n`);
