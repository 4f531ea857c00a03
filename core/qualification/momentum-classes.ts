/**
 * Momentum (Enhanced MTA) bounce classes (SPEC §6.2) and their mapping to Campaign types, reasons
 * and address impact (SPEC §6.2, §11). Data: `rules/momentum-classes.yaml`, which a user may replace.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { loadDataFile } from '../data-file.ts';
import type { FailureType, Impact } from '../types.ts';
import { RULES_DIR } from './load-rules.ts';

/** The shipped class map. */
export const MOMENTUM_CLASSES_FILE = join(RULES_DIR, 'momentum-classes.yaml');

const classSchema = z.strictObject({
  class: z.number().int().min(1).max(999),
  name: z.string().min(1),
  category: z.enum(['undetermined', 'hard', 'soft', 'admin', 'block']),
  type: z.enum(['hard', 'soft', 'ignored', 'undefined']),
  reason: z.number().int().min(0).max(255),
  impact: z.enum(['quarantine', 'count', 'none', 'denylist']).optional(),
});
const classFileSchema = z.strictObject({
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

/** Loads a class map file; errors name file, line and `classes[i].field`. */
export function loadMomentumClasses(file: string = MOMENTUM_CLASSES_FILE): MomentumClassMap {
  const data = loadDataFile(file, classFileSchema);
  return new Map(data.classes.map((c) => [c.class, c]));
}

let shipped: MomentumClassMap | null = null;
/** The shipped class map, loaded once. */
export function defaultMomentumClasses(): MomentumClassMap {
  shipped ??= loadMomentumClasses();
  return shipped;
}

/** The rule name Campaign shows for a class: `Momen_Code10_InvalidRecipient`. */
export function momentumRuleName(c: Pick<MomentumClass, 'class' | 'name'>): string {
  return `Momen_Code${c.class}_${c.name.replace(/[^A-Za-z0-9]+/g, '')}`;
}
