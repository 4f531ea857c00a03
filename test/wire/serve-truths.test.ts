/**
 * A user's own addresses play truths in serve (issue #22): a window that hits truth `valid` only
 * (as the shipped Apple outage does) answers 250 to a stranger, and its outage reply to an address
 * the truth file lists or one named `truth-valid-…@`. Driven by swaks against an in-process serve.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIspProfiles } from '../../simulators/index.ts';
import { type ServeHandle, startServe } from '../../simulators/wire/serve.ts';
import { scaledWallClock } from '../../simulators/wire/wall-clock.ts';
import { parseSwaks, replyTo, run } from './serve-harness.ts';

let h: ServeHandle;

beforeAll(async () => {
  const swaks = await run('sh', ['-c', 'command -v swaks']);
  if (swaks.code !== 0)
    throw new Error('swaks is not installed: apt-get install -y swaks (CI: .ci/run installs it)');
  const gmail = loadIspProfiles().find((p) => p.name === 'gmail')!;
  const outage = {
    ...gmail,
    random: [],
    windows: [
      {
        name: 'valid-only-outage',
        from: 0,
        to: 86_400_000,
        action: 'reply' as const,
        phase: 'rcpt' as const,
        reply: '451 4.7.0 <rcpt>: outage for valid recipients',
        truths: ['valid' as const],
        probability: 1,
      },
    ],
  };
  h = await startServe({
    profiles: [outage],
    truths: new Map([['listed@gmail.com', 'valid' as const]]),
    seed: 1,
    clock: scaledWallClock({ speed: 1, startAtMs: 60_000 }),
    latencyScale: 0,
  });
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('serve: outage windows reach the addresses a user names', () => {
  it('a stranger gets 250; a listed address and truth-valid-… get the outage', async () => {
    const [host, port] = h.domains[0]!.mx[0]!.addresses[0]!.split(':');
    const rcpt = async (to: string) => {
      const r = await run('swaks', [
        ...['--to', to, '--from', 'sender@mxlab.test', '--server', host!, '--port', port!],
        ...['--quit-after', 'RCPT', '--timeout', '20'],
      ]);
      return replyTo(parseSwaks(r.stdout + r.stderr), 'RCPT TO')?.text;
    };
    expect(await rcpt('me@gmail.com')).toBe('250 2.1.5 OK - gsmtp');
    expect(await rcpt('listed@gmail.com')).toBe('451 4.7.0 listed@gmail.com: outage for valid recipients');
    expect(await rcpt('truth-valid-me@gmail.com')).toBe(
      '451 4.7.0 truth-valid-me@gmail.com: outage for valid recipients',
    );
  }, 60_000);
});
