/**
 * A real MTA in front of `mxlab serve` (issue #22): Debian's Postfix with its own configuration in a
 * temporary directory relays recipients through serve, routed by serve's own `--map postfix` table
 * (`--bind 127.0.0.1`), and, recipient by recipient, Postfix's outcome (sent / deferred / bounced,
 * from its log, with the reply text) is the one serve's reply calls for; Postfix's own DSNs, caught
 * by a sink standing for the sender's mailbox, are read by inMail with the qualification inMail gives
 * the in-process world's DSN for the same reply.
 *
 * Without Postfix (or not root) this skips LOUDLY outside CI; in CI (CI=true) it fails.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMail } from '../../core/inmail/index.ts';
import { buildStore, readFiles } from '../../ingest/index.ts';
import { createQualifier } from '../../node/index.ts';
import { buildDsn, enhancedOf, loadIspProfiles } from '../../simulators/index.ts';
import { type ServeHandle, startServe } from '../../simulators/wire/serve.ts';
import { formatRoutingMap } from '../../simulators/wire/serve-maps.ts';
import { scaledWallClock } from '../../simulators/wire/wall-clock.ts';
import { expectConsistentStore } from '../consistency.ts';
import {
  type PostfixInstance,
  postfixOutcomes,
  postfixUnavailable,
  startPostfix,
} from './postfix-harness.ts';
import { run } from './serve-harness.ts';

const unavailable = postfixUnavailable();
if (unavailable && process.env.CI !== 'true')
  console.warn(`\n*** SKIPPING the Postfix round trip: ${unavailable} ***\n`);

function freeTcpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** recipient → the outcome its serve reply calls for */
const CASES: [string, 'sent' | 'deferred' | 'bounced'][] = [
  ['alice@gmail.com', 'sent'],
  ['bob@gmail.com', 'sent'],
  ['permfail@gmail.com', 'bounced'],
  ['bounce@gmail.com', 'bounced'],
  ['550-x@gmail.com', 'bounced'],
  ['tempfail@gmail.com', 'deferred'],
  ['451-y@gmail.com', 'deferred'],
  ['full@gmail.com', 'deferred'],
];

