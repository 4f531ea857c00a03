/**
 * A case-insensitive Aho-Corasick automaton compiled to a dense DFA over the alphabet of the
 * patterns' characters (every other character maps to symbol 0). One pass over a text reports every
 * pattern occurrence with two typed-array reads per character and no allocation.
 *
 * ASCII characters are symbols of their own; non-ASCII characters (after lower-casing) share
 * {@link NON_ASCII_CLASSES} symbols by code modulo, so phrases in other scripts do not widen every
 * row of the table. A pattern that is all ASCII is reported exactly; one with a non-ASCII character
 * is reported whenever it occurs, and sometimes when a text has other characters of the same classes
 * in its place: the caller verifies those.
 */

/** Symbols shared by the non-ASCII characters of the patterns. */
export const NON_ASCII_CLASSES = 16;

/** The alphabet key of a lower-case UTF-16 unit: itself when ASCII, else its class (negative). */
function keyOf(c: number): number {
  return c < 0x80 ? c : -1 - (c % NON_ASCII_CLASSES);
}

let LOWER: Uint16Array | undefined;

/**
 * The lower case of every UTF-16 unit, itself when lower-casing gives more than one unit (`İ`):
 * built once per process. Lower-casing 4,096 units at a time gives the same table as one
 * `String.fromCharCode(c).toLowerCase()` per unit (checked in aho-corasick.test.ts) in a tenth of
 * the time (10 vs 86 ms here), which `mxlab qualify`'s start-up feels; a block whose lower case
 * changes length is done unit by unit.
 */
export function lowerCaseTable(): Uint16Array {
  if (LOWER) return LOWER;
  const t = new Uint16Array(65536);
  const BLOCK = 4096;
  const codes = new Array<number>(BLOCK);
  for (let base = 0; base < 65536; base += BLOCK) {
    for (let i = 0; i < BLOCK; i++) codes[i] = base + i;
    const low = String.fromCharCode(...codes).toLowerCase();
    if (low.length === BLOCK) for (let i = 0; i < BLOCK; i++) t[base + i] = low.charCodeAt(i);
    else for (let c = base; c < base + BLOCK; c++) t[c] = lowerOfUnit(c);
  }
  LOWER = t;
  return t;
}

/** The lower case of one UTF-16 unit, itself when it lower-cases to more than one unit. */
export function lowerOfUnit(c: number): number {
  const l = String.fromCharCode(c).toLowerCase();
  return l.length === 1 ? l.charCodeAt(0) : c;
}

/** True when a pattern is reported exactly (all ASCII after lower-casing). */
export function exactPattern(pattern: string): boolean {
  const l = pattern.toLowerCase();
  for (let i = 0; i < l.length; i++) if (l.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** A compiled multi-pattern matcher; each pattern carries the integer tags it reports. */
export class AhoCorasick {
  private readonly symbolOf: Uint16Array;
  private readonly width: number;
  private readonly delta: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outTags: Int32Array;
  /** row offset (state * width) of the start state */
  private readonly start: number;
  /** row offsets from this one on belong to states that report tags */
  private readonly outBase: number;
  /** number of DFA states */
  readonly states: number;

  /** `patterns[i]` reports every tag of `tags[i]`; patterns are matched case-insensitively. */
  constructor(patterns: readonly string[], tags: readonly (readonly number[])[]) {
    const lower = patterns.map((p) => p.toLowerCase());
    // alphabet: symbol ids for characters used by the patterns, shared by upper and lower case
    const symbolOfLower = new Map<number, number>();
    for (const p of lower)
      for (let i = 0; i < p.length; i++) {
        const k = keyOf(p.charCodeAt(i));
        if (!symbolOfLower.has(k)) symbolOfLower.set(k, symbolOfLower.size + 1);
      }
    const lowerOf = lowerCaseTable();
    this.symbolOf = new Uint16Array(65536);
    for (let c = 0; c < 65536; c++) this.symbolOf[c] = symbolOfLower.get(keyOf(lowerOf[c]!)) ?? 0;
    const width = symbolOfLower.size + 1;
    this.width = width;
    // trie
    let cap = 1;
    for (const p of lower) cap += p.length;
    const delta = new Int32Array(cap * width).fill(-1);
    const outs: number[][] = [[]];
    let n = 1;
    lower.forEach((p, pi) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const sym = symbolOfLower.get(keyOf(p.charCodeAt(i)))!;
        let t = delta[s * width + sym]!;
        if (t < 0) {
          t = n++;
          outs.push([]);
          delta[s * width + sym] = t;
        }
        s = t;
      }
      for (const tag of tags[pi] ?? []) outs[s]!.push(tag);
    });
    // breadth-first: failure links folded into a complete transition table
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let a = 0; a < width; a++) {
      const t = delta[a]!;
      if (t < 0) delta[a] = 0;
      else {
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      if (outs[f]!.length) outs[s] = [...new Set([...outs[s]!, ...outs[f]!])];
      for (let a = 0; a < width; a++) {
        const t = delta[s * width + a]!;
        if (t < 0) delta[s * width + a] = delta[f * width + a]!;
        else {
          fail[t] = delta[f * width + a]!;
          queue.push(t);
        }
      }
    }
    this.states = n;
    // renumber: states without output first, so the scan tests one bound per character; the table
    // holds row offsets (state * width), so a step is one add and two reads
    const order: number[] = [];
    for (let st = 0; st < n; st++) if (outs[st]!.length === 0) order.push(st);
    const firstOut = order.length;
    for (let st = 0; st < n; st++) if (outs[st]!.length > 0) order.push(st);
    const newId = new Int32Array(n);
    order.forEach((old, i) => {
      newId[old] = i;
    });
    this.delta = new Int32Array(n * width);
    for (let st = 0; st < n; st++) {
      const row = newId[st]! * width;
      for (let a = 0; a < width; a++) this.delta[row + a] = newId[delta[st * width + a]!]! * width;
    }
    this.start = newId[0]! * width;
    this.outBase = firstOut * width;
    const outCount = n - firstOut;
    this.outStart = new Int32Array(outCount + 1);
    let total = 0;
    for (let i = 0; i < outCount; i++) {
      this.outStart[i] = total;
      total += outs[order[firstOut + i]!]!.length;
    }
    this.outStart[outCount] = total;
    this.outTags = new Int32Array(total);
    for (let i = 0; i < outCount; i++) this.outTags.set(outs[order[firstOut + i]!]!, this.outStart[i]!);
  }

  /**
   * Scans `text` and calls nothing: writes each distinct tag found into `found` (from index 0) and
   * returns how many. `seen`/`stamp` deduplicate tags without clearing: `seen[tag] === stamp` means found.
   */
  scan(text: string, found: Int32Array, seen: Uint32Array, stamp: number): number {
    const { symbolOf, delta, width, outStart, outTags, outBase } = this;
    let s = this.start;
    let k = 0;
    for (let i = 0; i < text.length; i++) {
      s = delta[s + symbolOf[text.charCodeAt(i)]!]!;
      if (s < outBase) continue;
      const o = (s - outBase) / width;
      const b = outStart[o + 1]!;
      for (let j = outStart[o]!; j < b; j++) {
        const tag = outTags[j]!;
        if (seen[tag] !== stamp) {
          seen[tag] = stamp;
          found[k++] = tag;
        }
      }
    }
    return k;
  }
}
