/** Rule sync (SPEC §6.1, §7.1): fetch, validate and swap the inbound email rules and the MX rules from a central instance. */
export { createMxRuleSync, type MxRuleSyncOptions, mxSyncPayloadSchema } from './mx-rule-sync.ts';
export {
  createRuleSync,
  createSyncClient,
  type DataTextParser,
  RULE_SYNC_DEFAULTS,
  type RuleHolder,
  type RuleSync,
  type RuleSyncMode,
  type RuleSyncOptions,
  type RuleSyncStatus,
  realTimer,
  type SyncClientOptions,
  syncPayloadSchema,
  type Timer,
} from './rule-sync.ts';
