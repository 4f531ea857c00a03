/**
 * `createQualifier` with the shipped rules: core/qualification's `createQualifier` takes rule sets
 * already read; this one fills in the shipped defaults (`rules/default/`, and in enhanced mode the
 * Momentum bounce-class rules and class map) and reads a rule file or directory given by path.
 */
import {
  type QualifierOptions as CoreQualifierOptions,
  createQualifier as createCoreQualifier,
  type Qualifier,
  type RuleSet,
} from '../core/qualification/index.ts';
import { defaultBounceRuleSet, defaultRuleSet, loadRuleSet } from './load-rules.ts';
import { defaultMomentumClasses } from './momentum-classes.ts';

/** Settings of a qualifier; rule sets may be files or directories, and default to the shipped ones. */
export interface QualifierOptions extends Omit<CoreQualifierOptions, 'rules' | 'bounceRules'> {
  /** inbound email rules: a rule set, a file or a directory; default: the shipped `rules/default/` */
  rules?: RuleSet | string;
  /** enhanced mode: bounce-class rules; default: the shipped `rules/momentum-bounce-rules.yaml` */
  bounceRules?: RuleSet | string;
}

function resolveSet(
  v: RuleSet | string | undefined,
  fallback: () => RuleSet,
  kind: 'inbound' | 'bounceClass',
): RuleSet {
  if (v === undefined) return fallback();
  return typeof v === 'string' ? loadRuleSet(v, kind) : v;
}

/** Builds a qualifier; rule files are read and compiled here, once. Throws `DataFileError` on bad files. */
export function createQualifier(options: QualifierOptions): Qualifier {
  const rules = resolveSet(options.rules, defaultRuleSet, 'inbound');
  if (options.mode !== 'enhanced') return createCoreQualifier({ ...options, rules, bounceRules: undefined });
  const classes = options.classes ?? defaultMomentumClasses();
  const bounceRules = resolveSet(options.bounceRules, defaultBounceRuleSet, 'bounceClass');
  return createCoreQualifier({ ...options, rules, classes, bounceRules });
}
