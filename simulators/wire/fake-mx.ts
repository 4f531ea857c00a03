/**
 * One fake MX: an smtp-server listener bound to one simulated MX IP (127.a.b.c) whose every answer
 * comes from the ISP brain, the same object the in-process transport drives: greeting, EHLO, MAIL,
 * RCPT and end-of-DATA replies (multi-line ones included, with the ISP's own enhanced codes:
 * `hideENHANCEDSTATUSCODES`), any 421 closes the connection, latencies are slept for
 * `latency × latencyScale` (tarpitting), a latency above the client's timeout (known from the run
 * mode's session context) or a scripted timeout is a stall, a scripted refusal is a reset before
 * the greeting. Fault injection (`fault`) adds what brains never do: garbage lines, resets mid-DATA,
 * TLS handshake failures, drops after the data. Accepted messages are counted and the last ones
 * kept (envelope, headers, DKIM result) for assertions.
 *
 * smtp-server has no EHLO or greeting hook: each fake MX accepts its sockets itself and builds a
 * `FakeMxConnection`, an `SMTPConnection` whose `_sendGreeting`, `send`, `handler_EHLO`,
 * `handler_STARTTLS` and `handler_QUIT` carry the brain's answers (smtp-server 3.21.6 is pinned; see
 * STACK.md and docs/decisions.md).
 */
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import type { Clock } from '../../core/ports.ts';
import { BrainReply, type Envelope, type IspBrain, SessionState } from '../isp/brain.ts';
import type { BrainDirectory } from '../transport/resolver.ts';
import { replyBody, replyCode, replyError } from './reply-lines.ts';
import type { SessionContext, SessionContexts } from './session-context.ts';
import type { TlsCredentials } from './tls-certificate.ts';

/** Faults a test can inject on one fake MX (the brain never produces these). */
export type FaultKind =
  | 'none'
  /** a 421 greeting with `text` (default `421 4.3.2 Service not available`) */
  | 'greeting-421'
  /** a line that is not SMTP instead of the greeting */
  | 'garbage-greeting'
  /** a line that is not SMTP instead of the MAIL reply */
  | 'garbage-mail'
  /** TCP reset once the message data starts to arrive */
  | 'reset-data'
  /** no reply after the data (the client's data timeout fires) */
  | 'stall-data'
  /** the connection is closed after the data ends, before the reply (the message may be a duplicate) */
  | 'drop-after-data'
  /** STARTTLS answered 220, then bytes that are not TLS */
  | 'tls-fail';

/** A fault and its optional reply text. */
export interface Fault {
  kind: FaultKind;
  text?: string;
}

/** One accepted message, as kept for assertions. */
export interface ReceivedMessage {
  at: Millis;
  /** the SMTP session it came in (`<mx ip>-<counter>`, as in replies.jsonl) */
  session: string;
  /** whether the session was under STARTTLS */
  tls: boolean;
  clientIp: string;
  mxIp: string;
  from: string;
  to: string;
  messageId: string;
  subject: string;
  size: number;
  /** 'pass' | 'fail' | 'none' (no signature or no verifier) */
  dkim: string;
  /** the `s=` selectors of the message's DKIM-Signature fields, comma-separated ('' when unsigned) */
  dkimSelectors: string;
}

/**
 * One reply the server sent (for serve's JSONL log), joinable to the messages: the session, the
 * recipient a RCPT reply answers (null for other phases), at DATA the accepted recipients and the
 * Message-ID, and whether the session was under STARTTLS.
 */
export interface ReplyEvent {
  at: Millis;
  session: string;
  clientIp: string;
  mxIp: string;
  phase: string;
  tls: boolean;
  recipient: string | null;
  /** DATA: the recipients the transaction accepted */
  recipients?: string[];
  /** DATA: the message's Message-ID header ('' when it has none) */
  messageId?: string;
  reply: string;
}

/** Counters of one fake MX. */
export interface FakeMxStats {
  connections: number;
  accepted: number;
  rejected: number;
  dkimPass: number;
  dkimFail: number;
  bytes: number;
}

/** DKIM verification hook (mailauth's `dkimVerify` bound to a key source). */
export type DkimCheck = (message: Buffer) => Promise<'pass' | 'fail' | 'none'>;

