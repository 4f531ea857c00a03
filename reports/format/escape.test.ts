import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { csvField, escapeHtml, escapeMarkdownCell } from './escape.ts';

describe('escaping', () => {
  it('escapes hostile HTML', () => {
    expect(escapeHtml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`"a" & 'b'`)).toBe('&quot;a&quot; &amp; &#39;b&#39;');
    expect(escapeHtml(null)).toBe('');
  });
  it('keeps markdown cells on one line without pipes', () => {
    expect(escapeMarkdownCell('a|b\nc')).toBe('a\\|b c');
    expect(escapeMarkdownCell('x'.repeat(200), 10)).toHaveLength(10);
  });
  it('quotes CSV fields and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-3)).toBe('-3');
  });
  test.prop([fc.string()])('escaped HTML has no raw markup characters', (s) => {
    expect(escapeHtml(s)).not.toMatch(/[<>"']/);
  });
  test.prop([fc.string()])('escaped markdown cells have no raw pipe or line break', (s) => {
    expect(escapeMarkdownCell(s, 1000)).not.toMatch(/(^|[^\\])\||[\r\n<>]/);
  });
});
