/**
 * Qualification: what a remote server said → Campaign type, reason, address impact and disposition
 * (SPEC §2, §3, §6, §11). Rules are data (`rules/`, read by node/), compiled once per qualifier.
 */
export { AhoCorasick } from './aho-corasick.ts';
export { CompiledRules, codeRange, PHASE_BIT, splitEnhanced } from './compile-rules.ts';
export { requiredLiterals } from './literal-prefilter.ts';
export {
  type MomentumClass,
  type MomentumClassMap,
  momentumClassFileSchema,
  momentumClassMap,
  momentumRuleName,
} from './momentum-classes.ts';
export {
  codeDisposition,
  DEFAULT_NO_IMPACT_REASONS,
  defaultImpact,
  legacyDisposition,
  resolveImpact,
} from './outcome.ts';
export {
  createQualifier,
  type MessageReplyLike,
  parseDiagnostic,
  type Qualifier,
  type QualifierOptions,
  type QualifyContext,
} from './qualifier.ts';
export { mailFamily, replyFamily, withoutFamily } from './rule-families.ts';
export {
  bounceRuleFileSchema,
  inboundRuleFileSchema,
  PHASES,
  type Rule,
  type RuleInput,
  type RuleSet,
  ruleInputSchema,
} from './rule-schema.ts';
export { SISIMAI_MAP, type SisimaiExpectation, scoreAgainstSisimai } from './sisimai-map.ts';
export { SwitchableQualifier } from './switchable-qualifier.ts';
