/** A growable bitset over dense integer ids: 10 million ids cost 1.25 MB. */
export class GrowableBitset {
  private words: Uint32Array;
  constructor(initialBits = 1024) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(initialBits / 32)));
  }

  /** True when `i` is set. */
  has(i: number): boolean {
    const w = i >>> 5;
    return w < this.words.length && (this.words[w]! & (1 << (i & 31))) !== 0;
  }

  /** Sets `i`; returns true if it was already set. */
  testAndSet(i: number): boolean {
    const w = i >>> 5;
    if (w >= this.words.length) {
      const next = new Uint32Array(Math.max(w + 1, this.words.length * 2));
      next.set(this.words);
      this.words = next;
    }
    const bit = 1 << (i & 31);
    const was = (this.words[w]! & bit) !== 0;
    this.words[w]! |= bit;
    return was;
  }

  /** Clears every bit. */
  clear(): void {
    this.words.fill(0);
  }
}
