/**
 * The scenario file format (YAML, JSON or TypeScript): the zod schema of what a user writes
 * ({@link scenarioInputSchema}, also the source of `scenario.schema.json`) and the validated
 * {@link Scenario} the runner consumes, with every time in integer ms since `day1 00:00`, every
 * duration in ms and every file an absolute path (or the keyword `default`/`none`).
 * Cross-field checks and path resolution live in `resolve-scenario.ts`.
 */
import { z } from 'zod';
import { positiveDurationSchema } from '../core/duration.ts';
import { DEFAULT_OCCURRENCE_CAP } from '../core/qualification/qualification-table.ts';
import { quarantineSettingsSchema } from '../core/quarantine/settings.ts';
import { type RetryPolicySpec, retryPolicySpecSchema } from '../core/retry/spec.ts';
import { THROUGHPUT_LEVELS, type ThroughputLevel } from '../core/shaping/throughput-levels.ts';
import type { QualificationMode } from '../core/types.ts';
import { type IspProfile, ispProfileSchema } from '../simulators/isp/profile-schema.ts';
import { type PopulationSettings, populationSettingsSchema } from '../simulators/population/settings.ts';
import { actionInputSchema, type ScenarioAction } from './action-schema.ts';
import { timeInputSchema } from './field-schemas.ts';
import { ruleSyncInputSchema, type ScenarioRuleSync } from './rule-sync-schema.ts';

export { timeInputSchema } from './field-schemas.ts';

/**
 * Largest population a run accepts (`population.size`, `--recipients`): its per-recipient arrays are
 * typed arrays, and 1M recipients take ~1.3 GB, so 100M is already far past one machine (decisions.md).
 */
export const MAX_POPULATION = 100_000_000;

/** Defaults of the fields a scenario may leave out (SPEC §1, §4, §5: each is a setting). */
export const SCENARIO_DEFAULTS = Object.freeze({
  mode: 'legacy' as QualificationMode,
  mix: 'consumer-us',
  localIps: 2,
  ipAgeDays: 365,
  throughputLevel: 'normal' as ThroughputLevel,
  inmailEveryMs: 15 * 60_000,
  cleanup: true,
  cleanupAt: '02:00',
  /** SPEC §1: the validity period of a delivery */
  validityMs: 5 * 86_400_000,
  from: 'news@sender.example',
  sizeBytes: 20_000,
  targetShare: 1,
  /** the most local IPs a count may ask for */
  maxLocalIps: 1000,
});

const kebabName = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case name like isp-outage');

/** A retry policy: a preset name of core/retry/presets.yaml, or an inline policy spec. */
export const retryInputSchema = z.union([z.string().min(1), retryPolicySpecSchema]);

const windowShape = ispProfileSchema.shape.windows.unwrap().element.shape;
const profileShape = ispProfileSchema.shape;

/** An extra time window of a profile: the profile `windows` entry plus the profile's name. */
export const windowInputSchema = z.strictObject({
  profile: z.string().min(1).describe('the profile (name) the window is added to'),
  name: windowShape.name,
  from: timeInputSchema.describe('start: "dayN HH:MM", an ISO date-time (needs start) or ms'),
  to: timeInputSchema.describe('end (exclusive): "dayN HH:MM", an ISO date-time (needs start) or ms'),
  action: windowShape.action,
  phase: windowShape.phase,
  reply: windowShape.reply,
  truths: windowShape.truths,
  domains: windowShape.domains,
  probability: windowShape.probability,
});

/** A per-profile patch: each field given replaces the profile's own; `null` removes an optional one. */
export const overrideInputSchema = z.strictObject({
  profile: z.string().min(1).describe('the profile (name) to patch'),
  rateLimits: profileShape.rateLimits.unwrap().optional().describe("replaces the profile's rateLimits"),
  random: profileShape.random.unwrap().optional().describe("replaces the profile's random replies"),
  greylisting: profileShape.greylisting
    .unwrap()
    .nullable()
    .optional()
    .describe("replaces the profile's greylisting; null turns it off"),
  acceptThenBounce: profileShape.acceptThenBounce
    .unwrap()
    .nullable()
    .optional()
    .describe("replaces the profile's acceptThenBounce; null turns it off"),
  complaintBlock: profileShape.complaintBlock
    .unwrap()
    .nullable()
    .optional()
    .describe("replaces the profile's complaintBlock; null turns it off"),
  postmasterNotice: profileShape.postmasterNotice
    .unwrap()
    .nullable()
    .optional()
    .describe("replaces the profile's postmasterNotice (technical notices, seed 000:44); null turns it off"),
  starttls: profileShape.starttls
    .unwrap()
    .optional()
    .describe("replaces the profile's starttls (false: its MX offers no STARTTLS)"),
});