/** Options of a `FakeMx`. */
export interface FakeMxOptions {
  /** the simulated MX IP this server plays (its identity in logs and session contexts) */
  ip: string;
  /** the address it listens on (default `ip`; serve's `--bind` puts every fake MX on one address) */
  bind?: string;
  /** 0 for a free port */
  port?: number;
  mxHost: string;
  /** brain of this IP's profile, used when no context names the domain */
  brain: IspBrain;
  /** finds the brain of a context's domain (IP hash collisions, catch-all domains) */
  directory?: BrainDirectory;
  /** the brains' time: the run's virtual clock, or wall time since start × speed */
  clock: Clock;
  /** real sleep per virtual ms of brain latency (default 0: answer at once) */
  latencyScale?: number;
  /** run mode: contexts the transport registers before it connects */
  contexts?: SessionContexts;
  /** offer STARTTLS (default true) */
  tls?: boolean;
  /** the STARTTLS key and certificate (the fleet's, generated at start); smtp-server's bundled test pair when absent */
  credentials?: TlsCredentials;
  /** SIZE limit in bytes (default 10 MiB); bigger messages get 552 */
  maxSize?: number;
  /** how many accepted messages to keep (default 1000; counters count all) */
  keep?: number;
  dkim?: DkimCheck;
  onMessage?: (m: ReceivedMessage) => void;
  onReply?: (e: ReplyEvent) => void;
}

type Millis = number;
type Done = (err?: Error | null, message?: string) => void;

/** One session's state, shared by the fake MX's handlers and its connection object. */
interface Live {
  /** the connection (its `_socket` is the TLS one after STARTTLS) */
  conn: FakeMxConnection;
  s: SessionState;
  brain: IspBrain;
  ctx: SessionContext | null;
  t: Millis;
  socket: Socket;
  ehlo: boolean;
  clientIp: string;
  /** smtp-server's session id (`<mx ip>-<counter>`) */
  id: string;
  /** the brain's success text for the MAIL/RCPT reply smtp-server is about to send as `250 Accepted` */
  okText: string | null;
}

const GARBAGE = Buffer.from('\x00\xff\xfe<html>garbage\x07\r\n', 'latin1');

/** See the file comment. */
export class FakeMx {
  readonly ip: string;
  port = 0;
  readonly stats: FakeMxStats = {
    connections: 0,
    accepted: 0,
    rejected: 0,
    dkimPass: 0,
    dkimFail: 0,
    bytes: 0,
  };
  /** the last `keep` accepted messages */
  readonly received: ReceivedMessage[] = [];
  /** set by tests: a fault applied to every new connection until changed */
  fault: Fault = { kind: 'none' };
  private readonly server: SMTPServer;
  private readonly live = new Map<string, Live>();
  private readonly out = new BrainReply();
  private readonly env: Envelope = { from: '', to: '', messageId: '' };
  private readonly scale: number;
  private readonly keep: number;

  constructor(private readonly o: FakeMxOptions) {
    this.ip = o.ip;
    this.scale = o.latencyScale ?? 0;
    this.keep = o.keep ?? 1000;
    const ehlo = o.brain.profile.ehlo.replace('<mx>', o.mxHost);
    this.server = new SMTPServer({
      name: o.mxHost,
      hideENHANCEDSTATUSCODES: true,
      hideDSN: true,
      hideSTARTTLS: o.tls === false,
      ...(o.credentials ? { key: o.credentials.key, cert: o.credentials.cert } : {}),
      hideREQUIRETLS: true,
      size: o.maxSize ?? 10 * 1024 * 1024,
      heloResponse: String(replyBody(ehlo.split('\n')[0]!)).replaceAll('%', '%%'),
      disableReverseLookup: true,
      authOptional: true,
      disabledCommands: ['AUTH'],
      logger: false,
      socketTimeout: 10 * 60_000,
      closeTimeout: 100,
      onConnect: (session, cb) => this.onConnect(session, cb),
      onMailFrom: (addr, session, cb) => this.onMail(addr, session, cb),
      onRcptTo: (addr, session, cb) => this.onRcpt(addr, session, cb),
      onData: (stream, session, cb) => this.onData(stream, session, cb),
      onClose: (session) => {
        this.live.delete(session.id);
      },
    });
    this.server.on('error', () => {
      // client resets and TLS failures are expected here; outcomes are values
    });
    // smtp-server's accept path (PROXY header check, a random session id from crypto, a setImmediate
    // hop) and its connect() (a 100 ms wait before the greeting to catch early talkers) are replaced
    // by `accept`: a fake MX listens for plain SMTP only, and greets at once
    const net = this.server.server;
    net.removeAllListeners('connection');
    net.on('connection', (socket: Socket) => this.accept(socket));
  }

