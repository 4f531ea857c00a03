/**
 * Legacy MX management rules (SPEC §7.1) as data: an ordered list matched by mask against the MX
 * host name, first match wins, the `*` rule is the general case and must come last. A rule may leave
 * fields out: they are inherited from the `*` rule, which must set them all. The file also carries the
 * settings of the slices, the error-rate block, path unavailability and the site-wide delay.
 */
import { z } from 'zod';
import { durationSchema } from '../duration.ts';
import { maskToRegExp, stripDot } from './mask.ts';

/** TLS use on a path: never, when offered (STARTTLS), or required (fail the session without it). */
export type TlsMode = 'off' | 'opportunistic' | 'required';

/** One fully resolved MX rule. Times in ms. `messagesPerHour` 0 means no hourly limit. */
export interface MxRule {
  name: string;
  mask: string;
  /** inclusive range of sender identifiers the rule applies to; null = every sender */
  senderIds: { from: number; to: number } | null;
  shared: boolean;
  maxConnections: number;
  maxMessagesPerConnection: number;
  messagesPerHour: number;
  connectTimeoutMs: number;
  dataTimeoutMs: number;
  timeoutMs: number;
  tls: TlsMode;
}

/** Settings that go with a rule set. Every SPEC §7.1 number lives here. */
export interface MxRuleSettings {
  /** slices per hour for the hourly limit (12 = 5 minutes) */
  slicesPerHour: number;
  /** `floor`: each slice allows floor(rate / slices), the remainder of the hour is not sent; `spread`: slices take floor((k+1)·rate/n) − floor(k·rate/n) so the hour totals exactly `rate` */
  sliceRounding: 'floor' | 'spread';
  errorBlock: { minMessages: number; errorRate: number; durationMs: number; windowMs: number };
  pathDown: { afterErrors: number; durationMs: number };
  siteDelay: { afterErrors: number; durationMs: number };
  /** the daily refresh of the rules from the central instance (off in Custom mode) */
  syncRules: boolean;
}

/** A loaded rule set: the rules (the last is `*`), their compiled masks, and the settings. */
export interface MxRuleSet {
  rules: readonly MxRule[];
  settings: MxRuleSettings;
  /** compiled masks, same order as `rules` */
  readonly masks: readonly RegExp[];
}

const tlsSchema = z
  .union([z.enum(['off', 'opportunistic', 'required']), z.boolean()])
  .transform((v): TlsMode => (v === true ? 'opportunistic' : v === false ? 'off' : v));

const ruleSchema = z.strictObject({
  name: z.string().min(1).optional(),
  mask: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9*?.\-_]+$/, 'a mask holds letters, digits, dots, hyphens and the wildcards * and ?'),
  senderIds: z
    .strictObject({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() })
    .refine((r) => r.from <= r.to, 'from must not exceed to')
    .optional(),
  shared: z.boolean().optional(),
  maxConnections: z.number().int().positive().optional(),
  maxMessagesPerConnection: z.number().int().positive().optional(),
  messagesPerHour: z.number().int().nonnegative().optional(),
  connectTimeout: durationSchema.optional(),
  dataTimeout: durationSchema.optional(),
  timeout: durationSchema.optional(),
  tls: tlsSchema.optional(),
});

const REQUIRED_IN_GENERAL = [
  'maxConnections',
  'maxMessagesPerConnection',
  'messagesPerHour',
  'connectTimeout',
  'dataTimeout',
  'timeout',
] as const;

