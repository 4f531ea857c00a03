/**
 * `ruleSync:` in a scenario (SPEC §6.1, §7.1, issue #24): the deliverability instance the inbound
 * email rules (and, with `mxUrl`, the MX rules) are refreshed from every day, in virtual time. `instance` serves that URL in process
 * (a rule file and outages) so tests and the catalog need no network; without it the URL is fetched.
 */
import { z } from 'zod';
import { positiveDurationSchema } from '../core/duration.ts';
import { timeInputSchema } from './field-schemas.ts';

const time = timeInputSchema;
const duration = positiveDurationSchema;

/** The defaults (SPEC §6.1 is silent on the hour: docs/decisions.md). */
export const RULE_SYNC_SCENARIO_DEFAULTS = Object.freeze({ refreshAt: '03:00', timeoutMs: 30_000 });

export const ruleSyncInputSchema = z.strictObject({
  url: z
    .url({ message: 'a URL like http://deliverability.example/rules.json' })
    .describe("the deliverability instance's rules endpoint (JSON payload)"),
  mxUrl: z
    .url({ message: 'a URL like http://deliverability.example/mx-rules.json' })
    .optional()
    .describe(
      "the instance's MX rules endpoint (JSON {version, mxRules: an MX rule file}): refreshed at the same time; off when the MX rules in force say syncRules: false, at the custom throughput level or in custom mode",
    ),
  mode: z
    .enum(['sync', 'custom'])
    .default('sync')
    .describe('sync: the daily refresh replaces the rules, user rules included; custom: no refresh'),
  refreshAt: z
    .string()
    .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'a time of day "HH:MM" like 03:00')
    .default(RULE_SYNC_SCENARIO_DEFAULTS.refreshAt)
    .describe('time of day of the daily refresh'),
  timeout: duration
    .default(RULE_SYNC_SCENARIO_DEFAULTS.timeoutMs)
    .describe('time allowed for one fetch (real time)'),
  instance: z
    .strictObject({
      rules: z
        .string()
        .min(1)
        .describe('the rules the instance serves: a rule file or directory, or default (the shipped rules)'),
      mxRules: z
        .string()
        .min(1)
        .optional()
        .describe(
          'the MX rules the instance serves at mxUrl: an MX rule file, or default (the shipped ones)',
        ),
      version: z.string().min(1).default('central').describe('the version string the instance reports'),
      outages: z
        .array(
          z.strictObject({
            from: time.describe('start of the outage: dayN HH:MM or ms'),
            to: time.describe('end of the outage: dayN HH:MM or ms'),
            reply: z
              .union([z.literal('timeout'), z.literal('invalid'), z.number().int().min(400).max(599)])
              .describe('what a refresh gets meanwhile: timeout, invalid (a bad payload) or an HTTP status'),
          }),
        )
        .default([])
        .describe('windows when the instance fails'),
    })
    .optional()
    .describe('an in-process deliverability instance serving `url`'),
});

/** `ruleSync` resolved: times in ms, the instance's rule file an absolute path. */
export interface ScenarioRuleSync {
  url: string;
  /** the MX rules endpoint, or null (no MX-rule sync) */
  mxUrl: string | null;
  mode: 'sync' | 'custom';
  /** ms after midnight of each day */
  refreshAtMs: number;
  timeoutMs: number;
  instance: {
    rules: string;
    /** the MX rule file served at `mxUrl` ('default' or an absolute path), or null */
    mxRules: string | null;
    version: string;
    outages: { from: number; to: number; reply: 'timeout' | 'invalid' | number }[];
  } | null;
}
