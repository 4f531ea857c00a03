/**
 * The simulated technical mailbox: follow-ups (DSNs, ARF reports, auto-replies) are scheduled for a
 * future run time and handed out by `drain(now)` in deterministic order (time, then arrival
 * sequence). Only the small `FollowUp` record is kept; the MIME is built when the mail is drained.
 */
import type { RawMail, TechnicalMailbox } from '../../core/ports.ts';
import type { Millis } from '../../core/types.ts';
import { type BuildOptions, buildFollowUpMail } from '../async-mail/build.ts';
import type { FollowUp, FollowUpSink } from '../isp/follow-up.ts';

interface Entry {
  f: FollowUp;
  seq: number;
}

/** See the file comment. */
export class SimulatedMailbox implements TechnicalMailbox, FollowUpSink {
  private readonly heap: Entry[] = [];
  private seq = 0;
  /** mails delivered by drain so far, by kind */
  readonly drained = { dsn: 0, arf: 0, autoReply: 0, postmaster: 0 };

  constructor(private readonly build: Omit<BuildOptions, 'seq'> = {}) {}

  /** Number of mails not drained yet. */
  get pending(): number {
    return this.heap.length;
  }

  /** Run time of the next mail, or null when empty. */
  nextAt(): Millis | null {
    return this.heap.length > 0 ? this.heap[0]!.f.atMs : null;
  }

  schedule(f: FollowUp): void {
    const h = this.heap;
    h.push({ f, seq: this.seq++ });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  /** Takes the follow-ups due at `now` (structured, synchronous), in (time, sequence) order. */
  takeDue(now: Millis): { f: FollowUp; seq: number }[] {
    const out: Entry[] = [];
    while (this.heap.length > 0 && this.heap[0]!.f.atMs <= now) out.push(this.pop());
    for (const e of out) this.drained[e.f.kind]++;
    return out;
  }

  /** Every mail that arrived up to `now`, as MIME, in (time, sequence) order. */
  async drain(now: Millis): Promise<RawMail[]> {
    const due = this.takeDue(now);
    const mails: RawMail[] = [];
    for (const e of due) {
      const data = await buildFollowUpMail(e.f, { ...this.build, seq: e.seq });
      mails.push({ source: `sim:${e.f.isp}:${e.f.kind}:${e.seq}`, data });
    }
    return mails;
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.f.atMs < b.f.atMs || (a.f.atMs === b.f.atMs && a.seq < b.seq);
}
