/**
 * A case-insensitive Aho-Corasick automaton compiled to a dense DFA over the alphabet of the
 * patterns' characters (every other character maps to symbol 0). One pass over a text reports every
 * pattern occurrence with two typed-array reads per character and no allocation.
 */

/** A compiled multi-pattern matcher; each pattern carries the integer tags it reports. */
export class AhoCorasick {
  private readonly symbolOf: Uint16Array;
  private readonly width: number;
  private readonly delta: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outTags: Int32Array;
  /** number of DFA states */
  readonly states: number;

  /** `patterns[i]` reports every tag of `tags[i]`; patterns are matched case-insensitively. */
  constructor(patterns: readonly string[], tags: readonly (readonly number[])[]) {
    const lower = patterns.map((p) => p.toLowerCase());
    // alphabet: symbol ids for characters used by the patterns, shared by upper and lower case
    const symbolOfLower = new Map<number, number>();
    for (const p of lower)
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        if (!symbolOfLower.has(c)) symbolOfLower.set(c, symbolOfLower.size + 1);
      }
    this.symbolOf = new Uint16Array(65536);
    for (let c = 0; c < 65536; c++) {
      const s = symbolOfLower.get(c);
      if (s !== undefined) this.symbolOf[c] = s;
      else {
        const l = String.fromCharCode(c).toLowerCase();
        if (l.length === 1 && l.charCodeAt(0) !== c)
          this.symbolOf[c] = symbolOfLower.get(l.charCodeAt(0)) ?? 0;
      }
    }
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
        const sym = symbolOfLower.get(p.charCodeAt(i))!;
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
    this.delta = delta.slice(0, n * width);
    this.outStart = new Int32Array(n + 1);
    let total = 0;
    for (let s = 0; s < n; s++) {
      this.outStart[s] = total;
      total += outs[s]!.length;
    }
    this.outStart[n] = total;
    this.outTags = new Int32Array(total);
    for (let s = 0; s < n; s++) this.outTags.set(outs[s]!, this.outStart[s]!);
  }

  /**
   * Scans `text` and calls nothing: writes each distinct tag found into `found` (from index 0) and
   * returns how many. `seen`/`stamp` deduplicate tags without clearing: `seen[tag] === stamp` means found.
   */
  scan(text: string, found: Int32Array, seen: Uint32Array, stamp: number): number {
    const { symbolOf, delta, width, outStart, outTags } = this;
    let s = 0;
    let k = 0;
    for (let i = 0; i < text.length; i++) {
      s = delta[s * width + symbolOf[text.charCodeAt(i)]!]!;
      const a = outStart[s]!;
      const b = outStart[s + 1]!;
      for (let j = a; j < b; j++) {
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
