/**
 * The `actions:` timeline of a scenario: what an operator does at a time of the run (issue #24).
 * Each entry is `at` plus a `kind` and that kind's fields; unknown fields are errors. The runner
 * (`runner/run-actions.ts`) applies them in virtual time and logs each in the run store's
 * `actions` table.
 */
import { z } from 'zod';
import { positiveDurationSchema } from '../core/duration.ts';
import { timeInputSchema } from './field-schemas.ts';

const time = timeInputSchema;
const duration = positiveDurationSchema;
const domain = z.string().regex(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'a domain like yahoo.com');

/** The kinds of action, with what each does. */
export const ACTION_KINDS = {
  stopDelivery:
    'stop a delivery: legacy MTA, its pending messages become Delivery cancelled; a delivery handed to the Enhanced MTA cannot be stopped (seed 003)',
  addSuspension: 'suspend a domain for a duration (every path of it)',
  cancelSuspension:
    'lift the suspensions in force (of one domain, or all); held messages go back to their normal backoff',
  setRules: 'replace the inbound email rules (a file or directory, or default)',
  reviewEntry: 'set the status (and optionally type and reason) of a qualification-table entry',
  deliverabilityUpdate:
    'the "deliverability update" workflow: Keep entries of the qualification table the rules do not already qualify so become rules (seed 000)',
  startWindow: "start one of the scenario's ISP windows (isps.windows, by profile and name) now",
  endWindow: "end one of the scenario's ISP windows (isps.windows, by profile and name) now",
  setMode:
    'switch the MTA mode: deliveries that start from now on follow it; to enhanced, running deliveries are handed over too; back to legacy, those handed over stay there (seed 003)',
  runCleanup: 'run the database cleanup now',
  skipCleanup: 'skip the next scheduled cleanup run',
} as const;

export type ActionKind = keyof typeof ACTION_KINDS;

const entry = <K extends ActionKind, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.strictObject({
    at: time.describe('when: dayN HH:MM, or ms since the run start'),
    kind: z.literal(kind).describe(ACTION_KINDS[kind]),
    ...shape,
  });

/** One action as written. */
export const actionInputSchema = z.discriminatedUnion('kind', [
  entry('stopDelivery', {
    delivery: z.string().min(1).describe('a delivery name (a series: name, every send, or name#k)'),
  }),
  entry('addSuspension', {
    domain: domain.describe('the domain to suspend'),
    duration: duration.describe('how long, e.g. "6h"'),
    text: z.string().optional().describe('the reason logged with the suspension'),
  }),
  entry('cancelSuspension', { domain: domain.optional().describe('the domain (default: every domain)') }),
  entry('setRules', {
    inbound: z.string().min(1).describe('the new inbound rules: a rule file or directory, or default'),
  }),
  entry('reviewEntry', {
    text: z.string().min(1).describe('a remote error text (normalised like the table does)'),
    status: z.enum(['toQualify', 'keep', 'ignore']).describe('the new status of the entry'),
    type: z.enum(['hard', 'soft', 'ignored']).optional().describe('the new error type'),
    reason: z.number().int().min(0).max(255).optional().describe('the new failure reason (SPEC §2)'),
    occurrences: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('set the occurrence count, e.g. 0 to reset it (seed 000)'),
  }),
  entry('deliverabilityUpdate', {}),
  entry('startWindow', {
    profile: z.string().min(1).describe('the ISP profile the window belongs to'),
    window: z.string().min(1).describe("the window's name in isps.windows"),
  }),
  entry('endWindow', {
    profile: z.string().min(1).describe('the ISP profile the window belongs to'),
    window: z.string().min(1).describe("the window's name in isps.windows"),
  }),
  entry('setMode', { mode: z.enum(['legacy', 'enhanced']).describe('the MTA mode from now on') }),
  entry('runCleanup', {}),
  entry('skipCleanup', {}),
]);

export type ActionInput = z.output<typeof actionInputSchema>;

/** An action resolved: `at` in ms since the run start, `setRules.inbound` an absolute path or `default`. */
export type ScenarioAction = ActionInput extends infer A
  ? A extends unknown
    ? Omit<A, 'at'> & { at: number }
    : never
  : never;
