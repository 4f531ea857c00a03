/**
 * serve's control API (issue #22): a test steers the running fake internet with fetch: lists the
 * fleet, windows and counters, starts and ends an outage on a domain now, replaces a domain's RCPT
 * reply, and puts a fault on its fake MXs; swaks sees each change on the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIspProfiles } from '../../simulators/index.ts';
import { type ControlApi, startControlApi } from '../../simulators/wire/control-api.ts';
import { type ServeHandle, startServe } from '../../simulators/wire/serve.ts';
import { scaledWallClock } from '../../simulators/wire/wall-clock.ts';
import { parseSwaks, replyTo, run } from './serve-harness.ts';

let h: ServeHandle;
let api: ControlApi;

beforeAll(async () => {
  const swaks = await run('sh', ['-c', 'command -v swaks']);
  if (swaks.code !== 0)
    throw new Error('swaks is not installed: apt-get install -y swaks (CI: .ci/run installs it)');
  const gmail = { ...loadIspProfiles().find((p) => p.name === 'gmail')!, random: [] };
  h = await startServe({
    profiles: [gmail],
    seed: 1,
    clock: scaledWallClock({ speed: 1, startAtMs: 0 }),
    latencyScale: 0,
  });
  api = await startControlApi(h, '127.0.0.1', 0);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await h?.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`http://127.0.0.1:${api.port}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

async function rcpt(to: string): Promise<string | undefined> {
  const [host, port] = h.domains[0]!.mx[0]!.addresses[0]!.split(':');
  const r = await run('swaks', [
    ...['--to', to, '--from', 'sender@mxlab.test', '--server', host!, '--port', port!],
    ...['--quit-after', 'RCPT', '--timeout', '20'],
  ]);
  const ex = parseSwaks(r.stdout + r.stderr);
  return (replyTo(ex, 'RCPT TO') ?? ex[0])?.text;
}

describe('serve control API', () => {
  it('lists the fleet, windows and counters', async () => {
    const fleet = await call('GET', '/fleet');
    expect(fleet.status).toBe(200);
    expect((fleet.json.domains as { domain: string }[]).map((d) => d.domain)).toContain('gmail.com');
    const windows = await call('GET', '/windows');
    expect(windows.json).toEqual([{ profile: 'gmail', windows: [] }]);
    const counters = await call('GET', '/counters');
    expect(counters.json).toMatchObject({ received: 0, fleet: { connections: 0 } });
  });

  it('starts and ends an outage now, replaces a RCPT reply, puts and clears a fault', async () => {
    expect(await rcpt('a@gmail.com')).toBe('250 2.1.5 OK - gsmtp');
    const outage = await call('POST', '/outage', { domain: 'gmail.com' });
    expect(outage.status).toBe(200);
    expect(await rcpt('a@gmail.com')).toBe('451 4.7.0 a@gmail.com: temporary outage (mxlab control API)');
    const listed = (await call('GET', '/windows')).json as unknown as { windows: { id: string }[] }[];
    expect(listed[0]!.windows.map((w) => w.id)).toEqual([outage.json.id]);
    expect((await call('DELETE', `/outage/${outage.json.id}`)).status).toBe(200);
    expect(await rcpt('a@gmail.com')).toBe('250 2.1.5 OK - gsmtp');

    await call('PUT', '/script/gmail.com', { phase: 'rcpt', reply: '550 5.7.1 <rcpt>: blocked by policy' });
    await call('PUT', '/script/gmail.com', { phase: 'rcpt', reply: '552 5.2.2 <rcpt>: over quota' });
    expect(await rcpt('b@gmail.com')).toBe('552 5.2.2 b@gmail.com: over quota');
    expect((await call('DELETE', '/script/gmail.com')).json).toEqual({ removed: 1 });
    expect(await rcpt('b@gmail.com')).toBe('250 2.1.5 OK - gsmtp');

    const fault = await call('POST', '/fault', {
      domain: 'gmail.com',
      kind: 'greeting-421',
      text: '421 4.3.2 maintenance',
    });
    expect(fault.json).toMatchObject({ fault: 'greeting-421' });
    expect(await rcpt('c@gmail.com')).toBe('421 4.3.2 maintenance');
    await call('DELETE', '/fault/gmail.com');
    expect(await rcpt('c@gmail.com')).toBe('250 2.1.5 OK - gsmtp');
    const counters = (await call('GET', '/counters')).json as {
      replies: number;
      fleet: { connections: number };
    };
    expect(counters.fleet.connections).toBeGreaterThanOrEqual(7);
    expect(counters.replies).toBeGreaterThan(0);
  }, 90_000);

  it('answers 404 for an unknown domain and 400 for a bad body', async () => {
    expect((await call('POST', '/outage', { domain: 'nowhere.example' })).status).toBe(404);
    expect((await call('POST', '/outage', { domain: 'gmail.com', phase: 'later' })).json).toEqual({
      error: 'phase: expected one of connect, ehlo, mail, rcpt, data',
    });
    expect((await call('POST', '/fault', { domain: 'gmail.com', kind: 'explode' })).status).toBe(400);
  });
});
