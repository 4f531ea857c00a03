/**
 * The core's Transport port over real SMTP on loopback: connect from `localIp` to the fake MX at
 * `mxIp:port` (the port from the fleet map), EHLO, STARTTLS when offered, then MAIL/RCPT/DATA per
 * message (one recipient each, pipelined when the server offers PIPELINING), DKIM-signed
 * MailComposer messages. Failures map exactly like the in-process transport: refused / timeout /
 * reset / tls / garbage before the first message, a non-220 greeting or a failed EHLO are a
 * `sessionError`; after a server close every remaining message gets `reset`. Every message gets a
 * reply entry.
 *
 * Determinism: sessions to one ISP brain run one after another in the order `send` was called (the
 * engine calls it in sequence order), so the brain draws its random numbers in the in-process
 * order; sessions to different ISPs overlap. With a session context (same-process fleet) the
 * duration is the brain's virtual latency sum, as in-process; otherwise the measured wall time.
 */
import type { Clock, MessageReply, SessionRequest, SessionResult, Transport } from '../../core/ports.ts';
import type { SmtpPhase } from '../../core/types.ts';
import { buildMessage, type DkimKey, dataBlock } from './message.ts';
import type { SessionContext, SessionContexts } from './session-context.ts';
import { isError, type ReplyError, type ReplyOrError, SmtpClient } from './smtp-client.ts';

/** Options of a `WireTransport`. */
export interface WireTransportOptions {
  /** the port of the fake MX on an IP (the fleet map; may start it), undefined when nothing listens */
  portOf(ip: string, domain: string): number | undefined | Promise<number | undefined>;
  /** run mode: where to register each session's context */
  contexts?: SessionContexts;
  /** a key per ISP brain: sessions with the same key run one at a time (null: no ordering) */
  orderKey?: (domain: string) => object | null;
  /** wall timeout = max(minTimeoutMs, virtual timeout × timeoutScale) (defaults 1 and 0) */
  timeoutScale?: number;
  minTimeoutMs?: number;
  /** EHLO name (default mta.mxlab.test) */
  ehloName?: string;
  /** use STARTTLS when offered (default true) */
  starttls?: boolean;
  /** pipeline MAIL/RCPT/DATA when offered (default true) */
  pipelining?: boolean;
  dkim?: DkimKey;
  clock?: Clock;
}

/** Counters of the wire transport. */
export interface WireTransportStats {
  sessions: number;
  messages: number;
  accepted: number;
  /** messages whose data was fully sent but whose reply never came (the server may have kept them) */
  maybeDuplicates: number;
}

const RESET: MessageReply = Object.freeze({
  phase: 'mail',
  reply: '',
  transportError: 'reset',
}) as MessageReply;

/** See the file comment. */
export class WireTransport implements Transport {
  readonly stats: WireTransportStats = { sessions: 0, messages: 0, accepted: 0, maybeDuplicates: 0 };
  private readonly chains = new Map<object, Promise<unknown>>();
  private readonly scale: number;
  private readonly minMs: number;

  constructor(private readonly o: WireTransportOptions) {
    this.scale = o.timeoutScale ?? 1;
    this.minMs = o.minTimeoutMs ?? 0;
  }

  send(req: SessionRequest): Promise<SessionResult> {
    const key = this.o.orderKey?.(req.domain.toLowerCase()) ?? null;
    if (key === null) return this.session(req);
    const prev = this.chains.get(key) ?? Promise.resolve();
    const run = prev.then(() => this.session(req));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return run;
  }

  private wall(virtualMs: number): number {
    return Math.max(this.minMs, Math.round(virtualMs * this.scale));
  }

