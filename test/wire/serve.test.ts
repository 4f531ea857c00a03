/**
 * `mxlab serve` as a user runs it: a child process driven by real SMTP clients, swaks and Postfix's
 * smtp-source (fetched by scripts/setup-postfix-tools.sh; without apt these tests FAIL with the
 * reason, they never skip). The replies the clients receive must be the profile's script (magic local
 * parts, strangers accepted, the population's unknown users, a scenario's outage window on the wall
 * clock), the JSONL logs must count what was sent, and SIGTERM must stop everything with exit 0 and
 * free every port.
 */
import { X509Certificate } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMail } from '../../core/inmail/index.ts';
import { createQualifier } from '../../node/index.ts';
import { loadScenario, planOf, planPopulation } from '../../runner/index.ts';
import { WireResolver } from '../../simulators/wire/dns-resolver.ts';
import {
  parseSwaks,
  portFree,
  ROOT,
  replyTo,
  run,
  type Served,
  startServe,
  stopServe,
} from './serve-harness.ts';

const FIXTURE = join(ROOT, 'test/wire/fixtures/serve-window.yaml');
const dir = mkdtempSync(join(tmpdir(), 'mxlab-serve-'));
const children: Served[] = [];
let postfixBin = '';

beforeAll(async () => {
  const swaks = await run('sh', ['-c', 'command -v swaks']);
  if (swaks.code !== 0)
    throw new Error('swaks is not installed: apt-get install -y swaks (CI: .ci/run installs it)');
  const setup = await run('bash', [join(ROOT, 'scripts/setup-postfix-tools.sh')], 180_000);
  if (setup.code !== 0)
    throw new Error(
      `scripts/setup-postfix-tools.sh could not get Postfix's smtp-source (needs apt): ${setup.stderr.trim()}`,
    );
  postfixBin = setup.stdout.trim().split('\n').at(-1)!;
}, 200_000);

