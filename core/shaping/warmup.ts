/**
 * IP warm-up curves by IP age (SPEC §7.2) as data. A curve applies to recipient domains matching its
 * masks and is a list of steps from a day number (day 1 = the IP's first day of sending): each step
 * has a rate (`10000/h`, `50000/d`), optionally growing by `increasePerDay` each day of the step; a
 * step without a rate ends the warm-up (no warm-up limit from that day on).
 */
import { z } from 'zod';
import { maskToRegExp } from './mask.ts';
import { type Rate, rateSchema } from './rate.ts';

export interface WarmupStep {
  fromDay: number;
  rate: Rate | null;
  increasePerDay: number;
}

export interface WarmupCurve {
  name: string;
  domains: RegExp[];
  steps: readonly WarmupStep[];
}

export interface WarmupCurves {
  curves: readonly WarmupCurve[];
}

/** zod schema of a warm-up file. */
export const warmupSchema = z.strictObject({
  version: z.literal(1),
  curves: z.array(
    z.strictObject({
      name: z.string().min(1),
      domains: z.array(z.string().min(1)).min(1),
      steps: z
        .array(
          z
            .strictObject({
              fromDay: z.number().int().positive(),
              rate: rateSchema.optional(),
              increasePerDay: z.number().int().nonnegative().default(0),
            })
            .refine((s) => s.rate !== undefined || s.increasePerDay === 0, {
              message: 'increasePerDay needs a rate',
              path: ['increasePerDay'],
            }),
        )
        .min(1)
        .superRefine((steps, ctx) => {
          if (steps[0]!.fromDay !== 1)
            ctx.addIssue({
              code: 'custom',
              path: [0, 'fromDay'],
              message: 'the first step must start on day 1',
            });
          for (let i = 1; i < steps.length; i++) {
            if (steps[i]!.fromDay <= steps[i - 1]!.fromDay)
              ctx.addIssue({
                code: 'custom',
                path: [i, 'fromDay'],
                message: `days must increase (step ${i + 1} starts on day ${steps[i]!.fromDay}, not after day ${steps[i - 1]!.fromDay})`,
              });
          }
        }),
    }),
  ),
});

/** The curves a validated warm-up file describes (node/shaping.ts reads it from disk). */
export function resolveWarmup(file: z.output<typeof warmupSchema>): WarmupCurves {
  return {
    curves: file.curves.map((c) => ({
      name: c.name,
      domains: c.domains.map(maskToRegExp),
      steps: c.steps.map((s) => ({
        fromDay: s.fromDay,
        rate: s.rate ?? null,
        increasePerDay: s.increasePerDay,
      })),
    })),
  };
}

/** Index of the first curve for `domain`, or -1. */
export function findWarmupCurve(w: WarmupCurves, domain: string): number {
  for (let i = 0; i < w.curves.length; i++) if (w.curves[i]!.domains.some((re) => re.test(domain))) return i;
  return -1;
}

/** The warm-up rate of `curve` on day `day` (1-based), or null when the IP is warmed up. */
export function warmupRate(curve: WarmupCurve, day: number): Rate | null {
  let step: WarmupStep | null = null;
  for (const s of curve.steps) if (s.fromDay <= day) step = s;
  if (!step?.rate) return null;
  return {
    count: step.rate.count + step.increasePerDay * (day - step.fromDay),
    periodMs: step.rate.periodMs,
  };
}

/** Day number (1-based) of an IP that had `ageDays` days of sending at run start, at run time t (ms). */
export function ipDay(ageDays: number, t: number): number {
  return ageDays + Math.floor(t / 86_400_000) + 1;
}