  /** the connection whose `connectionReady` is running (onConnect gets only its session) */
  private connecting: FakeMxConnection | null = null;
  /** session ids: unique per fake MX, for the `live` map and smtp-server's own use */
  private nextSession = 0;

  /** What smtp-server's connect() does for a new socket, with a counter for the session id. */
  private accept(socket: Socket): void {
    const server = this.server as unknown as {
      connections: Set<unknown>;
      _onError(err: Error): void;
      _onClientConnect(data: unknown): void;
    };
    const id = `${this.ip}-${(this.nextSession++).toString(36)}`;
    // the listener's own address: smtp-server would ask the socket (a getsockname(2) per connection)
    const conn = new FakeMxConnection(this.server, socket, {
      id,
      localAddress: this.ip,
      localPort: this.port,
    });
    server.connections.add(conn);
    conn.on('error', (err: Error) => server._onError(err));
    conn.on('connect', (data: unknown) => server._onClientConnect(data));
    conn._setListeners(() => {
      this.connecting = conn;
      conn.connectionReady();
      this.connecting = null;
    });
  }

  /** Starts listening on `ip:port`; resolves the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const net = this.server.server;
      const onError = (e: Error) =>
        reject(new Error(`fake MX ${this.o.bind ?? this.o.ip}:${this.o.port ?? 0}: ${e.message}`));
      net.once('error', onError);
      this.server.listen(this.o.port ?? 0, this.o.bind ?? this.o.ip, () => {
        net.off('error', onError);
        const a = net.address();
        this.port = typeof a === 'object' && a ? a.port : 0;
        resolve(this.port);
      });
    });
  }

  /** Closes the listener and every open connection. */
  close(): Promise<void> {
    for (const l of this.live.values()) l.socket.destroy();
    this.live.clear();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private log(l: Live, phase: string, reply: string, recipient: string | null = null): void {
    const on = this.o.onReply;
    if (on === undefined) return;
    on({
      at: l.t,
      session: l.id,
      clientIp: l.clientIp,
      mxIp: this.ip,
      phase,
      tls: l.conn.secure === true,
      recipient,
      reply,
    });
  }

  /** Runs `then` after the brain latency (scaled), or at once. */
  private later(latencyMs: number, then: () => void): void {
    const ms = latencyMs * this.scale;
    if (ms >= 1) setTimeout(then, ms);
    else then();
  }

  /**
   * Advances the session's virtual time like the in-process transport; returns 'stall' when the
   * brain said timeout or took longer than the client waits, 'reset' for a scripted refusal.
   */
  private advance(l: Live, limit: number): 'ok' | 'stall' | 'reset' {
    const out = this.out;
    const adv = out.latencyMs > limit ? limit : out.latencyMs;
    l.t += adv;
    if (l.ctx) l.ctx.virtualMs += adv;
    if (out.transportError === 'timeout' || out.latencyMs > limit) return 'stall';
    if (out.transportError !== null) return 'reset';
    return 'ok';
  }

  /**
   * {@link advance} for a reply about to be sent: false when it must not be (stalled, or reset: the
   * socket is then reset here).
   */
  private proceed(l: Live, limit: number): boolean {
    const step = this.advance(l, limit);
    if (step === 'reset') l.socket.resetAndDestroy();
    return step === 'ok';
  }

  private onConnect(session: SMTPServerSession, cb: (err?: Error | null) => void): void {
    this.stats.connections++;
    const c = this.connecting;
    if (!c) {
      cb(new Error('internal: connection not found'));
      return;
    }
    // smtp-server's SMTPConnection sets TCP_NODELAY: replies are small writes, with no Nagle wait
    const socket = c._socket as Socket;
    const clientIp = session.remoteAddress;
    const ctx = this.o.contexts?.take(clientIp, this.ip) ?? null;
    const brain = (ctx && this.o.directory?.brainFor(ctx.domain)) || this.o.brain;
    const l: Live = {
      conn: c,
      s: new SessionState().reset(clientIp, this.o.mxHost, this.ip),
      brain,
      ctx,
      t: this.o.clock.now(),
      socket,
      ehlo: false,
      clientIp,
      id: session.id,
      okText: null,
    };
    this.live.set(session.id, l);
    c.attach(this, l);
    const fault = this.fault;
    if (fault.kind === 'greeting-421') {
      cb(replyError(fault.text ?? '421 4.3.2 Service not available'));
      return;
    }
    if (fault.kind === 'garbage-greeting') {
      c.greeting = GARBAGE;
      cb();
      return;
    }
    const out = this.out;
    brain.connect(l.s, l.t, out);
    const step = this.advance(l, ctx ? ctx.timeouts.connectMs : Number.POSITIVE_INFINITY);
    if (step === 'stall') return; // no greeting: the client's connect timeout fires
    if (step === 'reset') {
      this.log(l, 'connect', 'reset');
      socket.resetAndDestroy();
      return;
    }
    const text = out.text;
    this.log(l, 'connect', text);
    this.later(out.latencyMs, () => {
      // a refusing greeting (421, 554) goes through `_refuse`, which closes the connection
      if (text.startsWith('220')) {
        c.greeting = text;
        cb();
      } else cb(replyError(text));
    });
  }

  /**
   * The first EHLO of a session: the brain's reply (a refusal instead of smtp-server's 250 list), or
   * `accept` to let smtp-server answer it with its extension list.
   */
  ehlo(l: Live, c: FakeMxConnection, accept: () => void, done: () => void): void {
    const out = this.out;
    l.brain.ehlo(l.s, l.t, out);
    if (!this.proceed(l, l.ctx ? l.ctx.timeouts.commandMs : Number.POSITIVE_INFINITY)) return;
    const text = out.text;
    this.log(l, 'ehlo', text);
    this.later(out.latencyMs, () => {
      if (text.startsWith('2')) accept();
      else {
        c.send(Number(text.slice(0, 3)), replyBody(text), false);
        done();
      }
    });
  }

  /** true when STARTTLS must fail (the `tls-fail` fault) */
  get tlsFails(): boolean {
    return this.fault.kind === 'tls-fail';
  }

  private onMail(addr: SMTPServerAddress, session: SMTPServerSession, cb: Done): void {
    const l = this.live.get(session.id);
    if (!l) {
      cb(replyError('421 4.3.0 Internal error'));
      return;
    }
    if (this.fault.kind === 'garbage-mail') {
      l.conn._socket.end(GARBAGE);
      return;
    }
    const out = this.out;
    l.brain.mail(l.s, addr.address, l.t, out);
    this.reply(l, 'mail', l.ctx ? l.ctx.timeouts.commandMs : Number.POSITIVE_INFINITY, cb);
  }

  private onRcpt(addr: SMTPServerAddress, session: SMTPServerSession, cb: Done): void {
    const l = this.live.get(session.id);
    if (!l) {
      cb(replyError('421 4.3.0 Internal error'));
      return;
    }
    l.brain.rcpt(l.s, addr.address, l.t, this.out);
    this.reply(l, 'rcpt', l.ctx ? l.ctx.timeouts.commandMs : Number.POSITIVE_INFINITY, cb, addr.address);
  }

  /** Sends the brain's reply for MAIL or RCPT (a success through `send`'s patch, see `patch`). */
  private reply(l: Live, phase: string, limit: number, cb: Done, recipient: string | null = null): void {
    const out = this.out;
    if (!this.proceed(l, limit)) return;
    const text = out.text;
    const code = out.code;
    this.log(l, phase, text, recipient);
    this.later(out.latencyMs, () => {
      if (code < 400) {
        l.okText = text;
        cb();
      } else cb(replyError(text));
    });
  }

  private onData(stream: Readable, session: SMTPServerSession, cb: Done): void {
    const l = this.live.get(session.id);
    const chunks: Buffer[] = [];
    let size = 0;
    const fault = this.fault.kind;
    stream.on('data', (b: Buffer) => {
      if (fault === 'reset-data' && l) {
        l.socket.resetAndDestroy();
        return;
      }
      chunks.push(b);
      size += b.length;
    });
    stream.on('end', () => {
      if (!l) {
        cb(replyError('421 4.3.0 Internal error'));
        return;
      }
      if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
        this.stats.rejected++;
        cb(replyError(`552 5.3.4 Message size exceeds fixed maximum message size ${this.o.maxSize ?? 0}`));
        return;
      }
      if (fault === 'reset-data') return;
      if (fault === 'stall-data') return;
      if (fault === 'drop-after-data') {
        l.socket.destroy();
        return;
      }
      const message = Buffer.concat(chunks, size);
      this.stats.bytes += size;
      const dkim = this.o.dkim;
      if (dkim) {
        dkim(message).then(
          (r) => this.dataReply(l, session, message, r, cb),
          () => this.dataReply(l, session, message, 'fail', cb),
        );
      } else this.dataReply(l, session, message, 'none', cb);
    });
  }

