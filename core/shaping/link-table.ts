/**
 * The shaper's links: a link is (local IP, MX IP), the unit that goes down after consecutive
 * connection errors. Per link id: the error count, until when it is down, and its two IP ids.
 */
import { growF64, growI32 } from '../grow.ts';

export class LinkTable {
  private readonly ids = new Map<string, number>();
  /** consecutive connection errors */
  err = new Int32Array(16);
  /** down until (ms; 0 = up) */
  downUntil = new Float64Array(16);
  /** local IP id (the shaper's interner of local IPs) */
  ip = new Int32Array(16);
  /** MX IP id */
  mx = new Int32Array(16);
  size = 0;

  /** Dense id of the link (ipId, mxId), created on first use. */
  idOf(ipId: number, mxId: number): number {
    const key = `${ipId}|${mxId}`;
    let l = this.ids.get(key);
    if (l === undefined) {
      l = this.size++;
      this.err = growI32(this.err, l + 1);
      this.downUntil = growF64(this.downUntil, l + 1);
      this.ip = growI32(this.ip, l + 1);
      this.mx = growI32(this.mx, l + 1);
      this.ip[l] = ipId;
      this.mx[l] = mxId;
      this.ids.set(key, l);
    }
    return l;
  }
}
