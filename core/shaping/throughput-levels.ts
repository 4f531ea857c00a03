/**
 * Throughput levels Slow, Normal, Fast, Very Fast, Boost, Custom (SPEC §7.1) as data: multipliers
 * applied over an MX rule set. Custom keeps the user's rules as they are and turns off the daily sync.
 */
import { z } from 'zod';
import { type MxRule, type MxRuleSet, makeMxRuleSet } from './mx-rules.ts';

/** The six level names. */
export const THROUGHPUT_LEVELS = ['slow', 'normal', 'fast', 'veryFast', 'boost', 'custom'] as const;
export type ThroughputLevel = (typeof THROUGHPUT_LEVELS)[number];

/** Multipliers of one level; `custom: true` means "the rules as written, no sync". */
export interface LevelPreset {
  messagesPerHour: number;
  maxConnections: number;
  maxMessagesPerConnection: number;
  custom: boolean;
}

const presetSchema = z.union([
  z.strictObject({ custom: z.literal(true) }),
  z.strictObject({
    messagesPerHour: z.number().positive(),
    maxConnections: z.number().positive(),
    maxMessagesPerConnection: z.number().positive(),
  }),
]);

/** zod schema of the throughput level file: every level must be defined. */
export const throughputLevelsSchema = z.strictObject({
  version: z.literal(1),
  levels: z.strictObject({
    slow: presetSchema,
    normal: presetSchema,
    fast: presetSchema,
    veryFast: presetSchema,
    boost: presetSchema,
    custom: presetSchema,
  }),
});

export type LevelTable = Readonly<Record<ThroughputLevel, LevelPreset>>;

/** The level table a validated level file describes (node/shaping.ts reads it from disk). */
export function resolveThroughputLevels(file: z.output<typeof throughputLevelsSchema>): LevelTable {
  const out = {} as Record<ThroughputLevel, LevelPreset>;
  for (const name of THROUGHPUT_LEVELS) {
    const p = file.levels[name];
    out[name] =
      'custom' in p
        ? { messagesPerHour: 1, maxConnections: 1, maxMessagesPerConnection: 1, custom: true }
        : { ...p, custom: false };
  }
  return out;
}

const scale = (v: number, f: number): number => Math.max(1, Math.floor(v * f));

/** Returns the rule set with the level's multipliers applied (a new set; the input is unchanged). */
export function applyThroughputLevel(set: MxRuleSet, level: ThroughputLevel, table: LevelTable): MxRuleSet {
  const p = table[level];
  if (p.custom) return makeMxRuleSet(set.rules, { ...set.settings, syncRules: false });
  const rules = set.rules.map(
    (r): MxRule => ({
      ...r,
      messagesPerHour: r.messagesPerHour === 0 ? 0 : scale(r.messagesPerHour, p.messagesPerHour),
      maxConnections: scale(r.maxConnections, p.maxConnections),
      maxMessagesPerConnection: scale(r.maxMessagesPerConnection, p.maxMessagesPerConnection),
    }),
  );
  return makeMxRuleSet(rules, set.settings);
}