  private dataReply(
    l: Live,
    session: SMTPServerSession,
    message: Buffer,
    dkim: 'pass' | 'fail' | 'none',
    cb: Done,
  ): void {
    if (dkim === 'pass') this.stats.dkimPass++;
    else if (dkim === 'fail') this.stats.dkimFail++;
    const env = this.env;
    const head = headerBlock(message);
    env.from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    env.to = session.envelope.rcptTo[0]?.address ?? '';
    env.messageId = header(head, 'message-id');
    // follow-ups quote the real message (a new object: a follow-up keeps it until it falls due)
    env.original = { subject: header(head, 'subject'), date: header(head, 'date') };
    const out = this.out;
    l.brain.data(l.s, env, l.t, out);
    if (!this.proceed(l, l.ctx ? l.ctx.timeouts.dataMs : Number.POSITIVE_INFINITY)) return;
    const text = out.text;
    const code = out.code;
    const on = this.o.onReply;
    if (on !== undefined)
      on({
        at: l.t,
        session: l.id,
        clientIp: l.clientIp,
        mxIp: this.ip,
        phase: 'data',
        tls: l.conn.secure === true,
        recipient: env.to,
        recipients: session.envelope.rcptTo.map((r) => r.address),
        messageId: env.messageId,
        reply: text,
      });
    if (code < 400) {
      this.stats.accepted++;
      const m: ReceivedMessage = {
        at: l.t,
        session: l.id,
        tls: l.conn.secure === true,
        clientIp: l.clientIp,
        mxIp: this.ip,
        from: env.from,
        to: env.to,
        messageId: env.messageId,
        subject: env.original.subject,
        size: message.length,
        dkim,
        dkimSelectors: dkimSelectors(head),
      };
      if (this.received.length >= this.keep) this.received.shift();
      this.received.push(m);
      this.o.onMessage?.(m);
    } else this.stats.rejected++;
    this.later(out.latencyMs, () => (code < 400 ? cb(null, String(replyBody(text))) : cb(replyError(text))));
  }
}