  /** One SMTP session (see the file comment). */
  async session(req: SessionRequest): Promise<SessionResult> {
    this.stats.sessions++;
    const n = req.messages.length;
    const bodies = await Promise.all(req.messages.map((m) => buildMessage(m, this.o.dkim)));
    const w0 = performance.now();
    const ctx: SessionContext = {
      domain: req.domain.toLowerCase(),
      timeouts: req.timeouts,
      virtualMs: 0,
      taken: false,
    };
    const duration = () => (ctx.taken ? ctx.virtualMs : Math.round(performance.now() - w0));
    const fail = (phase: SmtpPhase, r: ReplyOrError): SessionResult => ({
      sessionError: isError(r) ? { phase, reply: '', transportError: r.error } : { phase, reply: r.text },
      replies: [],
      durationMs: duration(),
    });
    const port = await this.o.portOf(req.mxIp, ctx.domain);
    if (port === undefined) return fail('connect', { error: 'refused' });
    const to = req.timeouts;
    this.o.contexts?.put(req.localIp, req.mxIp, ctx);
    const opened = await SmtpClient.open({
      host: req.mxIp,
      port,
      localAddress: req.localIp,
      timeoutMs: this.wall(to.connectMs),
    });
    if (isError(opened)) {
      this.o.contexts?.drop(req.localIp, req.mxIp, ctx);
      return fail('connect', opened);
    }
    const c = opened;
    try {
      const greeting = await c.read(this.wall(to.connectMs));
      if (isError(greeting)) {
        // closed or reset before any byte of the greeting: the server refused the connection
        const e: ReplyError =
          greeting.error === 'reset' && c.received === 0 ? { error: 'refused' } : greeting;
        return fail('connect', e);
      }
      if (greeting.code !== 220) return fail('connect', greeting);
      const name = this.o.ehloName ?? 'mta.mxlab.test';
      c.write(`EHLO ${name}\r\n`);
      let ehlo = await c.read(this.wall(to.commandMs));
      if (isError(ehlo) || ehlo.code >= 400) return fail('ehlo', ehlo);
      const offered = /^250[ -]STARTTLS\s*$/im.test(ehlo.text);
      // the MX rule's tls: required and not offered (or turned off here) fails before any message
      if (req.tls === 'required' && (!offered || this.o.starttls === false))
        return fail('ehlo', { error: 'tls' });
      if (this.o.starttls !== false && req.tls !== 'off' && offered) {
        c.write('STARTTLS\r\n');
        const ready = await c.read(this.wall(to.commandMs));
        if (isError(ready) || ready.code !== 220) return fail('ehlo', { error: 'tls' });
        const tls = await c.starttls(this.wall(to.commandMs), req.mxHost);
        if (tls) return fail('ehlo', tls);
        c.write(`EHLO ${name}\r\n`);
        ehlo = await c.read(this.wall(to.commandMs));
        if (isError(ehlo)) return fail('ehlo', ehlo.error === 'reset' ? { error: 'tls' } : ehlo);
        if (ehlo.code >= 400) return fail('ehlo', ehlo);
      }
      const pipelining = this.o.pipelining !== false && /^250[ -]PIPELINING\s*$/im.test(ehlo.text);
      const replies: MessageReply[] = new Array(n);
      let closed = false;
      for (let k = 0; k < n; k++) {
        if (closed) {
          replies[k] = RESET;
          continue;
        }
        const m = req.messages[k]!;
        this.stats.messages++;
        const r = await this.message(c, m.from, m.to, bodies[k]!, pipelining, req);
        replies[k] = r.reply;
        closed = r.closed;
        if (!r.reply.transportError && r.reply.phase === 'data' && r.reply.reply.charCodeAt(0) === 50)
          this.stats.accepted++;
      }
      return { sessionError: null, replies, durationMs: duration() };
    } finally {
      c.quit();
    }
  }

  /** One transaction; `closed` when the connection is gone (or must not be reused) afterwards. */
  private async message(
    c: SmtpClient,
    from: string,
    to: string,
    body: Buffer,
    pipelining: boolean,
    req: SessionRequest,
  ): Promise<{ reply: MessageReply; closed: boolean }> {
    const cmd = this.wall(req.timeouts.commandMs);
    const mailCmd = `MAIL FROM:<${from}>\r\n`;
    const rcptCmd = `RCPT TO:<${to}>\r\n`;
    const result = (phase: SmtpPhase, r: ReplyOrError) =>
      isError(r)
        ? { reply: { phase, reply: '', transportError: r.error } as MessageReply, closed: true }
        : { reply: { phase, reply: r.text } as MessageReply, closed: r.code === 421 };
    // a failed step: drain the pipelined replies still due, then RSET
    const abandon = async (phase: SmtpPhase, r: ReplyOrError, pending: number) => {
      const res = result(phase, r);
      if (res.closed) return res;
      for (let i = 0; i < pending; i++) {
        const x = await c.read(cmd);
        if (isError(x) || x.code === 421) return { reply: res.reply, closed: true };
      }
      c.write('RSET\r\n');
      const x = await c.read(cmd);
      return { reply: res.reply, closed: isError(x) || x.code >= 400 };
    };
    if (pipelining) c.write(mailCmd + rcptCmd + 'DATA\r\n');
    else c.write(mailCmd);
    const mail = await c.read(cmd);
    if (isError(mail) || mail.code >= 400) return abandon('mail', mail, pipelining ? 2 : 0);
    if (!pipelining) c.write(rcptCmd);
    const rcpt = await c.read(cmd);
    if (isError(rcpt) || rcpt.code >= 400) return abandon('rcpt', rcpt, pipelining ? 1 : 0);
    if (!pipelining) c.write('DATA\r\n');
    const go = await c.read(cmd);
    if (isError(go) || go.code !== 354) return abandon('data', go, 0);
    c.write(dataBlock(body));
    const done = await c.read(this.wall(req.timeouts.dataMs));
    if (isError(done)) this.stats.maybeDuplicates++;
    return result('data', done);
  }
}
