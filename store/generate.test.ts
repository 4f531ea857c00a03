import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INMAIL_KINDS } from '../core/inmail/types.ts';
import { ATTEMPT_OUTCOMES } from '../core/mta/sink.ts';
import { QUARANTINE_CAUSES } from '../core/quarantine/transitions.ts';
import { SUSPENSION_KINDS } from '../core/shaping/suspensions.ts';
import { FAILURE_TYPES } from '../core/types.ts';
import { ddl, generatedFiles, tableWritersTs } from './generate.ts';
import { ENUMS, STORE_TABLES } from './tables.ts';

describe('the files generated from store/tables.ts', () => {
  it.each(generatedFiles().map((f) => [f.path.slice(f.path.lastIndexOf('/') + 1), f] as const))(
    '%s is up to date (run: npx tsx store/generate.ts)',
    (_name, f) => {
      expect(readFileSync(f.path, 'utf8')).toBe(f.text);
    },
  );

  it("declare core's own vocabularies as the store's enums, in core's order", () => {
    expect(ENUMS.mx_outcome).toBe(ATTEMPT_OUTCOMES);
    expect(ENUMS.mx_cause).toBe(QUARANTINE_CAUSES);
    expect(ENUMS.mx_suspension_kind).toBe(SUSPENSION_KINDS);
    expect(ENUMS.mx_inmail_kind).toBe(INMAIL_KINDS);
    expect(ENUMS.mx_failure_type).toBe(FAILURE_TYPES);
    // what a value core gains changes: the DDL (a stale schema.sql fails the test above)
    expect(ddl()).toContain(
      `CREATE TYPE IF NOT EXISTS mx_cause AS ENUM (${QUARANTINE_CAUSES.map((v) => `'${v}'`).join(', ')});`,
    );
  });

  it('write one unrolled push per table, and one per column the store derives', () => {
    const ts = tableWritersTs();
    for (const spec of Object.values(STORE_TABLES)) expect(ts).toContain(`push(r: ${spec.row}): void {`);
    expect(ts).toContain("pushFromRecipient(r: Omit<DeliveryLogRow, 'address'>): void {");
    expect(ts).toContain("pushDomainFromAddress(r: Omit<RecipientRow, 'domain'>): void {");
    // every column of attempts is read by name and stored at its index, no loop
    STORE_TABLES.attempts.columns.forEach((col, i) => {
      expect(ts).toContain(`(r.${col.name}, ${i});`);
      expect(ts).toContain(`c[${i}]![i] = v${i};`);
    });
  });
});
