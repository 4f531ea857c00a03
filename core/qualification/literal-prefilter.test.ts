import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { requiredLiterals } from './literal-prefilter.ts';

describe('requiredLiterals', () => {
  it('finds one literal per alternative, or null', () => {
    expect(requiredLiterals('user (is )?unknown')).toEqual(['unknown']);
    expect(requiredLiterals('over ?quota|mailbox full')).toEqual(['quota', 'mailbox full']);
    expect(requiredLiterals('\\[TSS?0\\d\\]')).toEqual(['[ts']);
    expect(requiredLiterals('a|bcd')).toBeNull();
    expect(requiredLiterals('(no such|unknown) (user|mailbox)')).toEqual(['no such', 'unknown']);
    expect(requiredLiterals('x(?:ab|cd)?y')).toBeNull();
    expect(requiredLiterals('\\d+')).toBeNull();
  });

  it('keeps non-ASCII characters a regex folds as the automaton does, and no others', () => {
    expect(requiredLiterals('用户不存在|ユーザーが存在しません')).toEqual([
      '用户不存在',
      'ユーザーが存在しません',
    ]);
    expect(requiredLiterals('boîte pleine')).toEqual(['boîte pleine']);
    // /о/i also matches U+1C82 (Cyrillic small narrow o), which lower-cases to itself: not a literal char
    expect(requiredLiterals('пользователь')).toEqual(['льз']);
    // /σ/i matches ς, which lower-cases to itself
    expect(requiredLiterals('σς')).toBeNull();
  });

  const piece = fc.oneof(
    fc.stringMatching(/^[a-z ]{1,6}$/),
    fc.constantFrom(
      '\\d',
      '\\s+',
      '.',
      '(is )?',
      '[abc]',
      'x?',
      'y*',
      'z+',
      '(a|bb)',
      '\\.',
      'q{1,2}',
      '\\b',
      '(xyz|qq)',
      '(?:ab|zz)+',
      '(?!ab)',
      '(ab|c)*',
      '(?<n>yy|xx)',
    ),
  );
  const regexArb = fc
    .array(
      fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join('')),
      { minLength: 1, maxLength: 3 },
    )
    .map((alts) => alts.join('|'));

  test.prop([
    regexArb,
    fc.string({
      unit: fc.constantFrom('a', 'b', 'c', 'x', 'y', 'z', 'q', 'i', 's', ' ', '1', '.'),
      maxLength: 30,
    }),
  ])('every text the regex matches contains one of the literals', (src, text) => {
    const lits = requiredLiterals(src);
    let re: RegExp;
    try {
      re = new RegExp(src, 'i');
    } catch {
      return; // e.g. a group name used twice: a rule file with it would not load
    }
    if (lits && re.test(text)) expect(lits.some((l) => text.toLowerCase().includes(l))).toBe(true);
  });
});
