/**
 * serve's follow-ups back through a real Postfix (issue #22 item 3): a private Postfix relays a few
 * recipients through `mxlab serve`, whose follow-ups (the DSN of an accepted-then-bounced address,
 * auto-replies, an ARF complaint) go back over SMTP to Postfix's smtpd (`returnTo`), and Postfix
 * delivers them, with its own DSN for the address rejected at RCPT, to the sender's mailbox (a sink).
 * Recipient by recipient, Postfix's outcome (sent / deferred / bounced, with serve's reply text) equals
 * the reply an in-process world (same profiles, truths and seed, no sockets) gives the same message,
 * and what `inMail` reads in the sender's mailbox (kind, recipient, qualification, and the original
 * Message-ID it is matched by) equals what it reads in that in-process world's technical mailbox.
 *
 * Without Postfix (or not root) this skips LOUDLY outside CI; in CI (CI=true) it fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMail } from '../../core/inmail/index.ts';
import { createQualifier } from '../../node/index.ts';
import { createInProcessWorld, type IspProfile, loadIspProfiles } from '../../simulators/index.ts';
import { type ServeHandle, startServe } from '../../simulators/wire/serve.ts';
import { formatRoutingMap } from '../../simulators/wire/serve-maps.ts';
import { serveTruths } from '../../simulators/wire/serve-truths.ts';
import { scaledWallClock } from '../../simulators/wire/wall-clock.ts';
import {
  type PostfixInstance,
  postfixOutcomes,
  postfixUnavailable,
  startPostfix,
} from './postfix-harness.ts';
import { run } from './serve-harness.ts';

const unavailable = postfixUnavailable();
if (unavailable && process.env.CI !== 'true')
  console.warn(`\n*** SKIPPING the Postfix follow-up round trip: ${unavailable} ***\n`);

function freeTcpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const SENDER = 'sender@mxlab.test';
/** accepted and quiet, auto-replies (magic and truth), a complaint, accept-then-bounce, RCPT rejections */
const RECIPIENTS = [
  'alice@gmail.com',
  'ooto@gmail.com',
  'truth-autoResponder-carol@gmail.com',
  'complaint@gmail.com',
  'truth-unknown-gone@bounce-domain.test',
  'bounce@gmail.com',
  'tempfail@gmail.com',
];
const messageIdOf = (k: number) => `<pf-follow-up-${k}@mxlab.test>`;

/** gmail without random replies, and a catch-all that accepts every unknown address then bounces it */
function profiles(): IspProfile[] {
  const shipped = loadIspProfiles();
  const gmail = { ...shipped.find((p) => p.name === 'gmail')!, random: [] };
  const generic = shipped.find((p) => p.name === 'generic')!;
  const bouncing = {
    ...generic,
    random: [],
    acceptThenBounce: {
      ...generic.acceptThenBounce!,
      probability: 1,
      delay: { medianMs: 1, sigma: 0, maxMs: 1 },
    },
  };
  return [gmail, bouncing];
}

type Outcome = 'sent' | 'deferred' | 'bounced';
const outcomeOf = (reply: string): Outcome =>
  reply.startsWith('2') ? 'sent' : reply.startsWith('4') ? 'deferred' : 'bounced';

/** The in-process world's reply to each recipient and the follow-ups its mailbox holds afterwards. */
async function inProcess(): Promise<{
  replies: Map<string, string>;
  mails: { source: string; data: Buffer }[];
}> {
  let now = 0;
  const world = createInProcessWorld({
    population: serveTruths(null),
    profiles: profiles(),
    seed: 1,
    clock: { now: () => now },
  });
  const replies = new Map<string, string>();
  for (const [k, to] of RECIPIENTS.entries()) {
    const domain = to.slice(to.indexOf('@') + 1);
    const mx = world.resolver.resolve(domain);
    if (!mx.ok) throw new Error(`${domain}: ${mx.text}`);
    const r = world.transport.send({
      localIp: '127.0.0.1',
      mxHost: mx.mx[0]!.host,
      mxIp: mx.mx[0]!.ips[0]!,
      domain,
      messages: [
        { id: k, deliveryId: 1, from: SENDER, to, domain, size: 1000, attempt: 1, messageId: messageIdOf(k) },
      ],
      timeouts: { connectMs: 300_000, commandMs: 300_000, dataMs: 600_000 },
    });
    const reply = r.sessionError ?? r.replies[0]!;
    expect(reply.transportError, `${to} in-process`).toBeUndefined();
    replies.set(to, reply.reply);
    now += 60_000;
  }
  // every follow-up delay of the profiles has passed a month later
  return { replies, mails: await world.mailbox.drain(now + 30 * 86_400_000) };
}

