/**
 * Text families for honest evaluation (issue #20): a family is where texts come from (a bounce
 * mail's MTA or host, `lhost-postfix`, `rhost-google`; a reply line's ISP). A rule lists in
 * `shapedBy` the families whose texts its author read while writing it; the leave-one-family-out
 * evaluation scores each family with the rules its own texts did not shape.
 */
import type { RuleSet } from './rule-schema.ts';

/** The family of a corpus mail from its file name: `maildir/bsd/lhost-postfix-17.eml` → `lhost-postfix`. */
export function mailFamily(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.eml$/i, '');
  return base.replace(/-\d+$/, '');
}

/**
 * The family of a reply line: `isp-` and its ISP, lower case, words joined by `-`, parenthesised
 * remarks dropped (`Google (Gmail / Google Workspace)` → `isp-google`); the mission's own texts keep
 * their name (`mxlab-serve`, `mxlab-sim-gmail`).
 */
export function replyFamily(isp: string): string {
  if (isp.startsWith('mxlab-')) return isp;
  const words = isp
    .toLowerCase()
    .replace(/\(.*?\)/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `isp-${words}`;
}

/** The rule set without the rules that `family`'s texts shaped (the same object when none did). */
export function withoutFamily(set: RuleSet, family: string): RuleSet {
  const rules = set.rules.filter((r) => !r.shapedBy?.includes(family));
  return rules.length === set.rules.length ? set : { rules, sources: set.sources };
}