/** One delivery (or, with `count` > 1, a series of deliveries `every` apart). */
export const deliveryInputSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits, _ . - (no spaces, no #)')
    .describe('name of the delivery (a series adds #2, #3, ...)'),
  at: timeInputSchema.describe('when it starts: "dayN HH:MM", an ISO date-time (needs start) or ms'),
  every: positiveDurationSchema
    .optional()
    .describe('a series: time between two deliveries (needed when count > 1)'),
  count: z.number().int().min(1).default(1).describe('how many deliveries in the series'),
  validity: positiveDurationSchema
    .default(SCENARIO_DEFAULTS.validityMs)
    .describe('validity period (SPEC §1): no retry after it, ms or "5d"'),
  retry: retryInputSchema
    .optional()
    .describe("retry policy of this delivery (default: mta.retry, else the mode's)"),
  from: z
    .string()
    .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address like news@sender.example')
    .default(SCENARIO_DEFAULTS.from)
    .describe('sender address (MAIL FROM)'),
  sizeBytes: z.number().int().positive().default(SCENARIO_DEFAULTS.sizeBytes).describe('message size, bytes'),
  maxMessages: z
    .number()
    .int()
    .nonnegative()
    .nullable()
    .default(null)
    .describe('send to at most this many recipients (null: no cap)'),
  targetShare: z
    .number()
    .min(0)
    .max(1)
    .default(SCENARIO_DEFAULTS.targetShare)
    .describe('share of the population this delivery targets, 0 to 1'),
});

