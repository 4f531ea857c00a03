/**
 * Reviewed qualification table entries written as an inbound rule file in YAML (core's
 * `entriesToRuleFile` builds the file's value).
 */
import { stringify } from 'yaml';
import { entriesToRuleFile, type TableEntry } from '../core/qualification/qualification-table.ts';

/** The rule file `entriesToRuleFile` builds, as YAML text. */
export function entriesToRuleYaml(entries: readonly TableEntry[], prefix = 'table'): string {
  return stringify(entriesToRuleFile(entries, prefix), { lineWidth: 0 });
}
