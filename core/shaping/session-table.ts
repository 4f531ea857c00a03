/**
 * The shaper's sessions (open connections): per session id, its path, the messages sent on it, its
 * budget of messages per connection and whether it is open. Ids of closed sessions are reused.
 */
import { growI32 } from '../grow.ts';

export class SessionTable {
  private path = new Int32Array(16);
  private sent = new Int32Array(16);
  private budget = new Int32Array(16);
  private alive = new Uint8Array(16);
  private free = new Int32Array(16);
  private nFree = 0;
  private size = 0;

  /** Opens a session on `pathId` that may carry `budget` messages; returns its id. */
  open(pathId: number, budget: number): number {
    let s: number;
    if (this.nFree > 0) s = this.free[--this.nFree];
    else {
      s = this.size++;
      const n = s + 1;
      this.path = growI32(this.path, n);
      this.sent = growI32(this.sent, n);
      this.budget = growI32(this.budget, n);
      if (n > this.alive.length) {
        const a = new Uint8Array(this.alive.length * 2);
        a.set(this.alive);
        this.alive = a;
      }
    }
    this.path[s] = pathId;
    this.sent[s] = 0;
    this.budget[s] = budget;
    this.alive[s] = 1;
    return s;
  }

  /** Counts one message sent in `session`; false when it is not open or its budget was spent. */
  send(session: number): boolean {
    const ok = this.alive[session] === 1 && this.sent[session] < this.budget[session];
    this.sent[session]++;
    return ok;
  }

  /** Messages `session` may still carry before it must reconnect. */
  remaining(session: number): number {
    return this.alive[session] ? Math.max(0, this.budget[session] - this.sent[session]) : 0;
  }

  /** Closes `session`; returns its path id, or -1 when it was not open. */
  close(session: number): number {
    if (session < 0 || session >= this.size || !this.alive[session]) return -1;
    this.alive[session] = 0;
    if (this.nFree >= this.free.length) this.free = growI32(this.free, this.nFree + 1);
    this.free[this.nFree++] = session;
    return this.path[session];
  }
}
