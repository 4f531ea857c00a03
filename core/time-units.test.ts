import { describe, expect, it } from 'vitest';
import * as engine from '../engine/time.ts';
import { DAY, HOUR, MINUTE } from './types.ts';

describe('time units: core/types.ts and engine/time.ts declare the same values', () => {
  it('minute, hour and day are equal in both layers (neither may import the other)', () => {
    expect([MINUTE, HOUR, DAY]).toEqual([engine.MINUTE, engine.HOUR, engine.DAY]);
    expect([MINUTE, HOUR, DAY]).toEqual([60 * engine.SECOND, 3_600 * engine.SECOND, 86_400 * engine.SECOND]);
  });
});
