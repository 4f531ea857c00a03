/**
 * Momentum (Enhanced MTA) bounce classes (SPEC §6.2) and their mapping to Campaign types, reasons
 * and address impact (SPEC §6.2, §11). Data: `rules/momentum-classes.yaml`, which a user may replace
 * (node/momentum-classes.ts reads it).
 */
import { z } from 'zod';
import type { FailureType, Impact } from '../types.ts';

const classSchema = z.strictObject({
  class: z.number().int().min(1).max(999),
  name: z.string().min(1),
  category: z.enum(['undetermined', 'hard', 'soft', 'admin', 'block']),
  type: z.enum(['hard', 'soft', 'ignored', 'undefined']),
  reason: z.number().int().min(0).max(255),
  impact: z.enum(['quarantine', 'count', 'none', 'denylist']).optional(),
});
/** zod schema of a class map file. */
export const momentumClassFileSchema = z.strictObject({
  description: z.string().optional(),
  classes: z
    .array(classSchema)
    .min(1)
    .superRefine((cs, ctx) => {
      const seen = new Set<number>();
      cs.forEach((c, i) => {
        if (seen.has(c.class))
          ctx.addIssue({ code: 'custom', path: [i, 'class'], message: `class ${c.class} listed twice` });
        seen.add(c.class);
        if (c.type === 'ignored' && c.impact !== undefined && c.impact !== 'none')
          ctx.addIssue({
            code: 'custom',
            path: [i, 'impact'],
            message: `an Ignored error never counts or quarantines (SPEC §5): impact must be none, not ${c.impact}`,
          });
      });
    }),
});

/** One bounce class and where it lands in Campaign. */
export interface MomentumClass {
  class: number;
  name: string;
  category: 'undetermined' | 'hard' | 'soft' | 'admin' | 'block';
  type: FailureType;
  reason: number;
  impact?: Exclude<Impact, 'ok'>;
}

/** class number → definition */
export type MomentumClassMap = ReadonlyMap<number, MomentumClass>;

/** The class map a validated class map file describes. */
export function momentumClassMap(file: z.output<typeof momentumClassFileSchema>): MomentumClassMap {
  return new Map(file.classes.map((c) => [c.class, c]));
}

/** The rule name Campaign shows for a class: `Momen_Code10_InvalidRecipient`. */
export function momentumRuleName(c: Pick<MomentumClass, 'class' | 'name'>): string {
  return `Momen_Code${c.class}_${c.name.replace(/[^A-Za-z0-9]+/g, '')}`;
}
