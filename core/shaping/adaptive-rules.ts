/**
 * Adaptive shaping rules (SPEC §7.2, Enhanced MTA) as data:
 * - response rules: a regex on the reply (optionally only for some recipient domains), a trigger
 *   (`first` occurrence, or `count` matches within `within`, counted from the first match of a
 *   window), and an action; the first matching rule wins;
 * - rate rules: a ratio of two per-(IP, domain) metrics over a sliding window with a minimum volume;
 * - bounds of the tuned values, and the positive adjustment back up after clean hours.
 */
import { z } from 'zod';
import { durationSchema } from '../duration.ts';
import { maskToRegExp } from './mask.ts';
import { type Rate, rateSchema } from './rate.ts';

/** What a rule does to the (sending IP, domain) pair. Several fields may combine. */
export interface ShapingAction {
  /** suspend the pair for this long (ms) */
  suspendMs: number | null;
  /** multiply the pair's hourly rate by this factor (0 < f < 1) */
  throttle: number | null;
  /** multiply the pair's max connections by this factor (at least 1 stays) */
  reduceConnections: number | null;
  /** explicit limits for `durationMs`, replacing the tuned values */
  setLimits: {
    rate: Rate | null;
    maxConnections: number | null;
    maxMessagesPerConnection: number | null;
    durationMs: number;
  } | null;
  /** greylisting: retry the pair's messages no sooner than this (ms) */
  greylistMs: number | null;
  /** treat a permanent reply as transient (reputation blocks are not about the address) */
  rewriteToTransient: boolean;
}

/** Metrics counted per (IP, domain) pair for the rate rules. */
export const METRICS = ['attempts', 'rejections', 'hardOrTimeout', 'deliveries', 'complaints'] as const;
export type Metric = (typeof METRICS)[number];

export interface ResponseRule {
  name: string;
  regex: RegExp;
  /** recipient-domain masks; null = every domain */
  domains: RegExp[] | null;
  /** 1 with withinMs 0 for `first` */
  count: number;
  withinMs: number;
  action: ShapingAction;
}

export interface RateRule {
  name: string;
  metric: Metric;
  of: Metric;
  minVolume: number;
  windowMs: number;
  threshold: number;
  action: ShapingAction;
}

export interface AdaptiveRules {
  responseRules: readonly ResponseRule[];
  rateRules: readonly RateRule[];
  bounds: {
    /** hourly ceiling when the MX rule sets no hourly limit */
    maxMessagesPerHour: number;
    /** throttling never goes below this hourly rate */
    minMessagesPerHour: number;
    minConnections: number;
  };
  positiveAdjustment: { everyMs: number; factor: number };
}

const actionSchema = z
  .strictObject({
    suspend: durationSchema.optional(),
    throttle: z.number().gt(0).lt(1).optional(),
    reduceConnections: z.number().gt(0).lt(1).optional(),
    setLimits: z
      .strictObject({
        rate: rateSchema.optional(),
        maxConnections: z.number().int().positive().optional(),
        maxMessagesPerConnection: z.number().int().positive().optional(),
        duration: durationSchema,
      })
      .optional(),
    greylist: durationSchema.optional(),
    rewriteToTransient: z.boolean().optional(),
  })
  .refine(
    (a) => Object.keys(a).length > 0,
    'an action needs at least one of suspend, throttle, reduceConnections, setLimits, greylist, rewriteToTransient',
  )
  .transform(
    (a): ShapingAction => ({
      suspendMs: a.suspend ?? null,
      throttle: a.throttle ?? null,
      reduceConnections: a.reduceConnections ?? null,
      setLimits: a.setLimits
        ? {
            rate: a.setLimits.rate ?? null,
            maxConnections: a.setLimits.maxConnections ?? null,
            maxMessagesPerConnection: a.setLimits.maxMessagesPerConnection ?? null,
            durationMs: a.setLimits.duration,
          }
        : null,
      greylistMs: a.greylist ?? null,
      rewriteToTransient: a.rewriteToTransient ?? false,
    }),
  );

const regexSchema = z.string().transform((s, ctx) => {
  try {
    return new RegExp(s, 'i');
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `bad regular expression: ${(e as Error).message}` });
    return z.NEVER;
  }
});

const metricSchema = z.enum(METRICS);

/** zod schema of an adaptive rule file. */
export const adaptiveRulesSchema = z.strictObject({
  version: z.literal(1),
  bounds: z
    .strictObject({
      maxMessagesPerHour: z.number().int().positive().default(100_000),
      minMessagesPerHour: z.number().int().positive().default(60),
      minConnections: z.number().int().positive().default(1),
    })
    .default({ maxMessagesPerHour: 100_000, minMessagesPerHour: 60, minConnections: 1 }),
  positiveAdjustment: z
    .strictObject({ every: durationSchema.default(3_600_000), factor: z.number().gt(1).default(1.1) })
    .default({ every: 3_600_000, factor: 1.1 }),
  responseRules: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        match: regexSchema,
        domains: z.array(z.string().min(1)).min(1).optional(),
        trigger: z
          .union([
            z.literal('first'),
            z.strictObject({ count: z.number().int().positive(), within: durationSchema }),
          ])
          .default('first'),
        action: actionSchema,
      }),
    )
    .default([]),
  rateRules: z
    .array(
      z
        .strictObject({
          name: z.string().min(1),
          metric: metricSchema,
          of: metricSchema,
          minVolume: z.number().int().positive(),
          window: durationSchema,
          threshold: z.number().gt(0).max(1),
          action: actionSchema,
        })
        .refine((r) => r.metric !== r.of, { message: 'metric and of must differ', path: ['of'] }),
    )
    .default([]),
});

/** The rules a validated adaptive rule file describes (node/shaping.ts reads it from disk). */
export function resolveAdaptiveRules(file: z.output<typeof adaptiveRulesSchema>): AdaptiveRules {
  return {
    bounds: file.bounds,
    positiveAdjustment: { everyMs: file.positiveAdjustment.every, factor: file.positiveAdjustment.factor },
    responseRules: file.responseRules.map((r) => ({
      name: r.name,
      regex: r.match,
      domains: r.domains ? r.domains.map(maskToRegExp) : null,
      count: r.trigger === 'first' ? 1 : r.trigger.count,
      withinMs: r.trigger === 'first' ? 0 : r.trigger.within,
      action: r.action,
    })),
    rateRules: file.rateRules.map((r) => ({
      name: r.name,
      metric: r.metric,
      of: r.of,
      minVolume: r.minVolume,
      windowMs: r.window,
      threshold: r.threshold,
      action: r.action,
    })),
  };
}
