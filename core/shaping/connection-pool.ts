/**
 * Open-connection counts per key (an MX-rule bucket or an (IP, domain) pair) against a maximum
 * (SPEC §7.1 "max connections"). Allocation-free; the count never goes negative or above the maximum.
 */
import { growI32 } from '../grow.ts';

export class ConnectionPool {
  private max = new Int32Array(16);
  private open = new Int32Array(16);
  size = 0;

  /** Adds a key with `maxConnections` slots; returns its id. */
  add(maxConnections: number): number {
    const k = this.size++;
    this.max = growI32(this.max, k + 1);
    this.open = growI32(this.open, k + 1);
    this.max[k] = maxConnections;
    return k;
  }

  /** Changes the maximum (open connections above it stay open; no new one opens until below). */
  setMax(key: number, maxConnections: number): void {
    this.max[key] = maxConnections;
  }

  maxOf(key: number): number {
    return this.max[key];
  }

  openCount(key: number): number {
    return this.open[key];
  }

  /** True when one more connection may open. */
  canOpen(key: number): boolean {
    return this.open[key] < this.max[key];
  }

  /** Takes a slot if one is free. */
  tryAcquire(key: number): boolean {
    if (this.open[key] >= this.max[key]) return false;
    this.open[key]++;
    return true;
  }

  /** Frees a slot. Returns false (and changes nothing) when none was held. */
  release(key: number): boolean {
    if (this.open[key] <= 0) return false;
    this.open[key]--;
    return true;
  }
}
