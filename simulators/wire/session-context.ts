/**
 * What the wire transport tells the fleet about a session it is about to open (run mode, same
 * process): the recipient domain (to pick the brain), the client's timeouts (a brain latency above
 * a timeout becomes a stall, as in-process) and, filled by the server, the virtual time the brain
 * spent, which becomes the session's duration on the virtual clock. Without a context (serve mode,
 * a stranger such as swaks) the server runs on its own clock and never knows the client's timeouts.
 */
import type { Millis } from '../../core/types.ts';

/** See the file comment. */
export interface SessionContext {
  domain: string;
  timeouts: { connectMs: Millis; commandMs: Millis; dataMs: Millis };
  /** virtual ms the brain's latencies add up to, written by the server */
  virtualMs: Millis;
  /** true once the server took the context (the connection reached the brain) */
  taken: boolean;
}

/** Contexts keyed by (client IP, MX IP): one in-flight session per pair (the transport serializes per brain). */
export class SessionContexts {
  private readonly map = new Map<string, SessionContext>();

  /** Registers the context of the next session from `clientIp` to `mxIp`. */
  put(clientIp: string, mxIp: string, ctx: SessionContext): void {
    this.map.set(`${clientIp}>${mxIp}`, ctx);
  }

  /** Takes (and removes) the context of a session that just connected, or null. */
  take(clientIp: string, mxIp: string): SessionContext | null {
    const key = `${clientIp}>${mxIp}`;
    const ctx = this.map.get(key);
    if (ctx === undefined) return null;
    this.map.delete(key);
    ctx.taken = true;
    return ctx;
  }

  /** Drops a context the server never took (the connection failed first). */
  drop(clientIp: string, mxIp: string, ctx: SessionContext): void {
    const key = `${clientIp}>${mxIp}`;
    if (this.map.get(key) === ctx) this.map.delete(key);
  }
}