describe.skipIf(unavailable !== null && process.env.CI !== 'true')(
  "serve's follow-ups go back through Postfix to the sender",
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlab-postfix-fu-'));
    const mailbox: { from: string; to: string[]; data: Buffer }[] = [];
    let sink: SMTPServer;
    let h: ServeHandle;
    let pf: PostfixInstance | null = null;

    beforeAll(async () => {
      if (unavailable) throw new Error(`CI=true and no Postfix can run: ${unavailable}`);
      sink = new SMTPServer({
        authOptional: true,
        disabledCommands: ['AUTH', 'STARTTLS'],
        logger: false,
        onData(stream, session, cb) {
          const chunks: Buffer[] = [];
          stream.on('data', (b: Buffer) => chunks.push(b));
          stream.on('end', () => {
            const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            mailbox.push({
              from,
              to: session.envelope.rcptTo.map((r) => r.address),
              data: Buffer.concat(chunks),
            });
            cb();
          });
        },
      });
      await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
      const a = sink.server.address();
      const sinkPort = typeof a === 'object' && a ? a.port : 0;
      const pfPort = await freeTcpPort();
      h = await startServe({
        profiles: profiles(),
        seed: 1,
        // 100,000x: the profiles' follow-up delays (up to a day) pass in about a second
        clock: scaledWallClock({ speed: 100_000, startAtMs: 0 }),
        latencyScale: 0,
        bind: '127.0.0.1',
        logDir: join(dir, 'serve'),
        followUpEveryMs: 100,
        returnTo: { host: '127.0.0.1', port: pfPort },
      });
      // the sender's domain goes to the sink (its mailbox), every other to serve's map
      const transport = `/@mxlab\\.test$/\tsmtp:[127.0.0.1]:${sinkPort}\n${formatRoutingMap('postfix', h)}`;
      pf = startPostfix(join(dir, 'postfix'), pfPort, transport);
    }, 120_000);

    afterAll(async () => {
      pf?.stop();
      await h?.stop().catch(() => {});
      await new Promise<void>((resolve) => (sink ? sink.close(() => resolve()) : resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    it('each outcome is the in-process reply; inMail reads the same follow-ups, matched by Message-ID', async () => {
      const expected = await inProcess();
      for (const [k, to] of RECIPIENTS.entries()) {
        const r = await run('swaks', [
          ...['--to', to, '--from', SENDER, '--server', '127.0.0.1', '--port', String(pf!.port)],
          ...['--header', `Subject: follow-up round trip ${k}`, '--header', `Message-Id: ${messageIdOf(k)}`],
          ...['--timeout', '20'],
        ]);
        expect(r.code, `${to}: Postfix's smtpd took it\n${r.stdout}`).toBe(0);
      }
      const deadline = Date.now() + 60_000;
      let outcomes = postfixOutcomes(pf!.log());
      while (
        (RECIPIENTS.some((t) => !outcomes.has(t)) || mailbox.length < expected.mails.length) &&
        Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 250));
        outcomes = postfixOutcomes(pf!.log());
      }
      await new Promise((r) => setTimeout(r, 1500)); // anything more (a second bounce path) would come now

      // 2. recipient by recipient, Postfix's outcome and reply text are the in-process world's
      for (const to of RECIPIENTS) {
        const reply = expected.replies.get(to)!;
        const o = outcomes.get(to);
        expect(o, `${to}: no outcome in Postfix's log\n${pf!.log()}`).toBeDefined();
        expect(`${to} ${o!.status}`, o!.text).toBe(`${to} ${outcomeOf(reply)}`);
        if (outcomeOf(reply) !== 'sent') expect(o!.text).toContain(`said: ${reply.replace(/\r?\n/g, ' ')}`);
      }

      // 1. the sender's mailbox holds, through Postfix, what the in-process mailbox holds
      const inmail = createInMail({ qualifier: createQualifier({ mode: 'enhanced' }) });
      const read = async (mails: { source: string; data: Buffer }[]) => {
        const out: { what: string; messageId: string }[] = [];
        for (const m of mails)
          for (const r of await inmail.process(m))
            out.push({
              what: `${r.kind} ${r.recipient.toLowerCase()} ${r.qualification.type}/${r.qualification.reason}`,
              messageId: r.origin.messageId,
            });
        return out.sort((a, b) => a.what.localeCompare(b.what));
      };
      for (const m of mailbox) expect(m.to).toEqual([SENDER]);
      const viaPostfix = await read(mailbox.map((m, k) => ({ source: `sink-${k}`, data: m.data })));
      const wanted = await read(expected.mails);
      // one mail per follow-up, the same kind and qualification for the same recipient
      expect(viaPostfix.map((r) => r.what)).toEqual(wanted.map((r) => r.what));
      // each tied to its message by the Message-ID the client sent (not `<unknown-…@mxlab.invalid>`)
      const idOf = (to: string) => messageIdOf(RECIPIENTS.indexOf(to));
      expect(viaPostfix.map((r) => `${r.what.split(' ').slice(0, 2).join(' ')} ${r.messageId}`)).toEqual(
        [
          `arf complaint@gmail.com ${idOf('complaint@gmail.com')}`,
          `autoreply ooto@gmail.com ${idOf('ooto@gmail.com')}`,
          `autoreply truth-autoresponder-carol@gmail.com ${idOf('truth-autoResponder-carol@gmail.com')}`,
          `dsn bounce@gmail.com ${idOf('bounce@gmail.com')}`,
          `dsn truth-unknown-gone@bounce-domain.test ${idOf('truth-unknown-gone@bounce-domain.test')}`,
        ].sort(),
      );
      // the in-process world's follow-ups quote the same Message-IDs, except the DSN of a RCPT
      // rejection: there its brain stands for the sending MTA before DATA and never saw the message
      // (`<unknown-…@mxlab.invalid>`), while Postfix's own DSN quotes the message it queued
      const atRcpt = new Set(['dsn bounce@gmail.com hard/1']);
      expect(wanted.filter((r) => !atRcpt.has(r.what))).toEqual(
        viaPostfix.filter((r) => !atRcpt.has(r.what)),
      );
      expect(wanted.find((r) => atRcpt.has(r.what))?.messageId).toMatch(/^<unknown-\d+@mxlab\.invalid>$/);
      // serve returned its own follow-ups to Postfix, and left the RCPT rejections' bounces to it
      expect(h.counts).toMatchObject({ followUpsReturned: 4, followUpsLeftToMta: 1 });
    }, 180_000);
  },
);
