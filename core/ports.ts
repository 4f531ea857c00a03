/**
 * The ports through which the core talks to the world. The same core code runs in virtual time
 * against in-process ISPs (simulators/) and over real SMTP and DNS on loopback (wire mode): only the
 * implementations of these interfaces change. A port method may answer synchronously (in-process,
 * fast path) or with a promise (real I/O); the core handles both (`MaybePromise`).
 */
import type { Millis, SmtpPhase } from './types.ts';

export type MaybePromise<T> = T | Promise<T>;

/** Current time in integer ms since the run started. */
export interface Clock {
  now(): Millis;
}

/** A random source: uniform floats in [0, 1). One named stream per component (engine/random). */
export interface RandomSource {
  next(): number;
}

/** One MX host of a domain, lowest preference first. */
export interface MxHost {
  host: string;
  preference: number;
  /** resolved A records (IPv4 text) */
  ips: string[];
}

export type DnsFailure = 'nxdomain' | 'servfail' | 'nomx' | 'timeout';

export type MxResolution = { ok: true; mx: MxHost[] } | { ok: false; error: DnsFailure; text: string };

/** Finds the MX hosts of a recipient domain (DNS in wire mode, a table in-process). */
export interface MxResolver {
  resolve(domain: string): MaybePromise<MxResolution>;
}

/** A message handed to the transport: one recipient per message (Campaign sends one message per recipient). */
export interface OutboundMessage {
  /** dense integer id of the message within the run */
  id: number;
  deliveryId: number;
  from: string;
  to: string;
  /** recipient domain (lower case) */
  domain: string;
  /** size in bytes */
  size: number;
  /** 1 for the first try */
  attempt: number;
  /** RFC 5322 Message-ID, stable across retries */
  messageId: string;
}

/**
 * Errors below SMTP: no reply text exists, so the transport names the failure and the core qualifies
 * it (SPEC §6.3: errors at connect time are transport errors; try the next MX, then retry).
 * The canonical texts are in TRANSPORT_ERROR_TEXT so both modes log the same line.
 */
export type TransportErrorKind = 'refused' | 'timeout' | 'reset' | 'tls' | 'garbage';

export const TRANSPORT_ERROR_TEXT: Readonly<Record<TransportErrorKind, string>> = {
  refused: 'Connection refused',
  timeout: 'Connection timed out',
  reset: 'Connection reset by peer',
  tls: 'TLS negotiation failed',
  garbage: 'Unparseable reply from remote server',
};

/** What the remote side said about one message (or about the whole session). */
export interface MessageReply {
  phase: SmtpPhase;
  /** the reply as received, e.g. `550 5.1.1 <a@b>: no such user` or a multi-line reply joined with CRLF; '' for transport errors */
  reply: string;
  transportError?: TransportErrorKind;
}

/** One SMTP session request: a connection on one path carrying up to `messages per connection` messages. */
export interface SessionRequest {
  localIp: string;
  mxHost: string;
  mxIp: string;
  domain: string;
  messages: OutboundMessage[];
  timeouts: { connectMs: Millis; commandMs: Millis; dataMs: Millis };
  /**
   * STARTTLS (the MX rule's `tls`, SPEC §7.1): `off` never, `opportunistic` (the default) when the
   * server offers it, `required` or the session fails with a TLS error before any message.
   */
  tls?: 'off' | 'opportunistic' | 'required';
}

export interface SessionResult {
  /**
   * Set when the session failed before any message was tried (refused, timeout, 421 greeting, EHLO or
   * TLS failure): it applies to every message of the request.
   */
  sessionError: MessageReply | null;
  /**
   * One reply per message in request order when `sessionError` is null. Messages the server never
   * answered (connection dropped mid-session) get a transport-error reply, never a missing entry.
   */
  replies: MessageReply[];
  /** how long the exchange took, for the virtual clock (wire mode: measured) */
  durationMs: Millis;
}

/** Sends messages over one SMTP session. */
export interface Transport {
  send(req: SessionRequest): MaybePromise<SessionResult>;
}

/** A raw mail found in the technical mailbox (async bounce, complaint, auto-reply). */
export interface RawMail {
  /** where it came from (file path or simulator id), for error messages */
  source: string;
  data: Buffer;
}

/** The technical mailbox that inMail reads on a schedule. */
export interface TechnicalMailbox {
  /** takes every mail that arrived up to now */
  drain(now: Millis): MaybePromise<RawMail[]>;
}

/**
 * The event scheduler the MTA runs on: integer-coded events with two numeric payload slots, ordered
 * by (time, sequence). The engine's `Simulation` implements it; the core never imports the engine.
 */
export interface Scheduler {
  readonly now: Millis;
  schedule(at: Millis, kind: number, a?: number, b?: number): number;
  cancel(id: number): boolean;
  on(kind: number, handler: (a: number, b: number) => void | Promise<void>): unknown;
  /**
   * Optional: a two-phase step whose `start` may run concurrently with other same-time steps (real
   * I/O in wire mode) and whose `commit` runs in sequence order, so results stay deterministic.
   */
  onConcurrent?<T>(
    kind: number,
    handler: { start(a: number, b: number): T | Promise<T>; commit(result: T, a: number, b: number): void },
  ): unknown;
}

/**
 * Optional address directory: a recipient list that already numbers its addresses (a Campaign
 * recipient table's primary key, a seeded population's index). Given one, the quarantine table uses
 * its ids for the addresses it knows instead of interning every string, and asks for a string only
 * when it needs one (a transport envelope, an export row). Ids are dense, `0..size-1`; an address the
 * directory does not know (a stranger in a DSN, a different case) gets no id from it.
 */
export interface AddressBook {
  /** ids are `0..size-1` */
  readonly size: number;
  /** the id of `address` (exact, case-sensitive), or -1 when the directory does not know it */
  idOf(address: string): number;
  /** the address of an id in `0..size-1` */
  addressOf(id: number): string;
}
