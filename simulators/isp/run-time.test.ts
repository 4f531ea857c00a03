import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DAY, parseDayTime as engineParseDayTime, HOUR } from '../../engine/index.ts';
import { parseDayTime } from './run-time.ts';

/** The engine's answer as a number or null (it throws where the profiles' parser returns null). */
function engineOrNull(text: string): number | null {
  try {
    return engineParseDayTime(text);
  } catch {
    return null;
  }
}

const dayTimeLike = fc
  .tuple(
    fc.constantFrom('day', 'Day', 'dy', ''),
    fc.integer({ min: 0, max: 400 }),
    fc.constantFrom('', ' '),
    fc.integer({ min: 0, max: 30 }),
    fc.integer({ min: 0, max: 70 }),
    fc.option(fc.integer({ min: 0, max: 70 })),
    fc.option(fc.integer({ min: 0, max: 999 })),
  )
  .map(([word, d, sp, h, m, s, ms]) => {
    let text = `${word}${d}`;
    if (sp === '') return text;
    text += ` ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    if (s !== null) text += `:${String(s).padStart(2, '0')}`;
    if (s !== null && ms !== null) text += `.${String(ms).padStart(3, '0')}`;
    return text;
  });

describe('profiles parse run times with the engine’s one grammar (issue #23 item 3)', () => {
  test.prop([fc.oneof(dayTimeLike, fc.string())])(
    'same answer as engine/time.ts, null where it throws',
    (text) => {
      expect(parseDayTime(text)).toBe(engineOrNull(text));
    },
  );

  it('reads the forms the engine reads', () => {
    expect(parseDayTime('day2')).toBe(DAY);
    expect(parseDayTime('day1 07:00:00.250')).toBe(7 * HOUR + 250);
    expect(parseDayTime('day0 07:00')).toBeNull();
  });
});
