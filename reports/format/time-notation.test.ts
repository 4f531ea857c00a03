import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '../../core/types.ts';
import { formatDurationShort, formatTimeNotation, parseTimeNotation } from './time-notation.ts';

describe('time notation', () => {
  it('parses day1 00:00 as 0 and day2 07:30 as one day and 7.5 hours', () => {
    expect(parseTimeNotation('day1 00:00')).toBe(0);
    expect(parseTimeNotation('day2 07:30')).toBe(DAY + 7.5 * 3_600_000);
    expect(parseTimeNotation(' Day3 13:00:15 ')).toBe(2 * DAY + 13 * 3_600_000 + 15_000);
    expect(parseTimeNotation('12345')).toBe(12345);
  });
  it('rejects bad input with the input named', () => {
    for (const bad of ['day0 01:00', 'day1 24:00', 'day1 10:60', 'tomorrow', 'day1 7h']) {
      expect(() => parseTimeNotation(bad)).toThrow(/MXLAB_TIME/);
      expect(() => parseTimeNotation(bad)).toThrow(bad);
    }
  });
  it('formats durations', () => {
    expect(formatDurationShort(45_000)).toBe('45s');
    expect(formatDurationShort(12 * MINUTE)).toBe('12m');
    expect(formatDurationShort(3 * 3_600_000 + 5 * MINUTE)).toBe('3h05m');
    expect(formatDurationShort(2 * DAY + 4 * 3_600_000)).toBe('2d04h');
  });
  test.prop([fc.integer({ min: 0, max: 400 * DAY })])('format then parse gives the minute floor', (ms) => {
    expect(parseTimeNotation(formatTimeNotation(ms))).toBe(ms - (ms % MINUTE));
  });
});
