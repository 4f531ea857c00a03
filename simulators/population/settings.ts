/**
 * Population settings: the mix of ground truths and pre-run states. Every number is a default a
 * scenario can override; the schema is exported so a scenario file can embed it.
 */
import { z } from 'zod';
import { DAY, HOUR, MINUTE } from '../../core/types.ts';

const rate = z.number().min(0).max(1);
const range = z
  .strictObject({
    minMs: z.number().int().min(0).describe('earliest, ms'),
    maxMs: z.number().int().min(0).describe('latest, ms'),
  })
  .refine((r) => r.maxMs >= r.minMs, { message: 'maxMs must be >= minMs' });

/** Schema of population settings (all fields optional, defaults below). */
export const populationSettingsSchema = z.strictObject({
  /** weights of each truth kind (normalised) */
  truth: z
    .strictObject({
      valid: z.number().min(0).default(0.9).describe('weight of working mailboxes'),
      unknown: z
        .number()
        .min(0)
        .default(0.035)
        .describe('weight of addresses with no mailbox (user unknown)'),
      mailboxFull: z.number().min(0).default(0.01).describe('weight of mailboxes full for a while'),
      mailboxFullPermanent: z.number().min(0).default(0.002).describe('weight of mailboxes full for good'),
      disabled: z.number().min(0).default(0.01).describe('weight of accounts disabled for a while'),
      disabledPermanent: z.number().min(0).default(0.005).describe('weight of accounts disabled for good'),
      invalidDomain: z
        .number()
        .min(0)
        .default(0.01)
        .describe('weight of addresses whose domain does not exist'),
      autoResponder: z
        .number()
        .min(0)
        .default(0.028)
        .describe('weight of working mailboxes that send auto-replies'),
    })
    .prefault({})
    .refine((t) => Object.values(t).some((w) => w > 0), { message: 'at least one truth weight must be > 0' })
    .describe('weights of each truth kind (normalised)'),
  /** a temporarily full mailbox recovers at a run time drawn uniformly in this range */
  mailboxFullRecovery: range
    .default({ minMs: HOUR, maxMs: 3 * DAY })
    .describe('a temporarily full mailbox recovers at a run time drawn uniformly in this range'),
  /** a temporarily disabled account is reactivated at a run time drawn uniformly in this range */
  disabledRecovery: range
    .default({ minMs: DAY, maxMs: 10 * DAY })
    .describe('a temporarily disabled account is reactivated at a run time drawn uniformly in this range'),
  complainers: z
    .strictObject({
      rate: rate.default(0.002).describe('share of recipients who complain, 0 to 1'),
      /** chance that one accepted message yields a complaint */
      probability: rate.default(1).describe('chance that one accepted message yields a complaint'),
      delay: range
        .default({ minMs: 5 * MINUTE, maxMs: 2 * DAY })
        .describe('time from acceptance to the complaint, drawn uniformly'),
    })
    .prefault({})
    .describe('recipients who report messages as spam (feedback loop)'),
  initial: z
    .strictObject({
      quarantine: rate.default(0.01).describe('share of addresses already in quarantine before the run'),
      denylisted: rate.default(0.003).describe('share of addresses already denylisted before the run'),
      allowlisted: rate.default(0.001).describe('share of addresses on the allowlist'),
    })
    .prefault({})
    .describe('address states before the run (the quarantine table it starts with)'),
  /** quarantine-table error texts of initially quarantined addresses (one picked per address) */
  priorErrorTexts: z
    .array(z.string().min(1))
    .min(1)
    .default([
      '550 5.1.1 <*>: Recipient address rejected: User unknown in virtual mailbox table',
      '550 5.2.1 The email account that you tried to reach is disabled.',
      '552 5.2.2 <*>: user is over quota',
      "DNS query failed for '*'",
    ])
    .describe('quarantine-table error texts of initially quarantined addresses (one picked per address)'),
  controlGroupRate: rate
    .default(0)
    .describe('share of recipients held back as a control group (never sent to)'),
  /**
   * share of recipients a typology rule excludes at preparation, per reason (SPEC §3, seed 000's
   * reasons table): 11 SQL rule, 12 arbitration (fatigue), 14 bad-quality and 15 unqualified postal
   * address, 16 not eligible for the offers; all 0 by default
   */
  typology: z
    .strictObject({
      sqlRule: rate.default(0).describe('share of recipients, reason 11: excluded by an SQL typology rule'),
      arbitration: rate
        .default(0)
        .describe('share of recipients, reason 12: excluded by arbitration (fatigue)'),
      badQuality: rate.default(0).describe('share of recipients, reason 14: bad-quality address'),
      unqualified: rate.default(0).describe('share of recipients, reason 15: unqualified postal address'),
      notEligible: rate.default(0).describe('share of recipients, reason 16: not eligible for the offers'),
    })
    .prefault({})
    .refine((t) => Object.values(t).reduce((a, b) => a + b, 0) <= 1, {
      message: 'the typology rates add up to more than 1',
    })
    .describe(
      'shares of recipients a typology rule excludes at preparation, per reason: 11 sqlRule, 12 arbitration, 14 badQuality, 15 unqualified, 16 notEligible (each 0 to 1, 0 by default)',
    ),
  /** share of target entries that repeat an earlier address (reason 10) */
  duplicateRate: rate
    .default(0.001)
    .describe('share of target entries that repeat an earlier address (reason 10)'),
  /** share of target entries with an empty address (reason 7) */
  missingRate: rate.default(0.001).describe('share of target entries with an empty address (reason 7)'),
});
/** Validated population settings. */
export type PopulationSettings = z.output<typeof populationSettingsSchema>;
/** What a caller may pass (any field may be left out). */
export type PopulationSettingsInput = z.input<typeof populationSettingsSchema>;

/** Validates settings (throws a zod error naming the field) and applies defaults. */
export function resolvePopulationSettings(input: PopulationSettingsInput = {}): PopulationSettings {
  return populationSettingsSchema.parse(input);
}
