/** A growable FIFO of integers (message ids) on an Int32Array ring: no object per entry. */
export class IntQueue {
  private buf: Int32Array;
  private head = 0;
  private n = 0;

  constructor(capacity = 16) {
    this.buf = new Int32Array(Math.max(4, capacity));
  }

  get size(): number {
    return this.n;
  }

  push(v: number): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) % this.buf.length] = v;
    this.n++;
  }

  /** Puts `v` back at the front (a message re-routed after a connection failure keeps its turn). */
  unshift(v: number): void {
    if (this.n === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = v;
    this.n++;
  }

  /** Removes and returns the first entry; -1 when empty. */
  shift(): number {
    if (this.n === 0) return -1;
    const v = this.buf[this.head]!;
    this.head = (this.head + 1) % this.buf.length;
    this.n--;
    return v;
  }

  private grow(): void {
    const next = new Int32Array(this.buf.length * 2);
    for (let i = 0; i < this.n; i++) next[i] = this.buf[(this.head + i) % this.buf.length]!;
    this.buf = next;
    this.head = 0;
  }
}
