/**
 * serve's control API: JSON over HTTP on a loopback address, so a test steers the fake internet
 * while its MTA runs (as Mailpit's chaos API and smtp4dev's rules do).
 *
 * - `GET /fleet`: the served domains and their fake MXs' addresses
 * - `GET /windows`: every window in force per profile (the profile's and those added here, with ids)
 * - `GET /counters`: serve's log counters and the fake MXs' totals
 * - `POST /outage {domain, reply?, phase?, action?, minutes?, truths?}`: a window on that domain from
 *   now (default: rcpt, `451 4.7.0 <rcpt>: temporary outage (mxlab control API)`, for a year);
 *   answers `{id}`. `DELETE /outage/ID` ends it.
 * - `PUT /script/DOMAIN {phase, reply, truths?}`: the domain's reply at that phase from now on,
 *   replacing the previous PUT for the same domain and phase (`DELETE /script/DOMAIN` drops them)
 * - `POST /fault {domain, kind, text?}`: a fault (fake-mx.ts `FaultKind`) on every fake MX of the
 *   domain; `DELETE /fault/DOMAIN` clears it
 *
 * Windows run on serve's clock; an unknown domain is 404, a malformed body 400 with the reason.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Window } from '../isp/brain.ts';
import type { FaultKind } from './fake-mx.ts';
import type { ServeHandle } from './serve.ts';

const FAULTS: readonly FaultKind[] = [
  'none',
  'greeting-421',
  'garbage-greeting',
  'garbage-mail',
  'reset-data',
  'stall-data',
  'drop-after-data',
  'tls-fail',
];
const PHASES = ['connect', 'ehlo', 'mail', 'rcpt', 'data'] as const;
const ACTIONS = ['reply', 'refuse', 'timeout', 'nxdomain', 'servfail'] as const;
const YEAR_MS = 365 * 86_400_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A running control API. */
export interface ControlApi {
  host: string;
  port: number;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

function str(b: Body, key: string, fallback?: string): string {
  const v = b[key] ?? fallback;
  if (typeof v !== 'string' || v === '') throw new HttpError(400, `${key}: expected a string`);
  return v;
}

function oneOf<T extends string>(b: Body, key: string, choices: readonly T[], fallback: T): T {
  const v = b[key] ?? fallback;
  if (!choices.includes(v as T)) throw new HttpError(400, `${key}: expected one of ${choices.join(', ')}`);
  return v as T;
}

/** Starts the control API of `h` on `host:port` (port 0: a free one). */
export async function startControlApi(h: ServeHandle, host: string, port: number): Promise<ControlApi> {
  const added = new Map<string, { profile: string; window: Window }>();
  const scripts = new Map<string, string>();
  let next = 1;

  const brainOf = (domain: string) => {
    const brain = h.fleet.brainFor(domain);
    if (brain === null) throw new HttpError(404, `${domain}: no profile serves this domain`);
    return brain;
  };
  const add = (domain: string, w: Window): string => {
    const brain = brainOf(domain);
    brain.addWindow(w);
    const id = String(next++);
    added.set(id, { profile: brain.name, window: w });
    return id;
  };
  const remove = (id: string): boolean => {
    const a = added.get(id);
    if (!a) return false;
    added.delete(id);
    for (const b of h.world.brains) if (b.name === a.profile) b.removeWindow(a.window);
    return true;
  };
  const windowFor = (domain: string, b: Body, defaultReply: string, minutes: number): Window => {
    const action = oneOf(b, 'action', ACTIONS, 'reply');
    const now = h.world.clock.now();
    const truths = b.truths;
    if (truths !== undefined && !(Array.isArray(truths) && truths.every((t) => typeof t === 'string')))
      throw new HttpError(400, 'truths: expected an array of truth names');
    return {
      name: `control-api ${domain}`,
      from: now,
      to: now + minutes * 60_000,
      action,
      phase: oneOf(b, 'phase', PHASES, 'rcpt'),
      reply: action === 'reply' ? str(b, 'reply', defaultReply) : undefined,
      truths: truths as Window['truths'],
      domains: [domain],
      probability: 1,
    };
  };

  const routes = async (method: string, path: string[], b: Body): Promise<unknown> => {
    const [what, arg] = path;
    if (method === 'GET' && what === 'fleet')
      return { dns: { host: h.dnsHost, port: h.dnsPort }, domains: h.domains };
    if (method === 'GET' && what === 'windows')
      return h.world.brains.map((brain) => ({
        profile: brain.name,
        windows: brain.allWindows().map((w) => ({
          ...w,
          id: [...added].find(([, a]) => a.window === w)?.[0] ?? null,
        })),
      }));
    if (method === 'GET' && what === 'counters') return { ...h.counts, fleet: h.fleet.totals() };
    if (method === 'POST' && what === 'outage') {
      const domain = str(b, 'domain').toLowerCase();
      const minutes = b.minutes === undefined ? YEAR_MS / 60_000 : Number(b.minutes);
      if (!(minutes > 0)) throw new HttpError(400, 'minutes: expected a number > 0');
      const w = windowFor(domain, b, '451 4.7.0 <rcpt>: temporary outage (mxlab control API)', minutes);
      return { id: add(domain, w), window: w };
    }
    if (method === 'DELETE' && what === 'outage' && arg !== undefined) {
      if (!remove(arg)) throw new HttpError(404, `outage ${arg}: no such window`);
      return { ended: arg };
    }
    if (method === 'PUT' && what === 'script' && arg !== undefined) {
      const domain = arg.toLowerCase();
      const w = windowFor(domain, { ...b, action: 'reply', reply: str(b, 'reply') }, '', YEAR_MS / 60_000);
      const key = `${domain} ${w.phase}`;
      const previous = scripts.get(key);
      if (previous !== undefined) remove(previous);
      const id = add(domain, w);
      scripts.set(key, id);
      return { id, window: w };
    }
    if (method === 'DELETE' && what === 'script' && arg !== undefined) {
      const domain = arg.toLowerCase();
      const ids = [...scripts].filter(([k]) => k.startsWith(`${domain} `));
      for (const [k, id] of ids) {
        remove(id);
        scripts.delete(k);
      }
      return { removed: ids.length };
    }
    if ((method === 'POST' && what === 'fault') || (method === 'DELETE' && what === 'fault' && arg)) {
      const domain = (method === 'POST' ? str(b, 'domain') : arg!).toLowerCase();
      brainOf(domain);
      const kind = method === 'POST' ? oneOf(b, 'kind', FAULTS, 'none') : 'none';
      const text = typeof b.text === 'string' ? b.text : undefined;
      const hosts = (await h.fleet.ensureDomain(domain)) ?? [];
      const ips = hosts.flatMap((m) => m.ips);
      for (const ip of ips) {
        const mx = h.fleet.server(ip);
        if (mx) mx.fault = { kind, text };
      }
      return { domain, fault: kind, servers: ips.length };
    }
    throw new HttpError(404, `${method} /${path.join('/')}: no such route`);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(`${JSON.stringify(value)}\n`);
      };
      let body: Body = {};
      const raw = Buffer.concat(chunks).toString('utf8').trim();
      if (raw !== '') {
        try {
          const parsed = JSON.parse(raw) as unknown;
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
            throw new Error('not an object');
          body = parsed as Body;
        } catch (e) {
          reply(400, { error: `body: expected a JSON object (${(e as Error).message})` });
          return;
        }
      }
      const path = new URL(req.url ?? '/', 'http://x').pathname
        .split('/')
        .filter((p) => p !== '')
        .map(decodeURIComponent);
      routes(req.method ?? 'GET', path, body).then(
        (v) => reply(200, v),
        (e: Error) => reply(e instanceof HttpError ? e.status : 500, { error: e.message }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const a = server.address();
  return {
    host,
    port: typeof a === 'object' && a ? a.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
