/** Rule sync (SPEC §6.1): fetch, validate and swap the inbound email rules from a central instance. */
export {
  createRuleSync,
  type DataTextParser,
  RULE_SYNC_DEFAULTS,
  type RuleHolder,
  type RuleSync,
  type RuleSyncMode,
  type RuleSyncOptions,
  type RuleSyncStatus,
  realTimer,
  syncPayloadSchema,
  type Timer,
} from './rule-sync.ts';
