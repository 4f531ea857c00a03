/**
 * The "deliverability update" workflow (seed 000 line 257): the qualification table's Keep entries
 * "sera utilisé par le workflow Mise à jour pour la délivrabilité pour être comparé aux règles de
 * gestion des e-mails existantes et en enrichir la liste". Each Keep entry the rules in force do not
 * already qualify as the entry says becomes a rule, placed before the existing ones; To qualify and
 * Ignore entries are never used (seed 000 lines 256, 258).
 */
import { validateData } from '../data-file.ts';
import { entriesToRuleFile, type TableEntry } from './qualification-table.ts';
import type { Qualifier } from './qualifier.ts';
import { inboundRuleFileSchema, type RuleSet, toRule } from './rule-schema.ts';

/** The rule set after the update, and the entries that became rules. */
export interface DeliverabilityUpdate {
  ruleSet: RuleSet;
  added: TableEntry[];
}

/** Compares the Keep entries with `current`'s rules; returns the enriched rule set. */
export function deliverabilityUpdate(
  entries: readonly TableEntry[],
  current: Qualifier,
  source = 'deliverability-update',
): DeliverabilityUpdate {
  const added = entries.filter((e) => {
    if (e.status !== 'keep' || e.type === 'undefined') return false;
    const q = current.qualify(e.firstText);
    return q.type !== e.type || q.reason !== e.reason;
  });
  if (added.length === 0) return { ruleSet: current.ruleSet, added };
  const file = validateData(entriesToRuleFile(added, 'kept'), source, inboundRuleFileSchema);
  const rules = file.rules.map((r, i) => toRule(r, `${source}#rules[${i}]`));
  return {
    ruleSet: { rules: [...rules, ...current.ruleSet.rules], sources: [source, ...current.ruleSet.sources] },
    added,
  };
}
