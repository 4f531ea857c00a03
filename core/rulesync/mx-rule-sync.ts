/**
 * MX-rule sync (SPEC §7.1, seed 001: "Une mise à jour quotidienne des règles MX et des règles de
 * rebond"): the same fetch, validate and swap loop as the inbound email rules (rule-sync.ts), with a
 * payload `{ version, mxRules }` whose `mxRules` is an MX rule file (core/shaping/mx-rules.ts). The
 * caller decides when the refresh is off (the MX rules' `syncRules: false`, the Custom throughput
 * level) and builds what goes in force (e.g. the level applied over the fetched set).
 */
import { z } from 'zod';
import { parseJsonData } from '../data-file.ts';
import { type MxRuleSet, mxRuleFileSchema, resolveMxRules } from '../shaping/mx-rules.ts';
import { createSyncClient, type RuleSync, type RuleSyncOptions } from './rule-sync.ts';

/** What the deliverability instance serves at its MX-rules endpoint. */
export const mxSyncPayloadSchema = z.strictObject({
  version: z.string().min(1),
  mxRules: mxRuleFileSchema,
});

/** Options of {@link createMxRuleSync}: {@link RuleSyncOptions} with an MX rule set to build from. */
export interface MxRuleSyncOptions<Q> extends Omit<RuleSyncOptions<Q>, 'build'> {
  /** what goes in force for a fetched set; may throw (then nothing is swapped) */
  build: (rules: MxRuleSet, version: string) => Q;
}

/** Creates an MX-rule sync client around the MX rules in force. */
export function createMxRuleSync<Q>(options: MxRuleSyncOptions<Q>): RuleSync<Q> {
  const parse = options.parse ?? parseJsonData;
  return createSyncClient<MxRuleSet, Q>({
    ...options,
    decode(text, url) {
      const payload = parse(text, url, mxSyncPayloadSchema);
      const set = resolveMxRules(payload.mxRules);
      return { value: set, version: payload.version, count: set.rules.length };
    },
  });
}
