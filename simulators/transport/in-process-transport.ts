/**
 * The in-process transport: a thin SMTP-session loop over the ISP brains, answering synchronously.
 * Semantics follow a real server: connect (refused / timeout / 421 greeting → `sessionError`),
 * EHLO (an MX rule's `tls: required` against a profile without `starttls` fails there with a `tls`
 * transport error, as the wire transport does), then MAIL, RCPT, DATA per message (one recipient
 * each). Once the server closes the connection (any 421, a timeout) every remaining message gets a
 * `reset` transport error, never a missing entry. A phase slower than the request's timeout becomes a `timeout` transport error.
 */
import type { Clock, MessageReply, SessionRequest, SessionResult, Transport } from '../../core/ports.ts';
import type { SmtpPhase } from '../../core/types.ts';
import { BrainReply, type Envelope, type IspBrain, SessionState } from '../isp/brain.ts';
import type { BrainDirectory } from './resolver.ts';

const RESET: MessageReply = Object.freeze({
  phase: 'mail',
  reply: '',
  transportError: 'reset',
}) as MessageReply;

const NO_TLS: MessageReply = Object.freeze({
  phase: 'ehlo',
  reply: '',
  transportError: 'tls',
}) as MessageReply;

/** Counters of what went through the transport. */
export interface TransportStats {
  sessions: number;
  messages: number;
  accepted: number;
}

/** See the file comment. */
export class InProcessTransport implements Transport {
  readonly stats: TransportStats = { sessions: 0, messages: 0, accepted: 0 };
  private readonly out = new BrainReply();
  private readonly session = new SessionState();
  private readonly env: Envelope = { from: '', to: '', messageId: '' };
  private readonly accepted = new Map<IspBrain, MessageReply>();

  constructor(
    private readonly directory: BrainDirectory,
    private readonly clock: Clock,
  ) {}

  send(req: SessionRequest): SessionResult {
    this.stats.sessions++;
    const n = req.messages.length;
    const replies: MessageReply[] = new Array(n);
    const brain = this.directory.brainFor(req.domain.toLowerCase());
    const out = this.out;
    if (brain === null) {
      return {
        sessionError: { phase: 'connect', reply: '', transportError: 'refused' },
        replies: [],
        durationMs: 0,
      };
    }
    const s = this.session.reset(req.localIp, req.mxHost, req.mxIp);
    const to = req.timeouts;
    let t = this.clock.now();
    const t0 = t;
    brain.connect(s, t, out);
    if (out.latencyMs > to.connectMs) out.fail('timeout', to.connectMs);
    t += out.latencyMs;
    if (out.transportError !== null || out.code !== 220) {
      return { sessionError: this.reply('connect'), replies: [], durationMs: t - t0 };
    }
    brain.ehlo(s, t, out);
    if (out.latencyMs > to.commandMs) out.fail('timeout', to.commandMs);
    t += out.latencyMs;
    if (out.transportError !== null || out.code >= 400) {
      return { sessionError: this.reply('ehlo'), replies: [], durationMs: t - t0 };
    }
    // the MX rule's tls: required and the MX offers no STARTTLS fails before any message, as in wire mode
    if (req.tls === 'required' && !brain.profile.starttls)
      return { sessionError: NO_TLS, replies: [], durationMs: t - t0 };
    let closed = false;
    let accept = this.accepted.get(brain);
    if (!accept) {
      accept = Object.freeze({ phase: 'data', reply: brain.profile.accept.data }) as MessageReply;
      this.accepted.set(brain, accept);
    }
    const env = this.env;
    for (let k = 0; k < n; k++) {
      if (closed) {
        replies[k] = RESET;
        continue;
      }
      const m = req.messages[k]!;
      this.stats.messages++;
      brain.mail(s, m.from, t, out);
      if (out.latencyMs > to.commandMs) out.fail('timeout', to.commandMs);
      t += out.latencyMs;
      if (out.transportError !== null || out.code >= 400) {
        replies[k] = this.reply('mail');
        closed = out.close;
        continue;
      }
      brain.rcpt(s, m.to, t, out);
      if (out.latencyMs > to.commandMs) out.fail('timeout', to.commandMs);
      t += out.latencyMs;
      if (out.transportError !== null || out.code >= 400) {
        replies[k] = this.reply('rcpt');
        closed = out.close;
        continue;
      }
      env.from = m.from;
      env.to = m.to;
      env.messageId = m.messageId;
      brain.data(s, env, t, out);
      if (out.latencyMs > to.dataMs) out.fail('timeout', to.dataMs);
      t += out.latencyMs;
      if (out.transportError === null && out.code < 400) {
        this.stats.accepted++;
        replies[k] = out.text === accept.reply ? accept : this.reply('data');
      } else {
        replies[k] = this.reply('data');
        closed = out.close;
      }
    }
    return { sessionError: null, replies, durationMs: t - t0 };
  }

  private reply(phase: SmtpPhase): MessageReply {
    const out = this.out;
    if (out.transportError !== null) return { phase, reply: '', transportError: out.transportError };
    return { phase, reply: out.text };
  }
}
