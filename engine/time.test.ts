import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError } from './errors.ts';
import {
  Calendar,
  DAY,
  days,
  formatDayTime,
  HOUR,
  hours,
  MINUTE,
  minutes,
  parseDayTime,
  seconds,
} from './time.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof EngineError ? e.code : 'not an EngineError';
  }
  return undefined;
}

describe('time helpers', () => {
  it('convert to integer milliseconds', () => {
    expect(hours(1)).toBe(3_600_000);
    expect(days(2)).toBe(172_800_000);
    expect(minutes(1.5)).toBe(90_000);
    expect(seconds(0.0004)).toBe(0);
    expect(hours(1 / 3)).toBe(1_200_000);
  });

  it('parse dayN HH:MM relative to day1 00:00', () => {
    expect(parseDayTime('day1 00:00')).toBe(0);
    expect(parseDayTime('day2 07:00')).toBe(DAY + 7 * HOUR);
    expect(parseDayTime('day3')).toBe(2 * DAY);
    expect(parseDayTime(' Day1 9:05 ')).toBe(9 * HOUR + 5 * MINUTE);
    expect(parseDayTime('day1 00:00:01.5')).toBe(1500);
  });

  it('reject bad notation with MXLAB_TIME and the offending text', () => {
    for (const bad of [
      'day0 07:00',
      'day1 24:00',
      'day1 07:60',
      'tomorrow',
      '07:00',
      'day1 7',
      'day-1 01:00',
    ]) {
      expect(codeOf(() => parseDayTime(bad))).toBe('MXLAB_TIME');
    }
    expect(() => parseDayTime('day0 07:00')).toThrow(/"day0 07:00": day numbers start at 1/);
    expect(() => parseDayTime('day1 25:00')).toThrow(/hour 25 is out of range/);
    expect(codeOf(() => formatDayTime(-1))).toBe('MXLAB_TIME');
  });

  it('format dayN HH:MM with seconds only when needed', () => {
    expect(formatDayTime(0)).toBe('day1 00:00');
    expect(formatDayTime(DAY + 7 * HOUR)).toBe('day2 07:00');
    expect(formatDayTime(61_001)).toBe('day1 00:01:01.001');
  });

  test.prop([fc.integer({ min: 0, max: 400 * DAY })])('parseDayTime inverts formatDayTime', (t) => {
    expect(parseDayTime(formatDayTime(t))).toBe(t);
  });
});

const notationArb = fc.oneof(
  fc.string(),
  fc
    .tuple(
      fc.integer({ min: -2, max: 500 }),
      fc.integer({ min: -1, max: 30 }),
      fc.integer({ min: -1, max: 99 }),
    )
    .map(([d, h, m]) => `day${d} ${h}:${String(m).padStart(2, '0')}`),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.stringMatching(/^ ?[0-9.]{0,4}(ms|d|h|m|s|x)?( [0-9]{0,3}[a-z]{0,2})? ?$/),
  fc.stringMatching(/^ ?day[0-9]{0,3} ?$/),
  fc.constant('9'.repeat(40)),
  fc.constant(`${'9'.repeat(40)}d`),
);

test.prop([notationArb])(
  'any text parses to an integer >= 0 or fails with MXLAB_TIME, never anything else',
  (text) => {
    const cal = new Calendar('2020-01-01T00:00:00Z');
    for (const parse of [(t: string) => cal.parse(t), parseDayTime]) {
      let result: number | undefined;
      try {
        result = parse(text);
      } catch (e) {
        expect(e).toBeInstanceOf(EngineError);
        expect((e as EngineError).code).toBe('MXLAB_TIME');
        expect((e as EngineError).message).toContain(JSON.stringify(text));
        continue;
      }
      expect(Number.isSafeInteger(result) && result >= 0).toBe(true);
    }
  },
);

describe('Calendar', () => {
  it('maps ISO date-times to offsets from the start date', () => {
    const cal = new Calendar('2025-03-01T00:00:00Z');
    expect(cal.parse('2025-03-02T07:00:00Z')).toBe(DAY + 7 * HOUR);
    expect(cal.parse('2025-03-02 07:00')).toBe(DAY + 7 * HOUR); // no offset: UTC
    expect(cal.parse('2025-03-02T08:00:00+01:00')).toBe(DAY + 7 * HOUR);
    expect(cal.parse('day2 07:00')).toBe(DAY + 7 * HOUR);
    expect(cal.formatIso(DAY + 7 * HOUR)).toBe('2025-03-02T07:00:00.000Z');
    expect(cal.format(DAY + 7 * HOUR)).toBe('day2 07:00');
  });

  it('refuses ISO without a start date, before the start, and garbage', () => {
    expect(() => new Calendar().parse('2025-03-02T07:00:00Z')).toThrow(/need a start date/);
    expect(() => new Calendar('2025-03-01').parse('2025-02-28T23:00Z')).toThrow(
      /before the start of the run/,
    );
    expect(codeOf(() => new Calendar('2025-03-01').parse('2025-13-45'))).toBe('MXLAB_TIME');
    expect(codeOf(() => new Calendar('yesterday'))).toBe('MXLAB_TIME');
    expect(codeOf(() => new Calendar().formatIso(0))).toBe('MXLAB_TIME');
  });

  test.prop([fc.integer({ min: 0, max: 1000 * DAY })])('parse(formatIso(t)) === t', (t) => {
    const cal = new Calendar(Date.UTC(2024, 1, 29, 6, 30));
    expect(cal.parse(cal.formatIso(t))).toBe(t);
  });
});
