/**
 * The versioned schema of `summary.json` (zod). Bump SUMMARY_SCHEMA_VERSION when a field changes
 * meaning or disappears; adding a field keeps the version. Ratios are 0..1 (not percent).
 */
import { z } from 'zod';

export const SUMMARY_SCHEMA_VERSION = 1;

const count = z.number().int().nonnegative();
const ratio = z.number().min(0).max(1);
const nullableMs = z.number().nullable();

const reasonCount = z.object({ reason: z.number().int().nullable(), name: z.string(), count });

const percentiles = z.object({
  count,
  p50: nullableMs,
  p90: nullableMs,
  p99: nullableMs,
  min: nullableMs,
  max: nullableMs,
});

export const SummarySchema = z.object({
  schemaVersion: z.literal(SUMMARY_SCHEMA_VERSION),
  scenario: z.object({ name: z.string().nullable(), hash: z.string().nullable() }),
  seed: z.string().nullable(),
  completedAt: z.object({ ms: z.number().int().nonnegative(), text: z.string() }),
  messages: z.object({
    targeted: count,
    excluded: z.object({ total: count, byReason: z.array(reasonCount) }),
    delivered: count,
    failed: z.object({ total: count, byType: z.record(z.string(), count), byReason: z.array(reasonCount) }),
    pending: count,
    /** Delivery cancelled (an operator stopped the delivery, legacy MTA); absent when none */
    cancelled: count.optional(),
  }),
  quarantine: z.object({
    targetedAddresses: count,
    addresses: count,
    rate: ratio,
    byReason: z.array(
      z.object({ reason: z.number().int().nullable(), name: z.string(), addresses: count, rate: ratio }),
    ),
    falseQuarantines: count,
    missedQuarantines: count,
    /** quarantined although the truth does not warrant it, by truth (valid included); sums to the false positives */
    falseQuarantinesByTruth: z.record(z.string(), count),
    /** not quarantined although the truth warrants it, by truth; sums to missedQuarantines */
    missedQuarantinesByTruth: z.record(z.string(), count),
    /** null when no decided address has a known truth (an ingested production log) */
    precision: ratio.nullable(),
    /** null when no decided address has a known truth */
    recall: ratio.nullable(),
    /** false quarantines by the rule that quarantined them, most first (top 5): domains hit and window */
    falseQuarantinesByRule: z.array(
      z.object({
        rule: z.string().nullable(),
        addresses: count,
        domains: z.array(z.object({ domain: z.string(), addresses: count })),
        domainCount: count,
        fromMs: z.number().int().nonnegative(),
        toMs: z.number().int().nonnegative(),
        window: z.string(),
      }),
    ),
  }),
  /** complaints (feedback loop), denylist and allowlist */
  feedback: z.object({
    complaints: count,
    complainers: count,
    autoReplies: count,
    denylisted: count,
    denylistedBefore: count,
    allowlisted: count,
  }),
  throughput: z.object({
    peakPerHour: count,
    peakHourMs: z.number().int().nonnegative(),
    perDomain: z.array(
      z.object({
        domain: z.string(),
        attempts: count,
        delivered: count,
        deferred: count,
        failed: count,
        peakPerHour: count,
      }),
    ),
  }),
  retries: z.object({
    attempts: count,
    retries: count,
    delay: percentiles,
    attemptsPerDelivered: z.number().nonnegative(),
  }),
  timeToDeliver: percentiles,
  kpi: z.object({ processed: count, legacy: z.number(), enhanced: z.number(), efs: z.number() }),
  qualification: z.object({ entries: count, toQualify: count, toQualifyOccurrences: count }),
  inmail: z.object({
    results: count,
    unmatched: count,
    matchedBy: z.object({ messageId: count, header: count, verp: count, latest: count }),
  }),
  /** operator actions of the scenario's timeline (issue #24); absent when the scenario has none */
  actions: z
    .array(
      z.object({
        ms: z.number().int().nonnegative(),
        text: z.string(),
        kind: z.string(),
        target: z.string().nullable(),
        outcome: z.string(),
        affected: count,
        detail: z.string().nullable(),
      }),
    )
    .optional(),
});

/** The content of `summary.json`. */
export type Summary = z.infer<typeof SummarySchema>;
