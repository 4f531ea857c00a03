/**
 * The rule-file format (YAML or JSON), validated with zod so a bad file fails at load time with
 * `file:line:col: rules[3].codes: ...`. One format serves the inbound email rules (legacy mode) and
 * the Momentum bounce-class rules (enhanced mode); the latter require `bounceClass` instead of
 * `type` and `reason`.
 */
import { z } from 'zod';
import type { Disposition, FailureType, Impact, SmtpPhase } from '../types.ts';

export const PHASES = [
  'dns',
  'connect',
  'ehlo',
  'mail',
  'rcpt',
  'data',
  'async',
] as const satisfies readonly SmtpPhase[];

const CODE_SPEC_RE = /^(?:[2-5]\d\d|[2-5]xx|[2-5]\dx|[2-5]\d\d\s*-\s*[2-5]\d\d)$/i;
const codeSpec = z.union([
  z.number().int().min(200).max(599),
  z.string().regex(CODE_SPEC_RE, 'expected a code like 550, 5xx, 55x or a range 500-559'),
]);
const ENHANCED_SPEC_RE = /^[245*x]\.(?:\d{1,3}|[*x])\.(?:\d{1,3}|[*x])$/i;
const enhancedSpec = z
  .string()
  .regex(ENHANCED_SPEC_RE, 'expected an enhanced code like 5.1.1, 5.1.* or 4.x.x');
const phase = z.enum(PHASES);
const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);

const regexString = z
  .string()
  .min(1)
  .superRefine((s, ctx) => {
    try {
      new RegExp(s, 'i');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(err as Error).message}` });
    }
  });

/** One rule as written in a file. */
export const ruleInputSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .regex(/^[\w.:-]+$/, 'letters, digits, _ . : - only'),
  description: z.string().optional(),
  regex: regexString.optional(),
  contains: oneOrMany(z.string().min(1)).optional(),
  caseSensitive: z.boolean().optional(),
  codes: oneOrMany(codeSpec).optional(),
  enhanced: oneOrMany(enhancedSpec).optional(),
  phase: oneOrMany(phase).optional(),
  domains: z.array(z.string().min(1)).min(1).optional(),
  type: z.enum(['hard', 'soft', 'ignored', 'undefined']).optional(),
  reason: z.number().int().min(0).max(255).optional(),
  impact: z.enum(['quarantine', 'count', 'none', 'denylist']).optional(),
  disposition: z.enum(['transient', 'permanent']).optional(),
  bounceClass: z.number().int().min(1).max(999).optional(),
  /** where the rule comes from: an RFC section, a provider's postmaster page, an MTA's documentation */
  source: oneOrMany(z.string().min(1)).optional(),
  /**
   * the text families (`lhost-postfix`, `rhost-google`, a reply line's ISP, `mxlab-serve`) whose
   * texts the rule's author read while writing it: the leave-one-family-out evaluation scores a
   * family without the rules its own texts shaped
   */
  shapedBy: z.array(z.string().min(1)).min(1).optional(),
});
export type RuleInput = z.infer<typeof ruleInputSchema>;

function ruleFile(kind: 'inbound' | 'bounceClass') {
  return z.strictObject({
    description: z.string().optional(),
    rules: z.array(ruleInputSchema).superRefine((rules, ctx) => {
      rules.forEach((r, i) => {
        if (r.regex !== undefined && r.contains !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'contains'],
            message: 'give either regex or contains, not both',
          });
        if (
          r.regex === undefined &&
          r.contains === undefined &&
          !r.codes &&
          !r.enhanced &&
          !r.phase &&
          !r.domains
        )
          ctx.addIssue({ code: 'custom', path: [i], message: 'a rule needs a pattern or a restriction' });
        if (r.type === 'ignored' && r.impact !== undefined && r.impact !== 'none')
          ctx.addIssue({
            code: 'custom',
            path: [i, 'impact'],
            message: `an Ignored error never counts or quarantines (SPEC §5): impact must be none, not ${r.impact}`,
          });
        if (kind === 'inbound') {
          if (r.type === undefined) ctx.addIssue({ code: 'custom', path: [i, 'type'], message: 'required' });
          if (r.reason === undefined)
            ctx.addIssue({ code: 'custom', path: [i, 'reason'], message: 'required' });
        } else if (r.bounceClass === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'bounceClass'],
            message: 'required in a bounce-class rule file',
          });
      });
    }),
  });
}

/** Schema of an inbound email rule file (`rules/default/*.yaml`). */
export const inboundRuleFileSchema = ruleFile('inbound');
/** Schema of a Momentum bounce-class rule file (`rules/momentum-bounce-rules.yaml`). */
export const bounceRuleFileSchema = ruleFile('bounceClass');

/** A rule after loading: lists normalised, origin kept for messages. */
export interface Rule {
  name: string;
  /** `file#index` where the rule was written */
  source: string;
  regex?: string;
  contains?: string[];
  caseSensitive: boolean;
  codes?: (number | string)[];
  enhanced?: string[];
  phases?: SmtpPhase[];
  domains?: string[];
  type?: FailureType;
  reason?: number;
  impact?: Exclude<Impact, 'ok'>;
  disposition?: Disposition;
  bounceClass?: number;
  /** the rule's `source:` (RFC section, provider page, MTA documentation) */
  references?: string[];
  /** families whose texts shaped the rule (see `shapedBy` in the file format) */
  shapedBy?: string[];
}

/** An ordered rule set: first match wins. */
export interface RuleSet {
  rules: Rule[];
  /** the files it came from, in order */
  sources: string[];
}

const list = <T>(v: T | T[] | undefined): T[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? v : [v];

/** Turns a validated file rule into a `Rule`. */
export function toRule(r: RuleInput, source: string): Rule {
  const rule: Rule = { name: r.name, source, caseSensitive: r.caseSensitive ?? false };
  if (r.regex !== undefined) rule.regex = r.regex;
  if (r.contains !== undefined) rule.contains = list(r.contains);
  if (r.codes !== undefined) rule.codes = list(r.codes);
  if (r.enhanced !== undefined) rule.enhanced = list(r.enhanced);
  if (r.phase !== undefined) rule.phases = list(r.phase);
  if (r.domains !== undefined) rule.domains = r.domains;
  if (r.type !== undefined) rule.type = r.type;
  if (r.reason !== undefined) rule.reason = r.reason;
  if (r.impact !== undefined) rule.impact = r.impact;
  if (r.disposition !== undefined) rule.disposition = r.disposition;
  if (r.bounceClass !== undefined) rule.bounceClass = r.bounceClass;
  if (r.source !== undefined) rule.references = list(r.source);
  if (r.shapedBy !== undefined) rule.shapedBy = r.shapedBy;
  return rule;
}
