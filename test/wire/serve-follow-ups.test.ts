/**
 * serve's follow-ups are about the real message and go back to the sender's MTA (issue #22): a DSN
 * of accept-then-bounce, an auto-reply and an ARF report quote the Message-ID, Subject and Date the
 * client sent and travel over SMTP to the `returnTo` server (here an smtp-server sink standing for
 * the user's MTA), to the original envelope sender, from `<>` (DSN, auto-reply) or the feedback
 * loop; a recipient rejected at RCPT gets no DSN from serve (its MTA writes one: one bounce path).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMail } from '../../core/inmail/index.ts';
import { createQualifier } from '../../node/index.ts';
import { loadIspProfiles } from '../../simulators/index.ts';
import type { RecipientTruth } from '../../simulators/population/truth.ts';
import { type ServeHandle, startServe } from '../../simulators/wire/serve.ts';
import { scaledWallClock } from '../../simulators/wire/wall-clock.ts';
import { run } from './serve-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'mxlab-serve-follow-ups-'));
interface Got {
  from: string;
  to: string[];
  data: Buffer;
}
const got: Got[] = [];
let sink: SMTPServer;
let sinkPort = 0;
let h: ServeHandle;

const unknown: RecipientTruth = {
  kind: 'unknown',
  recoversAtMs: 0,
  complainer: false,
  complaintProbability: 0,
  complaintDelayMs: 0,
  initialStatus: 'valid',
  priorErrorText: '',
  controlGroup: false,
};

beforeAll(async () => {
  const swaks = await run('sh', ['-c', 'command -v swaks']);
  if (swaks.code !== 0)
    throw new Error('swaks is not installed: apt-get install -y swaks (CI: .ci/run installs it)');
  sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (b: Buffer) => chunks.push(b));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        got.push({ from, to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const a = sink.server.address();
  sinkPort = typeof a === 'object' && a ? a.port : 0;
  const shipped = loadIspProfiles();
  const gmail = shipped.find((p) => p.name === 'gmail')!;
  const generic = shipped.find((p) => p.name === 'generic')!;
  // every unknown recipient of the catch-all is accepted, then bounced a millisecond later
  const bouncing = {
    ...generic,
    acceptThenBounce: {
      ...generic.acceptThenBounce!,
      probability: 1,
      delay: { medianMs: 1, sigma: 0, maxMs: 1 },
    },
  };
  h = await startServe({
    profiles: [gmail, bouncing],
    population: { truthOf: (a: string) => (a.startsWith('gone@') ? unknown : null) },
    seed: 1,
    // 100,000x: the profiles' follow-up delays (up to a day) pass in about a second
    clock: scaledWallClock({ speed: 100_000, startAtMs: 0 }),
    latencyScale: 0,
    logDir: dir,
    followUpEveryMs: 100,
    returnTo: { host: '127.0.0.1', port: sinkPort },
  });
}, 60_000);

afterAll(async () => {
  await h?.stop().catch(() => {});
  await new Promise<void>((resolve) => sink?.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function jsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('serve follow-ups go back to the MTA, about the real message', () => {
  it('DSN, auto-reply and ARF quote the message and reach the return server; a RCPT rejection gets none', async () => {
    const at = (domain: string) =>
      h.domains.find((d) => d.domain === domain)!.mx[0]!.addresses[0]!.split(':');
    const send = (to: string, n: number) => {
      const [host, port] = at(to.endsWith('@gmail.com') ? 'gmail.com' : '*');
      return run('swaks', [
        ...['--to', to, '--from', 'campaign@sender.test', '--helo', 'mta.sender.test'],
        ...['--server', host!, '--port', port!, '--timeout', '20'],
        ...['--header', `Subject: Spring sale ${n}`, '--header', `Message-Id: <msg-${n}@sender.test>`],
        ...['--header', 'Date: Mon, 07 Dec 2026 03:00:0' + n + ' +0000'],
      ]);
    };
    expect((await send('gone@bounce-domain.test', 1)).code).toBe(0); // accepted, then bounced
    expect((await send('ooto@gmail.com', 2)).code).toBe(0);
    expect((await send('complaint@gmail.com', 3)).code).toBe(0);
    expect((await send('bounce@gmail.com', 4)).code).not.toBe(0); // 550 at RCPT
    const deadline = Date.now() + 30_000;
    while (got.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500)); // anything more (a DSN for bounce@) would come now
    await h.stop();
    expect(got).toHaveLength(3);
    for (const g of got) expect(g.to).toEqual(['campaign@sender.test']);
    const inmail = createInMail({ qualifier: createQualifier({ mode: 'enhanced' }) });
    const read: string[] = [];
    for (const [k, g] of got.entries()) {
      const text = g.data.toString('latin1');
      const n = /<msg-(\d)@sender\.test>/.exec(text)?.[1];
      expect(n, text).toBeDefined();
      expect(text).toContain(`Spring sale ${n}`);
      for (const r of await inmail.process({ source: `returned-${k}`, data: g.data }))
        read.push(`${r.kind} ${r.recipient} ${g.from === '' ? '<>' : g.from.replace(/@.*/, '@')} ${n}`);
      if (n !== '2') expect(text).toContain(`Date: Mon, 07 Dec 2026 03:00:0${n} +0000`);
      expect(text).not.toMatch(/Your newsletter|unknown-\d+@mxlab\.invalid/);
    }
    expect(read.sort()).toEqual([
      'arf complaint@gmail.com fbl@ 3',
      'autoreply ooto@gmail.com <> 2',
      'dsn gone@bounce-domain.test <> 1',
    ]);
    const log = jsonl(join(dir, 'follow-ups.jsonl'));
    expect(log.map((l) => [l.recipient, l.via]).sort()).toEqual([
      ['bounce@gmail.com', 'none'],
      ['complaint@gmail.com', 'smtp'],
      ['gone@bounce-domain.test', 'smtp'],
      ['ooto@gmail.com', 'smtp'],
    ]);
    expect(h.counts).toMatchObject({ followUps: 3, followUpsReturned: 3, followUpsLeftToMta: 1 });
  }, 90_000);
});