/** zod schema of an MX rule file. */
export const mxRuleFileSchema = z
  .strictObject({
    version: z.literal(1),
    syncRules: z.boolean().default(true),
    slices: z
      .strictObject({
        perHour: z.number().int().positive().default(12),
        rounding: z.enum(['floor', 'spread']).default('floor'),
      })
      .default({ perHour: 12, rounding: 'floor' }),
    errorBlock: z
      .strictObject({
        minMessages: z.number().int().positive().default(300),
        errorRate: z.number().gt(0).max(1).default(0.9),
        duration: durationSchema.default(3 * 3_600_000),
        window: durationSchema.default(3_600_000),
      })
      .default({ minMessages: 300, errorRate: 0.9, duration: 3 * 3_600_000, window: 3_600_000 }),
    pathDown: z
      .strictObject({
        afterErrors: z.number().int().positive().default(3),
        duration: durationSchema.default(600_000),
      })
      .default({ afterErrors: 3, duration: 600_000 }),
    siteDelay: z
      .strictObject({
        afterErrors: z.number().int().positive().default(100),
        duration: durationSchema.default(1_800_000),
      })
      .default({ afterErrors: 100, duration: 1_800_000 }),
    rules: z.array(ruleSchema).min(1, 'at least the general rule `*` is required'),
  })
  .superRefine((file, ctx) => {
    const rules = file.rules;
    const star = rules.findIndex((r) => r.mask === '*');
    if (star === -1) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules'],
        message: 'the general rule (mask "*") is missing; add it as the last rule',
      });
      return;
    }
    if (star !== rules.length - 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', star, 'mask'],
        message: `the general rule "*" must be the last rule (found at position ${star + 1} of ${rules.length})`,
      });
      return;
    }
    const general = rules[star]!;
    if (general.senderIds) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', star, 'senderIds'],
        message: 'the general rule applies to every sender: remove senderIds',
      });
    }
    for (const f of REQUIRED_IN_GENERAL) {
      if (general[f] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', star],
          message: `the general rule "*" must set ${f} (other rules inherit it)`,
        });
      }
    }
  });

/** An MX rule file's value after validation (node/shaping.ts reads it from disk). */
export type MxRuleFile = z.output<typeof mxRuleFileSchema>;

/** The rule set of a validated MX rule file (node/shaping.ts reads one from disk; a rule-sync payload holds one): every rule's missing fields taken from the `*` rule. */
export function resolveMxRules(file: MxRuleFile): MxRuleSet {
  const g = file.rules[file.rules.length - 1]!;
  const rules = file.rules.map(
    (r): MxRule => ({
      name: r.name ?? (r.mask === '*' ? 'general' : r.mask),
      mask: r.mask,
      senderIds: r.senderIds ?? null,
      shared: r.shared ?? g.shared ?? false,
      maxConnections: r.maxConnections ?? g.maxConnections!,
      maxMessagesPerConnection: r.maxMessagesPerConnection ?? g.maxMessagesPerConnection!,
      messagesPerHour: r.messagesPerHour ?? g.messagesPerHour!,
      connectTimeoutMs: r.connectTimeout ?? g.connectTimeout!,
      dataTimeoutMs: r.dataTimeout ?? g.dataTimeout!,
      timeoutMs: r.timeout ?? g.timeout!,
      tls: r.tls ?? g.tls ?? 'opportunistic',
    }),
  );
  return makeMxRuleSet(rules, {
    slicesPerHour: file.slices.perHour,
    sliceRounding: file.slices.rounding,
    errorBlock: {
      minMessages: file.errorBlock.minMessages,
      errorRate: file.errorBlock.errorRate,
      durationMs: file.errorBlock.duration,
      windowMs: file.errorBlock.window,
    },
    pathDown: { afterErrors: file.pathDown.afterErrors, durationMs: file.pathDown.duration },
    siteDelay: { afterErrors: file.siteDelay.afterErrors, durationMs: file.siteDelay.duration },
    syncRules: file.syncRules,
  });
}

/** Builds a rule set from resolved rules (e.g. after a throughput level was applied). */
export function makeMxRuleSet(rules: readonly MxRule[], settings: MxRuleSettings): MxRuleSet {
  if (rules.length === 0 || rules[rules.length - 1]!.mask !== '*') {
    throw Object.assign(new Error('MXLAB_MXRULES: the last MX rule must be the general rule "*"'), {
      code: 'MXLAB_MXRULES',
    });
  }
  return { rules, settings, masks: rules.map((r) => maskToRegExp(r.mask)) };
}

/**
 * Index of the first rule whose mask matches `host` (and whose sender range holds `senderId`, when
 * the rule has one). Always finds one: the `*` rule is last. Not a hot path: the shaper calls it once
 * per (domain, MX host) when it registers a site.
 */
export function matchMxRule(set: MxRuleSet, host: string, senderId?: number): number {
  const h = stripDot(host);
  for (let i = 0; i < set.rules.length; i++) {
    const r = set.rules[i]!;
    if (r.senderIds && (senderId === undefined || senderId < r.senderIds.from || senderId > r.senderIds.to))
      continue;
    if (set.masks[i]!.test(h)) return i;
  }
  return set.rules.length - 1;
}
