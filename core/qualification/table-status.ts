/**
 * Statuses of a qualification table entry (SPEC §6.1), as the run store's `qualification.status`
 * spells them: `toQualify` (nothing matched), `keep` (qualified), `ignore` (never touches the
 * address). Its own file so the store's declaration reads it without the table's YAML export.
 */
export const TABLE_STATUSES = ['toQualify', 'keep', 'ignore'] as const;
export type TableStatus = (typeof TABLE_STATUSES)[number];