/** The scenario file as written, before cross-field checks; unknown fields are errors everywhere. */
export const scenarioInputSchema = z.strictObject({
  /** editors: the JSON Schema this file follows */
  $schema: z.string().optional().describe('editors: the JSON Schema this file follows'),
  name: kebabName.describe('kebab-case name of the scenario'),
  description: z.string().default('').describe('what the scenario shows'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .describe('seed of every random stream (CLI --seed overrides)'),
  start: z
    .string()
    .min(1)
    .optional()
    .describe('ISO date-time of day1 00:00; when set, times may be ISO date-times too'),
  horizon: positiveDurationSchema.describe('the run stops here: "5d", "36h", "90m" or ms'),
  mode: z
    .enum(['legacy', 'enhanced'])
    .default(SCENARIO_DEFAULTS.mode)
    .describe('qualification mode, shaping mode and default retry policy'),
  population: z
    .strictObject({
      size: z
        .number()
        .int()
        .positive()
        .max(MAX_POPULATION)
        .describe('number of recipients (CLI --recipients overrides)'),
      mix: z
        .string()
        .min(1)
        .default(SCENARIO_DEFAULTS.mix)
        .describe('domain mix: a shipped mix name (simulators/population/mixes) or a file'),
      settings: populationSettingsSchema
        .prefault({})
        .describe('ground-truth weights and pre-run states (each field has a default)'),
    })
    .describe('the recipients: how many, at which domains, with which ground truth'),
  isps: z
    .strictObject({
      profiles: z
        .union([z.literal('all'), z.array(kebabName).min(1)])
        .default('all')
        .describe('"all" shipped ISP profiles, or a list of shipped profile names'),
      files: z
        .array(z.string().min(1))
        .default([])
        .describe('further profile files (YAML), relative to the scenario (see profile.schema.json)'),
      windows: z
        .array(windowInputSchema)
        .default([])
        .describe('extra time windows (outages ...) added to profiles for this scenario'),
      overrides: z.array(overrideInputSchema).default([]).describe('per-profile patches for this scenario'),
    })
    .prefault({})
    .describe('the simulated ISPs: which profiles, extra files, windows and patches'),
  mta: z
    .strictObject({
      localIps: z
        .union([
          z.number().int().min(1).max(SCENARIO_DEFAULTS.maxLocalIps),
          z.array(z.ipv4({ message: 'an IPv4 address like 127.0.1.1' })).min(1),
        ])
        .default(SCENARIO_DEFAULTS.localIps)
        .describe('sending IPs: how many, or the IPv4 addresses'),
      ipAgeDays: z
        .number()
        .min(0)
        .default(SCENARIO_DEFAULTS.ipAgeDays)
        .describe('age of the sending IPs at day1, days (young IPs warm up)'),
      mxRules: z
        .string()
        .min(1)
        .default('default')
        .describe('MX rules file (SPEC §7.1 hourly limits per MX), or "default" for the shipped ones'),
      throughputLevel: z
        .enum(THROUGHPUT_LEVELS)
        .default(SCENARIO_DEFAULTS.throughputLevel)
        .describe('throughput level applied to the MX rules'),
      adaptiveRules: z
        .string()
        .min(1)
        .default('default')
        .describe('adaptive shaping rules file (Enhanced MTA, SPEC §7.2), or "default"'),
      inmailEvery: positiveDurationSchema
        .default(SCENARIO_DEFAULTS.inmailEveryMs)
        .describe('how often inMail reads the bounce mailbox, ms or "15m"'),
      cleanup: z
        .boolean()
        .default(SCENARIO_DEFAULTS.cleanup)
        .describe('run the nightly database cleanup (SPEC §5)'),
      verp: z
        .boolean()
        .default(false)
        .describe(
          'send each message with a VERP return path (news+token@host); async mail then matches by it too',
        ),
      asyncMatchLatest: z
        .boolean()
        .default(false)
        .describe(
          "apply an async mail that names no message of the run to its address's latest message (off: counted unmatched)",
        ),
      cleanupAt: z
        .string()
        .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'a time of day "HH:MM" like 02:00')
        .default(SCENARIO_DEFAULTS.cleanupAt)
        .describe('time of day of the cleanup, "HH:MM"'),
      retry: retryInputSchema
        .optional()
        .describe(
          "default retry policy: a preset name (core/retry/presets.yaml) or a policy (default: the mode's)",
        ),
      webhooks: z
        .boolean()
        .default(true)
        .describe(
          'enhanced mode: the Enhanced MTA hands its bounce classes back through webhooks; false: sync bounces go through the inbound rules (SPEC §6.2)',
        ),
      senderId: z
        .number()
        .int()
        .nonnegative()
        .optional()
        .describe(
          "the instance's sender identifier: an MX rule with a senderIds range applies only when it is in range (none: such rules never apply)",
        ),
    })
    .prefault({})
    .describe('the sending MTA: IPs, shaping, inMail, cleanup, retries'),
  rules: z
    .strictObject({
      inbound: z
        .string()
        .min(1)
        .default('default')
        .describe('inbound email rules (file or folder), or "default" for the shipped ones'),
      bounceRules: z
        .string()
        .min(1)
        .default('default')
        .describe('Momentum bounce rules (Enhanced mode; file), or "default"'),
    })
    .prefault({})
    .describe('qualification rules'),
  ruleSync: ruleSyncInputSchema
    .optional()
    .describe('refresh the inbound rules daily from a deliverability instance'),
  quarantine: quarantineSettingsSchema
    .prefault({})
    .describe('quarantine settings (SPEC §5); each field defaults to the SPEC value'),
  qualificationTable: z
    .strictObject({
      occurrenceCap: z
        .number()
        .int()
        .positive()
        .default(DEFAULT_OCCURRENCE_CAP)
        .describe('occurrence count cap of an entry (seed 000: 100,000)'),
    })
    .prefault({})
    .describe('the qualification table (SPEC §6.1)'),
  deliveries: z
    .array(deliveryInputSchema)
    .min(1, 'a scenario needs at least one delivery')
    .describe('the sends: at least one'),
  actions: z
    .array(actionInputSchema)
    .default([])
    .describe(
      'operator actions at times of the run: stop a delivery, suspensions, rules, the qualification table, cleanup',
    ),
});

