/**
 * What serve writes about a session can be joined to the messages (issue #22): every line of
 * replies.jsonl names its session, the recipient a RCPT reply answers, whether the session was under
 * STARTTLS, and at DATA the recipients and Message-ID; received.jsonl names the same session.
 * Driven by swaks against an in-process serve.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIspProfiles } from '../../simulators/index.ts';
import { type ServeHandle, startServe } from '../../simulators/wire/serve.ts';
import { scaledWallClock } from '../../simulators/wire/wall-clock.ts';
import { run } from './serve-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'mxlab-serve-logs-'));
let h: ServeHandle;

beforeAll(async () => {
  const swaks = await run('sh', ['-c', 'command -v swaks']);
  if (swaks.code !== 0)
    throw new Error('swaks is not installed: apt-get install -y swaks (CI: .ci/run installs it)');
  h = await startServe({
    profiles: loadIspProfiles().filter((p) => p.name === 'gmail'),
    seed: 1,
    clock: scaledWallClock({ speed: 1, startAtMs: 0 }),
    latencyScale: 0,
    logDir: dir,
  });
}, 60_000);

afterAll(async () => {
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function jsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('replies.jsonl and received.jsonl join on session, recipient and Message-ID', () => {
  it('names the session, the recipient, the phase and TLS on every reply', async () => {
    const [host, port] = h.domains[0]!.mx[0]!.addresses[0]!.split(':');
    const swaks = (to: string[], extra: string[]) =>
      run('swaks', [
        ...['--to', to.join(','), '--from', 'sender@mxlab.test', '--helo', 'mta.mxlab.test'],
        ...['--server', host!, '--port', port!, '--timeout', '20'],
        ...extra,
      ]);
    // one plain session with an accepted and a rejected recipient, one TLS session
    expect((await swaks(['a@gmail.com', 'permfail@gmail.com'], [])).code).toBe(0);
    expect((await swaks(['b@gmail.com'], ['--tls'])).code).toBe(0);
    await h.stop();
    const replies = jsonl(join(dir, 'replies.jsonl'));
    const sessions = [...new Set(replies.map((r) => r.session))];
    expect(sessions).toHaveLength(2);
    for (const r of replies) expect(r.session).toMatch(/^127\.\d+\.\d+\.\d+-\w+$/);
    const rcpt = replies.filter((r) => r.phase === 'rcpt');
    expect(rcpt.map((r) => [r.recipient, String(r.reply).slice(0, 3), r.tls])).toEqual([
      ['a@gmail.com', '250', false],
      ['permfail@gmail.com', '500', false],
      ['b@gmail.com', '250', true],
    ]);
    expect(replies.filter((r) => r.phase === 'connect').every((r) => r.tls === false)).toBe(true);
    const data = replies.filter((r) => r.phase === 'data');
    expect(data.map((r) => [r.recipients, r.tls])).toEqual([
      [['a@gmail.com'], false],
      [['b@gmail.com'], true],
    ]);
    const received = jsonl(join(dir, 'received.jsonl'));
    expect(received.map((m) => [m.to, m.session, m.messageId, m.tls])).toEqual([
      ['a@gmail.com', data[0]!.session, data[0]!.messageId, false],
      ['b@gmail.com', data[1]!.session, data[1]!.messageId, true],
    ]);
    expect(data[0]!.messageId).toMatch(/^<.+@.+>$/);
  }, 60_000);
});