/** The header block of a message (up to the first empty line), unfolded. */
function headerBlock(message: Buffer): string {
  let end = message.indexOf('\r\n\r\n');
  if (end < 0) end = Math.min(message.length, 65536);
  return message.toString('latin1', 0, end).replace(/\r\n[ \t]+/g, ' ');
}

const DKIM_SELECTOR = /(?:^|\r\n)dkim-signature:[^\r\n]*?(?:^|[;\s])s=([^;\s]+)/gi;

/** The `s=` selectors of a header block's DKIM-Signature fields (unfolded), comma-separated. */
function dkimSelectors(block: string): string {
  let out = '';
  for (const m of block.matchAll(DKIM_SELECTOR)) out += out ? `,${m[1]}` : m[1]!;
  return out;
}

const HEADER_RE = new Map<string, RegExp>();

/** The first value of header `name` (lower case), trimmed, or ''. */
function header(block: string, name: string): string {
  let re = HEADER_RE.get(name);
  if (re === undefined) {
    // compiled once per header name, not once per message
    re = new RegExp(`(?:^|\\r\\n)${name}:[ \\t]*([^\\r\\n]*)`, 'i');
    HEADER_RE.set(name, re);
  }
  const m = re.exec(block);
  return m ? m[1]!.trim() : '';
}