afterAll(async () => {
  for (const c of children) await stopServe(c, 'SIGKILL').catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

async function serve(args: string[]): Promise<Served> {
  const s = await startServe(args);
  children.push(s);
  return s;
}

function swaks(to: string, at: { ip: string; port: number }, extra: string[] = []) {
  return run('swaks', [
    '--to',
    to,
    '--from',
    'sender@mxlab.test',
    '--helo',
    'mta.mxlab.test',
    '--server',
    at.ip,
    '--port',
    String(at.port),
    '--timeout',
    '20',
    ...extra,
  ]);
}

function jsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Stops the child with `signal`, expects exit 0 and every port (MX TCP, DNS UDP) free again. */
async function stopAndCheck(s: Served, signal: NodeJS.Signals): Promise<void> {
  expect(await stopServe(s, signal)).toBe(0);
  expect(s.stderr()).toMatch(new RegExp(`${signal}, stopped`));
  for (const m of s.mx) for (const a of m.addresses) expect(await portFree(a.ip, a.port)).toBe(true);
  const udp = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(s.dnsPort, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((resolve) => udp.close(() => resolve()));
}

describe('mxlab serve gmail, driven by swaks', () => {
  let s: Served;
  const log = join(dir, 'gmail');
  beforeAll(async () => {
    s = await serve(['gmail', '--log', log, '--seed', '1', '--latency-scale', '0']);
  }, 90_000);

  it('prints domain → MX → address:port, and its DNS server answers the same', async () => {
    const gmail = s.mx.filter((m) => m.domain === 'gmail.com');
    expect(gmail.map((m) => m.preference)).toEqual([5, 10, 20, 30, 40]);
    expect(gmail[0]!.host).toBe('gmail-smtp-in.l.google.com');
    expect(gmail[0]!.addresses).toHaveLength(2);
    for (const m of s.mx)
      for (const a of m.addresses) {
        expect(a.ip).toMatch(/^127\.\d+\.\d+\.\d+$/);
        expect(a.port).toBeGreaterThan(0);
      }
    expect(s.mx.some((m) => m.domain === 'googlemail.com')).toBe(true);
    expect(s.stdout).toMatch(new RegExp(`dig @127\\.0\\.0\\.1 -p ${s.dnsPort} MX gmail\\.com`));
    const resolver = new WireResolver({ port: s.dnsPort });
    const r = await resolver.resolve('gmail.com');
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.mx.map((h) => [h.preference, h.host, h.ips])).toEqual(
        gmail.map((m) => [m.preference, m.host, m.addresses.map((a) => a.ip)]),
      );
    // only the served profile exists: any other domain is NXDOMAIN
    const nx = await resolver.resolve('yahoo.com');
    expect(nx.ok).toBe(false);
    if (!nx.ok) expect(nx.error).toBe('nxdomain');
  }, 30_000);

  it('answers each magic local part and a stranger as the profile scripts them', async () => {
    const at = s.mx[0]!.addresses[0]!;
    const cases: [string, number, string][] = [
      ['someone', 250, '250 2.1.5 OK - gsmtp'],
      ['permfail', 500, '500 5.0.0 permfail@gmail.com: permanent failure requested by local part'],
      ['tempfail', 400, '400 4.0.0 tempfail@gmail.com: temporary failure requested by local part'],
      ['550-x', 550, '550 5.0.0 550-x@gmail.com: reply 550 requested by local part'],
      ['451-y', 451, '451 4.0.0 451-y@gmail.com: reply 451 requested by local part'],
      ['full', 452, '452 4.2.2 full@gmail.com: mailbox is full'],
    ];
    for (const [local, code, text] of cases) {
      const r = await swaks(`${local}@gmail.com`, at);
      const ex = parseSwaks(r.stdout + r.stderr);
      expect(ex[0], `${local}: greeting`).toMatchObject({
        code: 220,
        text: '220 mx.google.com ESMTP - gsmtp',
      });
      expect(replyTo(ex, 'MAIL FROM'), local).toMatchObject({ code: 250, text: '250 2.1.0 OK - gsmtp' });
      expect(replyTo(ex, 'RCPT TO'), local).toMatchObject({ code, text });
      if (code === 250) {
        expect(r.code).toBe(0);
        expect(ex.find((e) => e.command === '.')).toMatchObject({ code: 250, text: '250 2.0.0 OK - gsmtp' });
      } else expect(r.code).not.toBe(0);
    }
  }, 90_000);

  it("speaks STARTTLS with the certificate it made at start (not smtp-server's bundled one)", async () => {
    const peerCert = join(dir, 'peer-cert.pem');
    const r = await swaks('tls-user@gmail.com', s.mx[0]!.addresses[1]!, [
      '--tls',
      '--tls-get-peer-cert',
      peerCert,
    ]);
    expect(r.code).toBe(0);
    const ex = parseSwaks(r.stdout + r.stderr);
    expect(replyTo(ex, 'STARTTLS')?.code).toBe(220);
    expect(r.stdout).toMatch(/TLS started/);
    expect(ex.find((e) => e.command === '.')?.text).toBe('250 2.0.0 OK - gsmtp');
    // the certificate swaks got is the one the map announces, and self-signed for CN=mxlab fake MX
    const announced = /^tls: .* sha256 ([0-9A-F:]+),/m.exec(s.stdout)?.[1];
    const got = new X509Certificate(readFileSync(peerCert));
    expect(got.fingerprint256).toBe(announced);
    expect(got.subject).toBe('CN=mxlab fake MX');
    expect(got.verify(got.publicKey)).toBe(true);
    expect(Date.parse(got.validFrom)).toBeLessThan(Date.now());
    expect(Date.parse(got.validTo)).toBeGreaterThan(Date.now() + 7 * 86_400_000);
  }, 60_000);

  it('stops on SIGINT with exit 0, every port free, and logs what it received and replied', async () => {
    await stopAndCheck(s, 'SIGINT');
    const received = jsonl(join(log, 'received.jsonl'));
    expect(received.map((m) => m.to).sort()).toEqual(['someone@gmail.com', 'tls-user@gmail.com']);
    const rcpt = jsonl(join(log, 'replies.jsonl')).filter((e) => e.phase === 'rcpt');
    const dns = jsonl(join(log, 'dns.jsonl')).map((q) => [q.name, q.type, q.rcode]);
    expect(dns).toContainEqual(['gmail.com', 'MX', 0]);
    expect(dns).toContainEqual(['yahoo.com', 'MX', 3]);
    // six magic/stranger cases and the TLS stranger: one RCPT reply each
    expect(rcpt.map((e) => String(e.reply).slice(0, 3)).sort()).toEqual([
      '250',
      '250',
      '400',
      '451',
      '452',
      '500',
      '550',
    ]);
  }, 60_000);
});

describe('mxlab serve: follow-ups into the Maildir of --log', () => {
  it('writes the auto-reply and the ARF complaint as they fall due, and inMail reads them', async () => {
    const log = join(dir, 'follow-ups');
    // at 100,000x the profile's follow-up delays (up to a day) pass in under a second
    const s = await serve([
      'gmail',
      '--log',
      log,
      '--seed',
      '1',
      '--latency-scale',
      '0',
      '--speed',
      '100000',
    ]);
    expect(s.stdout).toContain(
      `follow-ups (DSNs, ARF complaints, auto-replies): ${join(log, 'maildir')}/new`,
    );
    const at = s.mx.find((m) => m.domain === 'gmail.com')!.addresses[0]!;
    for (const to of ['ooto@gmail.com', 'complaint@gmail.com', 'someone@gmail.com'])
      expect((await swaks(to, at)).code).toBe(0);
    const box = join(log, 'maildir', 'new');
    const deadline = Date.now() + 20_000;
    while (readdirSync(box).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const inmail = createInMail({ qualifier: createQualifier({ mode: 'enhanced' }) });
    const read: string[] = [];
    for (const f of readdirSync(box).sort())
      for (const r of await inmail.process({ source: f, data: readFileSync(join(box, f)) }))
        read.push(`${r.kind} ${r.recipient}`);
    // one follow-up each for the two magic local parts, none for the plain recipient
    expect(read.sort()).toEqual(['arf complaint@gmail.com', 'autoreply ooto@gmail.com']);
    await stopAndCheck(s, 'SIGTERM');
    expect(s.stderr()).toMatch(/, 2 follow-ups written, 0 not due yet/);
  }, 90_000);
});

describe('mxlab serve SCENARIO, driven by smtp-source and swaks', () => {
  let s: Served;
  const log = join(dir, 'scenario');
  beforeAll(async () => {
    s = await serve([FIXTURE, '--log', log, '--latency-scale', '0']);
  }, 90_000);

  it("answers the scenario population's unknown users with the profile's multi-line reply", async () => {
    const population = planPopulation(planOf(loadScenario(FIXTURE)));
    let unknown = '';
    for (let i = 0; i < population.size && unknown === ''; i++) {
      const r = population.recipient(i);
      if (r.domain === 'gmail.com' && r.truth.kind === 'unknown') unknown = r.address;
    }
    expect(unknown).not.toBe('');
    const r = await swaks(unknown, s.mx[0]!.addresses[0]!);
    const rcpt = replyTo(parseSwaks(r.stdout + r.stderr), 'RCPT TO');
    expect(rcpt?.code).toBe(550);
    expect(rcpt?.text.split('\n')).toHaveLength(4);
    expect(rcpt?.text).toMatch(/^550-5\.1\.1 The email account that you tried to reach does not exist/);
  }, 60_000);

  it('takes smtp-source load: 200 messages over 4 sessions, all accepted', async () => {
    const a = s.mx[0]!.addresses[0]!;
    const r = await run(join(postfixBin, 'smtp-source'), [
      ...['-s', '4', '-m', '200', '-d', '-l', '512', '-M', 'mta.mxlab.test'],
      ...['-f', 'sender@mxlab.test', '-t', 'load@gmail.com', `${a.ip}:${a.port}`],
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  it("smtp-source gets the script's rejection (and stops on it without -A)", async () => {
    const a = s.mx[0]!.addresses[1]!;
    const r = await run(join(postfixBin, 'smtp-source'), [
      '-m',
      '1',
      '-t',
      'permfail@gmail.com',
      `${a.ip}:${a.port}`,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('500 5.0.0 permfail@gmail.com: permanent failure requested by local part');
    const t = await run(join(postfixBin, 'smtp-source'), [
      ...['-A', '-s', '2', '-m', '20', '-t', 'tempfail@gmail.com', `${a.ip}:${a.port}`],
    ]);
    expect(t.code).toBe(0);
  }, 60_000);

  it('stops on SIGTERM with exit 0, every port free; the logs count the messages and replies', async () => {
    await stopAndCheck(s, 'SIGTERM');
    const received = jsonl(join(log, 'received.jsonl'));
    expect(received.filter((m) => m.to === 'load@gmail.com')).toHaveLength(200);
    expect(received).toHaveLength(200);
    const rcpt = jsonl(join(log, 'replies.jsonl')).filter((e) => e.phase === 'rcpt');
    expect(rcpt.filter((e) => String(e.reply).startsWith('250'))).toHaveLength(200);
    expect(rcpt.filter((e) => String(e.reply).startsWith('400 4.0.0 tempfail@gmail.com'))).toHaveLength(20);
    expect(rcpt.filter((e) => String(e.reply).startsWith('500 5.0.0 permfail@gmail.com'))).toHaveLength(1);
    expect(rcpt.filter((e) => String(e.reply).startsWith('550-5.1.1'))).toHaveLength(1);
    expect(rcpt).toHaveLength(222);
  }, 60_000);
});

describe('mxlab serve SCENARIO: the outage window follows the wall clock (--at, --speed)', () => {
  const WINDOW_FROM = 3_600_000; // day1 01:00
  it('answers 250 before day1 01:00 and the outage reply from then on', async () => {
    const log = join(dir, 'window');
    // run time starts at 00:59:40 and runs 4x: the window opens about 5 s of wall time after start
    const s = await serve([
      FIXTURE,
      '--log',
      log,
      '--latency-scale',
      '0',
      '--at',
      'day1 00:59:40',
      '--speed',
      '4',
    ]);
    const at = s.mx[0]!.addresses[0]!;
    let outage: string | undefined;
    for (let i = 0; i < 60 && outage === undefined; i++) {
      const r = await swaks(`poll${i}@gmail.com`, at, ['--quit-after', 'RCPT']);
      const rcpt = replyTo(parseSwaks(r.stdout + r.stderr), 'RCPT TO');
      if (rcpt?.code === 451) outage = rcpt.text;
      else {
        expect(rcpt?.code).toBe(250);
        await new Promise((res) => setTimeout(res, 250));
      }
    }
    expect(outage).toMatch(/^451 4\.7\.0 poll\d+@gmail\.com: temporary outage, try again later$/);
    await stopAndCheck(s, 'SIGTERM');
    // every reply before the window is the acceptance, every reply inside is the outage (the log's
    // `at` is the run time after the RCPT latency, so allow 2 s of it at the edge)
    const rcpt = jsonl(join(log, 'replies.jsonl')).filter((e) => e.phase === 'rcpt');
    expect(rcpt.length).toBeGreaterThan(0);
    for (const e of rcpt) {
      const t = e.at as number;
      const code = String(e.reply).slice(0, 3);
      if (t < WINDOW_FROM) expect(code, `at ${t}`).toBe('250');
      if (t >= WINDOW_FROM + 2000) expect(code, `at ${t}`).toBe('451');
      expect(t).toBeGreaterThanOrEqual(WINDOW_FROM - 20_000);
    }
  }, 120_000);
});
