/**
 * The Node layer of core (msw's `core/` + `node/` split): what reads files and YAML for core, which
 * stays environment-free. Data files with located errors, the shipped rule sets and data, rule
 * files from paths, the mailbox reader, and `createQualifier` with the shipped default rules.
 */
export { loadDataFile, PARSED_SIDECAR, parseDataText, readDataFile } from './data-file.ts';
export {
  DEFAULT_RULES_DIR,
  defaultBounceRuleSet,
  defaultRuleSet,
  loadRuleSet,
  MOMENTUM_BOUNCE_RULES_FILE,
  RULES_DIR,
  ruleFiles,
} from './load-rules.ts';
export { defaultMomentumClasses, loadMomentumClasses, MOMENTUM_CLASSES_FILE } from './momentum-classes.ts';
export { createQualifier, type QualifierOptions } from './qualifier.ts';
export { MailboxReadError, readMailbox } from './read-mailbox.ts';
export { loadRetryPolicyFile, RETRY_PRESETS_FILE, retryPolicy, retryPresets } from './retry.ts';
export { entriesToRuleYaml } from './rule-yaml.ts';
export {
  DEFAULT_ADAPTIVE_RULES_FILE,
  DEFAULT_LEVELS_FILE,
  DEFAULT_MX_RULES_FILE,
  DEFAULT_WARMUP_FILE,
  loadAdaptiveRules,
  loadMxRules,
  loadThroughputLevels,
  loadWarmup,
  parseAdaptiveRules,
  parseMxRules,
  parseThroughputLevels,
  parseWarmup,
} from './shaping.ts';