/** A scenario as a user writes it (TypeScript scenarios: the argument of `defineScenario`). */
export type ScenarioInput = z.input<typeof scenarioInputSchema>;
/** The scenario after the structural schema, before cross-field resolution. */
export type ScenarioParsed = z.output<typeof scenarioInputSchema>;

/** A retry policy as the runner takes it: a preset name (known to exist) or an inline spec. */
export type ScenarioRetry = string | RetryPolicySpec;

/** An extra profile window, times in ms since the run start. */
export type ScenarioWindow = IspProfile['windows'][number] & { profile: string };

/** A per-profile patch; `null` turns the feature off for that profile. */
export interface ScenarioOverride {
  profile: string;
  rateLimits?: IspProfile['rateLimits'];
  random?: IspProfile['random'];
  greylisting?: IspProfile['greylisting'] | null;
  acceptThenBounce?: IspProfile['acceptThenBounce'] | null;
  complaintBlock?: IspProfile['complaintBlock'] | null;
  postmasterNotice?: IspProfile['postmasterNotice'] | null;
  starttls?: boolean;
}

/** One delivery as declared (a series when `count` > 1); see `deliveryInstances` for the sends. */
export interface ScenarioDelivery {
  name: string;
  /** ms since the run start of the first send */
  at: number;
  /** ms between the sends of a series; null for a single delivery */
  every: number | null;
  count: number;
  /** validity period, ms */
  validity: number;
  /** this delivery's retry policy (the scenario's `mta.retry` when not set) */
  retry: ScenarioRetry;
  from: string;
  sizeBytes: number;
  maxMessages: number | null;
  targetShare: number;
}

/** A validated scenario: what the runner consumes. Times and durations in integer ms. */
export interface Scenario {
  name: string;
  description: string;
  /** the scenario file (absolute), or '<inline>' */
  file: string;
  /** sha256 of the file's canonical JSON (sorted keys), hex, 16 characters */
  hash: string;
  seed: number;
  /** ISO date-time of day1 00:00, or null */
  start: string | null;
  /** epoch ms of day1 00:00, or null */
  startEpochMs: number | null;
  /** the run stops here, ms */
  horizon: number;
  mode: QualificationMode;
  population: {
    size: number;
    /** a shipped mix name or an absolute path to a mix file */
    mix: string;
    settings: PopulationSettings;
  };
  isps: {
    /** 'all' shipped profiles or the listed shipped names */
    profiles: 'all' | string[];
    /** absolute paths of extra profile files */
    files: string[];
    windows: ScenarioWindow[];
    overrides: ScenarioOverride[];
  };
  mta: {
    /** the local sending IPs (a count becomes 127.0.1.1, 127.0.1.2, …) */
    localIps: string[];
    ipAgeDays: number;
    /** 'default' or an absolute path */
    mxRules: string;
    throughputLevel: ThroughputLevel;
    /** 'default', 'none' or an absolute path */
    adaptiveRules: string;
    /** ms between two reads of the technical mailbox */
    inmailEvery: number;
    cleanup: boolean;
    verp: boolean;
    asyncMatchLatest: boolean;
    /** ms after midnight of each day */
    cleanupAt: number;
    /** default retry policy (the mode's name when not set) */
    retry: ScenarioRetry;
    /** enhanced mode: bounce classes come back through webhooks (else sync bounces use the inbound rules) */
    webhooks: boolean;
    /** the sender identifier MX rules with a `senderIds` range are matched against, or null */
    senderId: number | null;
  };
  rules: {
    /** 'default' or an absolute path (file or directory) */
    inbound: string;
    /** 'default' or an absolute path (file or directory) */
    bounceRules: string;
  };
  /** the daily rule refresh, or null */
  ruleSync: ScenarioRuleSync | null;
  quarantine: z.output<typeof quarantineSettingsSchema>;
  /** the delivery log qualification table's settings (SPEC §6.1) */
  qualificationTable: { occurrenceCap: number };
  deliveries: ScenarioDelivery[];
  /** operator actions, in time order (stable for equal times) */
  actions: ScenarioAction[];
}
