/**
 * A small SMTP client connection over node:net/tls with what the wire transport needs and
 * nodemailer's SMTPConnection does not give: one timeout per read (connect, command and data
 * timeouts differ), PIPELINING, reply text exactly as received (multi-line replies joined with
 * `\n`, the brain's own form), and failures as values (`{ error: 'refused' | 'timeout' | 'reset' |
 * 'tls' | 'garbage' }`), never exceptions. A line that is not an SMTP reply is `garbage`.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { TransportErrorKind } from '../../core/ports.ts';

/** One complete reply. */
export interface Reply {
  code: number;
  /** every line as received, joined with `\n` */
  text: string;
}

/** A failure below SMTP. */
export interface ReplyError {
  error: TransportErrorKind;
}

/** A reply or a failure. */
export type ReplyOrError = Reply | ReplyError;

/** True when `r` is a failure. */
export function isError(r: ReplyOrError | ReplyError | SmtpClient): r is ReplyError {
  return !(r instanceof SmtpClient) && (r as ReplyError).error !== undefined;
}

const MAX_LINE = 65_536;
const LINE = /^([2-5]\d\d)([ -]|$)/;

/** Options of `SmtpClient.open`. */
export interface OpenOptions {
  host: string;
  port: number;
  localAddress?: string;
  timeoutMs: number;
}

/** See the file comment. */
export class SmtpClient {
  private socket: Socket;
  private buf = '';
  private lines: string[] = [];
  private readonly ready: Reply[] = [];
  private failure: TransportErrorKind | null = null;
  /** bytes received so far (0 means the server never said anything) */
  received = 0;
  private waiter: ((r: ReplyOrError) => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly onData = (chunk: Buffer) => this.feed(chunk);

  private constructor(socket: Socket) {
    this.socket = socket;
    this.attach(socket);
  }

  /** Connects; resolves a client or the failure (refused, timeout). */
  static open(o: OpenOptions): Promise<SmtpClient | ReplyError> {
    return new Promise((resolve) => {
      const socket = netConnect({ host: o.host, port: o.port, localAddress: o.localAddress });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ error: 'timeout' });
      }, o.timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new SmtpClient(socket));
      });
      socket.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        resolve({
          error: e.code === 'ETIMEDOUT' ? 'timeout' : e.code === 'ECONNRESET' ? 'reset' : 'refused',
        });
      });
    });
  }

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('error', () => this.fail('reset'));
    socket.on('close', () => this.fail('reset'));
  }

  /** The failure that ended the connection, if any. */
  get failed(): TransportErrorKind | null {
    return this.failure;
  }

  private feed(chunk: Buffer): void {
    this.received += chunk.length;
    this.buf += chunk.toString('latin1');
    let nl = this.buf.indexOf('\n');
    while (nl >= 0) {
      const line = this.buf.slice(0, nl > 0 && this.buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      this.buf = this.buf.slice(nl + 1);
      if (!this.line(line)) return;
      nl = this.buf.indexOf('\n');
    }
    if (this.buf.length > MAX_LINE) this.fail('garbage');
  }

  /** Adds one line; false when it was garbage (the connection is then dropped). */
  private line(line: string): boolean {
    const m = LINE.exec(line);
    if (m === null || (this.lines.length > 0 && !this.lines[0]!.startsWith(m[1]!))) {
      this.fail('garbage');
      return false;
    }
    this.lines.push(line);
    if (m[2] !== '-') {
      const reply = { code: Number(m[1]), text: this.lines.join('\n') };
      this.lines = [];
      if (this.waiter) this.settle(reply);
      else this.ready.push(reply);
    }
    return true;
  }

  private settle(r: ReplyOrError): void {
    const w = this.waiter;
    this.waiter = null;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    w?.(r);
  }

  private fail(kind: TransportErrorKind): void {
    if (this.failure === null) this.failure = kind;
    this.socket.destroy();
    if (this.waiter) this.settle({ error: this.failure });
  }

  /** The next reply, waiting at most `timeoutMs`; a timeout drops the connection. */
  read(timeoutMs: number): Promise<ReplyOrError> {
    const r = this.ready.shift();
    if (r) return Promise.resolve(r);
    if (this.failure !== null) return Promise.resolve({ error: this.failure });
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.timer = setTimeout(() => this.fail('timeout'), timeoutMs);
    });
  }

  /** Writes raw text or bytes (commands end with CRLF). */
  write(data: string | Buffer): void {
    if (this.failure === null) this.socket.write(data);
  }

  /** Upgrades after a `220` to STARTTLS; resolves null or `{ error: 'tls' }`. */
  starttls(timeoutMs: number, servername: string): Promise<ReplyError | null> {
    const raw = this.socket;
    raw.removeListener('data', this.onData);
    raw.removeAllListeners('close');
    raw.removeAllListeners('error');
    raw.on('error', () => {});
    return new Promise((resolve) => {
      const secure: TLSSocket = tlsConnect({
        socket: raw,
        rejectUnauthorized: false,
        servername: /^[\d.]+$/.test(servername) ? undefined : servername,
      });
      let settled = false;
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        secure.removeAllListeners('secureConnect');
        if (ok) {
          this.socket = secure;
          this.attach(secure);
          resolve(null);
        } else {
          secure.on('error', () => {});
          secure.destroy();
          raw.destroy();
          this.failure = 'tls';
          resolve({ error: 'tls' });
        }
      };
      secure.once('secureConnect', () => done(true));
      secure.once('error', () => done(false));
      secure.once('close', () => done(false));
    });
  }

  /** Sends QUIT and closes without waiting for the reply. */
  quit(): void {
    if (this.failure === null) {
      this.failure = 'reset';
      this.socket.end('QUIT\r\n');
      this.socket.setTimeout(1000, () => this.socket.destroy());
    } else this.socket.destroy();
  }

  /** Drops the connection at once. */
  destroy(): void {
    if (this.failure === null) this.failure = 'reset';
    this.socket.destroy();
  }
}
