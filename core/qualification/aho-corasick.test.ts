import { describe, expect, it } from 'vitest';
import { AhoCorasick, lowerCaseTable, lowerOfUnit } from './aho-corasick.ts';

describe('lowerCaseTable', () => {
  it('gives, for every UTF-16 unit, the lower case of that unit alone', () => {
    const t = lowerCaseTable();
    const wrong: string[] = [];
    for (let c = 0; c < 65536; c++)
      if (t[c] !== lowerOfUnit(c)) wrong.push(`U+${c.toString(16)}: ${t[c]} vs ${lowerOfUnit(c)}`);
    expect(wrong).toEqual([]);
  });

  it('keeps a unit whose lower case is longer than one unit, and maps Σ to σ (not the final ς)', () => {
    const t = lowerCaseTable();
    expect(t[0x130]).toBe(0x130); // İ lower-cases to i + combining dot
    expect(t[0x3a3]).toBe(0x3c3);
    expect(t['A'.charCodeAt(0)]).toBe('a'.charCodeAt(0));
  });
});

describe('AhoCorasick', () => {
  it('matches case-insensitively in and outside ASCII', () => {
    const ac = new AhoCorasick(['user unknown', 'ПОЧТОВЫЙ ЯЩИК'], [[1], [2]]);
    const found = (text: string): number[] => {
      const out = new Int32Array(4);
      const n = ac.scan(text, out, new Uint32Array(4), 1);
      return [...out.subarray(0, n)];
    };
    expect(found('550 USER UNKNOWN here')).toEqual([1]);
    expect(found('почтовый ящик переполнен')).toEqual([2]);
    expect(found('550 user unkn0wn')).toEqual([]);
  });
});
