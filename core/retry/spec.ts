/**
 * Retry policies as data (SPEC §4): the zod schema of a policy spec as a data file writes it, and the
 * factory that turns a spec into a {@link RetryPolicy}. Durations accept `20m`, `4d12h` or ms.
 */
import { z } from 'zod';
import { durationSchema, positiveDurationSchema } from './duration.ts';
import { EnhancedRetryPolicy } from './enhanced.ts';
import { ExponentialRetryPolicy } from './exponential.ts';
import { IntervalListRetryPolicy } from './interval-list.ts';
import { LegacyRetryPolicy } from './legacy.ts';
import type { RetryPolicy } from './policy.ts';

const positiveInt = z.number().int().min(1);
const ageFields = {
  maxAgeMs: positiveDurationSchema.nullable().optional(),
  maxAttempts: positiveInt.nullable().optional(),
  honourRequestedValidity: z.boolean().optional(),
};

const legacySpec = z
  .object({
    kind: z.literal('legacy'),
    quickRetries: z.number().int().nonnegative().optional(),
    quickSpacingMs: positiveDurationSchema.optional(),
    slowRetries: z.number().int().nonnegative().optional(),
    slowSpacingMs: positiveDurationSchema.optional(),
    validityMs: durationSchema.optional(),
  })
  .strict();

const exponentialSpec = z
  .object({
    kind: z.literal('exponential'),
    baseMs: positiveDurationSchema,
    factor: z.number().min(1),
    firstExponent: z.number().int().nonnegative().optional(),
    capMs: positiveDurationSchema.nullable().optional(),
    jitter: z.number().min(0).max(1).optional(),
    ...ageFields,
  })
  .strict();

const intervalsSpec = z
  .object({
    kind: z.literal('intervals'),
    intervalsMs: z.array(positiveDurationSchema).min(1),
    repeatLast: z.boolean().optional(),
    ...ageFields,
  })
  .strict();

const enhancedRule = z
  .object({
    name: z.string().min(1),
    dispositions: z.array(z.enum(['transient', 'permanent'])).optional(),
    types: z.array(z.enum(['hard', 'soft', 'ignored', 'undefined'])).optional(),
    reasons: z.array(z.number().int().min(0).max(255)).optional(),
    bounceClasses: z.array(z.number().int().min(0)).optional(),
    domains: z.array(z.string().min(1)).optional(),
    intervalsMs: z.array(positiveDurationSchema).min(1),
  })
  .strict();

const enhancedSpec = z
  .object({
    kind: z.literal('enhanced'),
    validityCapMs: positiveDurationSchema.optional(),
    defaultValidityMs: positiveDurationSchema.optional(),
    rules: z.array(enhancedRule).optional(),
    defaultIntervalsMs: z.array(positiveDurationSchema).min(1).optional(),
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
