/**
 * `mxlab serve` as a drop-in fake internet (issue #22): `--bind` puts every fake MX on one loopback
 * address with a port each, `--dns-port` is the DNS server's own port (it used to share
 * `--port-base`), catch-all and pattern domains get addresses at start, and `--map` writes routing
 * configuration whose every address answers SMTP with the profile's greeting.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIspProfiles } from '../../simulators/index.ts';
import { WireResolver } from '../../simulators/wire/dns-resolver.ts';
import { startServe } from '../../simulators/wire/serve.ts';
import { isError, SmtpClient } from '../../simulators/wire/smtp-client.ts';
import { scaledWallClock } from '../../simulators/wire/wall-clock.ts';
import { ROOT, run, startServe as startServeChild, stopServe } from './serve-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'mxlab-serve-bind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A UDP port free right now. */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

/** A TCP port free right now on 127.0.0.1 (the next few are very likely free too). */
function freeTcpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** The greeting at host:port. */
async function greeting(host: string, port: number): Promise<string> {
  const c = await SmtpClient.open({ host, port, timeoutMs: 5000 });
  if (isError(c)) return `error ${c.error}`;
  const g = await c.read(5000);
  c.destroy();
  return isError(g) ? `error ${g.error}` : g.text;
}

const shipped = loadIspProfiles();
const profiles = ['gmail', 'microsoft', 'generic'].map((n) => shipped.find((p) => p.name === n)!);

describe('startServe with bind, portBase and dnsPort', () => {
  it('puts every fake MX on the bind address, consecutive ports from the base, DNS on its own port', async () => {
    const dnsPort = await freeUdpPort();
    const portBase = 20_000 + ((await freeTcpPort()) % 20_000);
    const h = await startServe({
      profiles,
      seed: 1,
      clock: scaledWallClock({ speed: 1, startAtMs: 0 }),
      latencyScale: 0,
      portBase,
      bind: '127.0.0.1',
      dnsPort,
    });
    try {
      expect(h.dnsPort).toBe(dnsPort);
      const addresses = h.domains.flatMap((d) => d.mx.flatMap((m) => m.addresses));
      const unique = [...new Set(addresses)];
      const ports = unique.map((a) => Number(a.split(':')[1])).sort((a, b) => a - b);
      expect(unique.every((a) => a.startsWith('127.0.0.1:'))).toBe(true);
      // one port per fake MX, consecutive from the base, none on the DNS port's number by accident
      expect(ports).toEqual(ports.map((_, k) => portBase + k));
      // the pattern and the catch-all got the fake MXs of a stand-in domain at start
      const pattern = h.domains.find((d) => d.domain === 'm365-*.example')!;
      expect(pattern.example).toBe('m365-any.example');
      expect(pattern.mx.length).toBeGreaterThan(0);
      const star = h.domains.find((d) => d.domain === '*')!;
      expect(star.example).toBe('catch-all.mxlab.test');
      expect(star.mx.map((m) => m.host)).toEqual(['mx1.catch-all-mxlab-test', 'mx2.catch-all-mxlab-test']);
      const [host, port] = star.mx[0]!.addresses[0]!.split(':');
      expect(await greeting(host!, Number(port))).toMatch(/^220 /);
      const gmail = h.domains.find((d) => d.domain === 'gmail.com')!.mx[0]!.addresses[0]!.split(':');
      expect(await greeting(gmail[0]!, Number(gmail[1]))).toBe('220 mx.google.com ESMTP - gsmtp');
      // the DNS server answers on its own port
      const r = await new WireResolver({ port: dnsPort }).resolve('gmail.com');
      expect(r.ok).toBe(true);
    } finally {
      await h.stop();
    }
  }, 60_000);
});

describe('mxlab serve --bind --dns-port --map, as a user runs it', () => {
  it('writes a postfix transport table and a JSON map whose every address greets', async () => {
    const dnsPort = await freeUdpPort();
    const postfix = join(dir, 'transport');
    const json = join(dir, 'map.json');
    const s = await startServeChild([
      'gmail',
      '--latency-scale',
      '0',
      '--bind',
      '127.0.0.1',
      '--dns-port',
      String(dnsPort),
      '--map',
      `postfix=${postfix}`,
      '--map',
      `json=${json}`,
    ]);
    try {
      expect(s.dnsPort).toBe(dnsPort);
      expect(s.stdout).toContain(`map: postfix written to ${postfix}`);
      const table = readFileSync(postfix, 'utf8').split('\n');
      const gmail = table.find((l) => l.startsWith('/@gmail\\.com$/\t'))!;
      const hops = /\tsmtp:(.*)$/.exec(gmail)![1]!.split(', ');
      expect(hops).toHaveLength(6);
      for (const hop of hops) {
        const m = /^\[127\.0\.0\.1\]:(\d+)$/.exec(hop);
        expect(m, hop).not.toBeNull();
        expect(await greeting('127.0.0.1', Number(m![1]))).toBe('220 mx.google.com ESMTP - gsmtp');
      }
      const map = JSON.parse(readFileSync(json, 'utf8')) as {
        dns: { port: number };
        bind: string;
        domains: { domain: string; mx: { addresses: string[] }[] }[];
      };
      expect(map.dns.port).toBe(dnsPort);
      expect(map.bind).toBe('127.0.0.1');
      expect(map.domains.find((d) => d.domain === 'gmail.com')?.mx[0]?.addresses[0]).toBe(
        hops[0]!.replace(/^\[(.*)\]/, '$1'),
      );
    } finally {
      expect(await stopServe(s, 'SIGTERM')).toBe(0);
    }
  }, 90_000);

  it('refuses an address beyond loopback with one line and exit 2', async () => {
    const r = await run(process.execPath, [
      join(ROOT, 'bin/mxlab.mjs'),
      'serve',
      'gmail',
      '--bind',
      '0.0.0.0',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--bind: '0\.0\.0\.0' is not an IPv4 loopback address/);
    const m = await run(process.execPath, [
      join(ROOT, 'bin/mxlab.mjs'),
      'serve',
      'gmail',
      '--map',
      'sendmail',
    ]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--map: unknown format 'sendmail'/);
  }, 60_000);
});