/**
 * smtp-server's connection with the fake MX's answers in its overridable methods (one class for all
 * sessions, no closures per connection): the brain's greeting, its first EHLO reply, its own MAIL and
 * RCPT success texts instead of smtp-server's `250 Accepted`, the STARTTLS fault and a Postfix-like QUIT.
 */
class FakeMxConnection extends SMTPConnection {
  /** the greeting: the brain's 220 text, raw bytes for the garbage fault, null for smtp-server's own */
  greeting: string | Buffer | null = null;
  private mx: FakeMx | null = null;
  private l: Live | null = null;
  /** the socket corked by this turn's replies, uncorked once the event loop's I/O is handled */
  private corked: Socket | null = null;
  /** QUIT's parser callback, held until its 221 is out and the socket closed */
  private quit: (() => void) | null = null;

  attach(mx: FakeMx, l: Live): void {
    this.mx = mx;
    this.l = l;
  }

  /** Sends what this turn corked; after QUIT, closes at once when the 221 went out whole. */
  flush(): void {
    const socket = this.corked;
    if (socket === null) return;
    this.corked = null;
    socket.uncork();
    const quit = this.quit;
    if (quit === null) return;
    this.quit = null;
    if (socket.writableLength === 0) socket.destroy();
    this.close();
    quit();
  }

  override _sendGreeting(): void {
    const g = this.greeting;
    if (g === null) super._sendGreeting();
    else if (typeof g === 'string') this.send(220, replyBody(g), false);
    else this._socket.end(g);
  }

  override send(code: number, data?: string | string[] | null, context?: string | false): void {
    // replies written in one turn of the event loop leave in one write per connection, and the
    // writes of all connections go out together after the turn's I/O: smtp-server answers each
    // pipelined command (MAIL, RCPT, DATA in one packet) with its own write, and every write to a
    // waiting client costs a wake-up (a syscall and a loopback packet apiece)
    if (this.corked === null) {
      const socket = this._socket as Socket;
      this.corked = socket;
      socket.cork();
      if (PENDING.push(this) === 1) setImmediate(flushPending);
    }
    const l = this.l;
    const ok = l === null ? null : l.okText;
    if (ok !== null && (context === 'MAIL_FROM_OK' || context === 'RCPT_TO_OK')) {
      l!.okText = null;
      super.send(replyCode(ok), replyBody(ok), context);
      return;
    }
    super.send(code, data, context);
  }

  override handler_EHLO(command: Buffer, done: () => void): void {
    const l = this.l;
    if (l === null || this.mx === null || l.ehlo) {
      super.handler_EHLO(command, done);
      return;
    }
    l.ehlo = true;
    this.mx.ehlo(l, this, () => super.handler_EHLO(command, done), done);
  }

  override handler_STARTTLS(command: Buffer, done: () => void): void {
    if (this.mx?.tlsFails) {
      const socket = this.l?.socket ?? (this._socket as Socket);
      socket.write('220 2.0.0 Ready to start TLS\r\n');
      socket.end(GARBAGE);
      return;
    }
    super.handler_STARTTLS(command, done);
  }

  /**
   * The 221, then close(2) at once when it went out whole, as Postfix's smtpd does. smtp-server
   * half-closes and reads on until the client's end; a client that then resets (smtp-source does)
   * costs an ECONNRESET error with its stack trace per connection. TLS sessions keep smtp-server's way.
   */
  override handler_QUIT(command: Buffer, done: () => void): void {
    if (this.secure || this._upgrading) {
      super.handler_QUIT(command, done);
      return;
    }
    this.send(221, 'Bye');
    this.quit = done; // the parser waits: nothing pipelined after QUIT runs
  }
}

/** connections whose replies wait for the end of this turn's I/O (see `send`) */
const PENDING: FakeMxConnection[] = [];

function flushPending(): void {
  for (let i = 0; i < PENDING.length; i++) PENDING[i]!.flush();
  PENDING.length = 0;
}
