/**
 * A bounded memo of {@link normalizeText} that shares one entry between texts differing only in the
 * email address they quote (`550 5.1.1 <jane.doe.3kf9@example.com>: user unknown` for every
 * recipient). The key is the text with each address token replaced by a placeholder; the value is
 * the normalised text, which is the same for every address (the normaliser turns any address into
 * `*`). A token is only replaced when that equality is certain:
 *
 * - it is a maximal run of printable ASCII characters other than `\s<>()[]{},;:"'@` holding exactly
 *   one `@` with characters on both sides, bounded by the string ends, ASCII whitespace or one of
 *   `<>()[]{},;:"'` (so the address rules of the normaliser see the same structure, whatever the
 *   address: they only distinguish those character classes, and their runs are unbounded);
 * - it starts at index 5 or later, after its bounding character: the leading reply code and
 *   enhanced code (`550 5.1.1`, digits and dots only) are then read from characters before it;
 * - the text is at most {@link MAX_NORMALIZE_LENGTH} long and holds no `\u0001` (the placeholder).
 *
 * Any other text is its own key. Two generations (LRU approximation, O(1) eviction).
 */
import { MAX_NORMALIZE_LENGTH, normalizeText } from './normalize-text.ts';

const PLACEHOLDER = '\u0001';
/**
 * First index an address token may start at. The reply-code head (`[2-5]\d\d[ -]` then an optional
 * enhanced code of digits and dots and a word boundary) stops at the token's bounding character when
 * that character is at index 4 or later, so it never reads the token.
 */
const MIN_TOKEN_START = 5;

/** token characters: printable ASCII but whitespace and `<>()[]{},;:"'@` */
const TOKEN = new Uint8Array(128);
/** characters that may bound a token (ends of the string too) */
const BOUND = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) TOKEN[c] = 1;
for (const ch of '<>()[]{},;:"\'@') TOKEN[ch.charCodeAt(0)] = 0;
for (const ch of ' \t\n\v\f\r<>()[]{},;:"\'') BOUND[ch.charCodeAt(0)] = 1;

function isToken(c: number): boolean {
  return c < 128 && TOKEN[c] === 1;
}

function isBound(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return true;
  const c = s.charCodeAt(i);
  return c < 128 && BOUND[c] === 1;
}

/**
 * The cache key of a text: address tokens (see the file comment) replaced by `\u0001`, or the text
 * itself when it has none.
 */
export function addressTemplate(text: string): string {
  let at = text.indexOf('@');
  if (at < 0 || text.length > MAX_NORMALIZE_LENGTH || text.includes(PLACEHOLDER)) return text;
  let out = '';
  let copied = 0;
  while (at >= 0) {
    let start = at;
    while (start > 0 && isToken(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && isToken(text.charCodeAt(end))) end++;
    if (
      start >= MIN_TOKEN_START &&
      start < at &&
      end > at + 1 &&
      isBound(text, start - 1) &&
      isBound(text, end)
    ) {
      out += text.slice(copied, start) + PLACEHOLDER;
      copied = end;
    }
    at = text.indexOf('@', end);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** See the file comment. */
export class NormalizeCache {
  private young = new Map<string, string>();
  private old = new Map<string, string>();
  private readonly half: number;

  /** @param size distinct keys kept (about); 0 turns the cache off */
  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 0))
      throw new RangeError(`normalize cache: size: expected an integer >= 0, got ${size}`);
    this.half = Math.max(1, Math.ceil(size / 2));
  }

  /** `normalizeText(text)`, from the cache when a text of the same template was normalised recently. */
  normalize(text: string): string {
    if (this.size === 0) return normalizeText(text);
    const key = addressTemplate(text);
    let v = this.young.get(key);
    if (v !== undefined) return v;
    v = this.old.get(key) ?? normalizeText(text);
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, v);
    return v;
  }
}