describe.skipIf(unavailable !== null && process.env.CI !== 'true')(
  'Postfix relays through mxlab serve',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlab-postfix-'));
    const dsns: Buffer[] = [];
    let sink: SMTPServer;
    let h: ServeHandle;
    let pf: PostfixInstance | null = null;

    beforeAll(async () => {
      if (unavailable) throw new Error(`CI=true and no Postfix can run: ${unavailable}`);
      sink = new SMTPServer({
        authOptional: true,
        disabledCommands: ['AUTH', 'STARTTLS'],
        logger: false,
        onData(stream, _session, cb) {
          const chunks: Buffer[] = [];
          stream.on('data', (b: Buffer) => chunks.push(b));
          stream.on('end', () => {
            dsns.push(Buffer.concat(chunks));
            cb();
          });
        },
      });
      await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
      const a = sink.server.address();
      const sinkPort = typeof a === 'object' && a ? a.port : 0;
      const gmail = { ...loadIspProfiles().find((p) => p.name === 'gmail')!, random: [] };
      h = await startServe({
        profiles: [gmail],
        seed: 1,
        clock: scaledWallClock({ speed: 1, startAtMs: 0 }),
        latencyScale: 0,
        bind: '127.0.0.1',
        logDir: join(dir, 'serve'),
      });
      // the sender's domain goes to the sink (its mailbox), every other to serve's map
      const transport = `/@mxlab\\.test$/\tsmtp:[127.0.0.1]:${sinkPort}\n${formatRoutingMap('postfix', h)}`;
      pf = startPostfix(join(dir, 'postfix'), await freeTcpPort(), transport);
    }, 120_000);

    afterAll(async () => {
      pf?.stop();
      await h?.stop().catch(() => {});
      await new Promise<void>((resolve) => (sink ? sink.close(() => resolve()) : resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    it("gives each recipient the outcome serve's reply calls for, and inMail qualifies its DSNs", async () => {
      for (const [to] of CASES) {
        const r = await run('swaks', [
          ...['--to', to, '--from', 'sender@mxlab.test', '--server', '127.0.0.1', '--port', String(pf!.port)],
          ...['--header', `Subject: postfix round trip ${to}`, '--timeout', '20'],
        ]);
        expect(r.code, `${to}: Postfix's smtpd took it\n${r.stdout}`).toBe(0);
      }
      const deadline = Date.now() + 90_000;
      let outcomes = postfixOutcomes(pf!.log());
      const bounced = CASES.filter(([, s]) => s === 'bounced').length;
      // every recipient's outcome and every DSN (the log's map has one entry per recipient)
      while ((CASES.some(([t]) => !outcomes.has(t)) || dsns.length < bounced) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        outcomes = postfixOutcomes(pf!.log());
      }
      const qualifier = createQualifier({ mode: 'enhanced' });
      for (const [to, status] of CASES) {
        const o = outcomes.get(to);
        expect(o, `${to}: no outcome in Postfix's log\n${pf!.log()}`).toBeDefined();
        expect(o!.status, `${to}: ${o!.text}`).toBe(status);
      }
      // Postfix's reply text is serve's (multi-line replies joined with spaces)
      expect(outcomes.get('permfail@gmail.com')!.text).toContain(
        'said: 500 5.0.0 permfail@gmail.com: permanent failure requested by local part (in reply to RCPT TO command)',
      );
      expect(outcomes.get('tempfail@gmail.com')!.text).toContain('said: 400 4.0.0 tempfail@gmail.com');
      // one DSN per bounced recipient, from Postfix (serve adds none for RCPT rejections)
      const inmail = createInMail({ qualifier });
      const read = new Map<string, { type: string; reason: number }>();
      for (const [k, d] of dsns.entries())
        for (const r of await inmail.process({ source: `postfix-dsn-${k}`, data: d }))
          if (r.kind === 'dsn')
            read.set(r.recipient, { type: r.qualification.type, reason: r.qualification.reason });
      expect([...read.keys()].sort()).toEqual(
        CASES.filter(([, s]) => s === 'bounced')
          .map(([t]) => t)
          .sort(),
      );
      // the in-process run's DSN for the same reply (the world's own builder), through the same inMail
      for (const [to] of CASES.filter(([, s]) => s === 'bounced')) {
        const said = /said: (.*) \(in reply to/.exec(outcomes.get(to)!.text)![1]!;
        const simulated = await buildDsn({
          kind: 'dsn',
          atMs: 60_000,
          isp: 'gmail',
          reportingMta: 'mx.google.com',
          from: 'sender@mxlab.test',
          to,
          messageId: '',
          sentAtMs: 0,
          status: enhancedOf(said),
          diagnostic: said,
          remoteMta: 'gmail-smtp-in.l.google.com',
          sourceIp: '127.0.0.1',
          subject: '',
          text: '',
        });
        const [r] = await inmail.process({ source: `in-process-${to}`, data: simulated });
        expect(read.get(to), `${to}: ${said}`).toEqual({
          type: r!.qualification.type,
          reason: r!.qualification.reason,
        });
      }
      expect(h.counts.followUpsLeftToMta).toBe(0); // the bounce@ DSN is not due yet; it will be left
    }, 180_000);

    it("mxlab ingest reads Postfix's own log of that relay: every recipient's last attempt as Postfix logged it", async () => {
      const log = join(dir, 'maillog');
      writeFileSync(log, pf!.log());
      const read = await readFiles('postfix', [log]);
      expect(read.malformed, JSON.stringify(read.bad)).toBe(0);
      const outcomes = postfixOutcomes(pf!.log());
      const logged = { sent: 'delivered', deferred: 'deferred', bounced: 'bounced' } as const;
      for (const [to, status] of CASES) {
        const last = read.records.filter((r) => r.recipient === to).at(-1);
        expect(last?.status, `${to} in the ingested log`).toBe(logged[status]);
        if (status !== 'sent') expect(outcomes.get(to)!.text).toContain(last!.text);
      }
      const out = join(dir, 'ingested');
      const built = await buildStore(out, read.records, read.initial, {
        mode: 'legacy',
        format: 'postfix',
        sources: [log],
      });
      expect(built.attempts).toBe(read.records.length);
      await expectConsistentStore(out);
    }, 60_000);
  },
);
