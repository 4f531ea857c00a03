/**
 * The Momentum bounce-class map on disk (`core/qualification/rules/momentum-classes.yaml`, SPEC
 * §6.2), read through node/data-file.ts and resolved by core/qualification.
 */
import { join } from 'node:path';
import {
  type MomentumClassMap,
  momentumClassFileSchema,
  momentumClassMap,
} from '../core/qualification/momentum-classes.ts';
import { loadDataFile } from './data-file.ts';
import { RULES_DIR } from './load-rules.ts';

/** The shipped class map. */
export const MOMENTUM_CLASSES_FILE = join(RULES_DIR, 'momentum-classes.yaml');

/** Loads a class map file; errors name file, line and `classes[i].field`. */
export function loadMomentumClasses(file: string = MOMENTUM_CLASSES_FILE): MomentumClassMap {
  return momentumClassMap(loadDataFile(file, momentumClassFileSchema));
}

let shipped: MomentumClassMap | null = null;
/** The shipped class map, loaded once. */
export function defaultMomentumClasses(): MomentumClassMap {
  shipped ??= loadMomentumClasses();
  return shipped;
}
