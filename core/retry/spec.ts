/**
 * Retry policies as data (SPEC §4): the zod schema of a policy spec as a data file writes it, and the
 * factory that turns a spec into a {@link RetryPolicy}. Durations accept `20m`, `4d12h` or ms.
 */
import { z } from 'zod';
import { durationSchema, positiveDurationSchema } from '../duration.ts';
import { EnhancedRetryPolicy } from './enhanced.ts';
import { ExponentialRetryPolicy } from './exponential.ts';
import { IntervalListRetryPolicy } from './interval-list.ts';
import { LegacyRetryPolicy } from './legacy.ts';
import type { RetryPolicy } from './policy.ts';

const positiveInt = z.number().int().min(1);
const ageFields = {
  maxAgeMs: positiveDurationSchema
    .nullable()
    .optional()
    .describe(
      'give up once the message is this old: duration ("20m", "4d12h") or ms (default null: no limit)',
    ),
  maxAttempts: positiveInt
    .nullable()
    .optional()
    .describe('give up after this many attempts (default null: no limit)'),
  honourRequestedValidity: z
    .boolean()
    .optional()
    .describe("stop at the delivery's validity period (default false)"),
};

const legacySpec = z
  .object({
    kind: z
      .literal('legacy')
      .describe('legacy MTA (SPEC §4): quick retries, then slow ones, within the validity'),
    quickRetries: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('retries at the quick spacing (default 5)'),
    quickSpacingMs: positiveDurationSchema
      .optional()
      .describe('spacing of the quick retries: duration ("20m", "4d12h") or ms (default 1 h)'),
    slowRetries: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('retries at the slow spacing after them (default 4)'),
    slowSpacingMs: positiveDurationSchema
      .optional()
      .describe('spacing of the slow retries: duration ("20m", "4d12h") or ms (default 1 d)'),
    validityMs: durationSchema
      .optional()
      .describe('validity when the delivery names none: duration ("20m", "4d12h") or ms (default 5 d)'),
  })
  .strict();

const exponentialSpec = z
  .object({
    kind: z
      .literal('exponential')
      .describe('delay of retry n = baseMs x factor^(n - 1 + firstExponent), capped'),
    baseMs: positiveDurationSchema.describe('first delay: duration ("20m", "4d12h") or ms'),
    factor: z.number().min(1).describe('growth factor per retry (>= 1)'),
    firstExponent: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('exponent of the first retry (default 0)'),
    capMs: positiveDurationSchema
      .nullable()
      .optional()
      .describe('longest delay: duration ("20m", "4d12h") or ms (default none)'),
    jitter: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('random spread of each delay, +- this share (0 to 1, default 0)'),
    ...ageFields,
  })
  .strict();

const intervalsSpec = z
  .object({
    kind: z.literal('intervals').describe('a list of delays, one per retry'),
    intervalsMs: z
      .array(positiveDurationSchema)
      .min(1)
      .describe('delay before each retry: duration ("20m", "4d12h") or ms each'),
    repeatLast: z
      .boolean()
      .optional()
      .describe('after the list, keep retrying at its last delay (default false)'),
    ...ageFields,
  })
  .strict();

const enhancedRule = z
  .object({
    name: z.string().min(1).describe('name of the rule'),
    dispositions: z
      .array(z.enum(['transient', 'permanent']))
      .optional()
      .describe('applies to these dispositions (default: any)'),
    types: z
      .array(z.enum(['hard', 'soft', 'ignored', 'undefined']))
      .optional()
      .describe('applies to these failure types (default: any)'),
    reasons: z
      .array(z.number().int().min(0).max(255))
      .optional()
      .describe('applies to these SPEC §3 reasons (default: any)'),
    bounceClasses: z
      .array(z.number().int().min(0))
      .optional()
      .describe('applies to these Momentum bounce classes (default: any)'),
    domains: z
      .array(z.string().min(1))
      .optional()
      .describe('applies to these recipient domains (default: any)'),
    intervalsMs: z
      .array(positiveDurationSchema)
      .min(1)
      .describe('delay before each retry: duration ("20m", "4d12h") or ms each'),
  })
  .strict();

const enhancedSpec = z
  .object({
    kind: z.literal('enhanced').describe('Enhanced MTA (SPEC §4): retry rules by failure, first match wins'),
    validityCapMs: positiveDurationSchema
      .optional()
      .describe('longest validity whatever is asked: duration ("20m", "4d12h") or ms (default 3.5 d)'),
    defaultValidityMs: positiveDurationSchema
      .optional()
      .describe('validity when the delivery names none: duration ("20m", "4d12h") or ms (default 5 d)'),
    rules: z.array(enhancedRule).optional().describe('retry rules, tried in order'),
    defaultIntervalsMs: z
      .array(positiveDurationSchema)
      .min(1)
      .optional()
      .describe('delays when no rule matches: duration ("20m", "4d12h") or ms each'),
  })
  .strict();

/** Schema of one retry policy spec. */
export const retryPolicySpecSchema = z.discriminatedUnion('kind', [
  legacySpec,
  exponentialSpec,
  intervalsSpec,
  enhancedSpec,
]);
/** A validated retry policy spec (durations in ms). */
export type RetryPolicySpec = z.output<typeof retryPolicySpecSchema>;

/** Schema of a file of named policies: `{ policies: { name: spec, ... } }`. */
export const retryPolicyFileSchema = z
  .object({ policies: z.record(z.string(), retryPolicySpecSchema) })
  .strict();

/** Builds a policy from a validated spec. */
export function createRetryPolicy(spec: RetryPolicySpec, name: string = spec.kind): RetryPolicy {
  switch (spec.kind) {
    case 'legacy':
      return new LegacyRetryPolicy(defined(spec), name);
    case 'exponential':
      return new ExponentialRetryPolicy(defined(spec) as typeof spec, name);
    case 'intervals':
      return new IntervalListRetryPolicy(defined(spec) as typeof spec, name);
    case 'enhanced':
      return new EnhancedRetryPolicy(defined(spec), name);
  }
}

function defined<T extends { kind: string }>(spec: T): Omit<Partial<T>, 'kind'> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (v !== undefined && k !== 'kind') out[k] = v;
  return out as Omit<Partial<T>, 'kind'>;
}
