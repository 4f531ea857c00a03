/**
 * The exporter and the Postfix reader agree: any attempt written by `mxlab export postfix-log` reads
 * back (`mxlab ingest postfix`) with the same time, recipient, outcome, reply, phase, MX IP and
 * local IP, whatever the reply says (a multi-line reply comes back on one line, as Postfix logs it).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { postfixLine } from './export-postfix.ts';
import { syslogReader } from './formats/syslog.ts';

const START = Date.UTC(2026, 11, 6);
const word = fc.stringMatching(/^[A-Za-z0-9.,;:'<>@/=_-]{1,12}$/);
const words = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
const OUTCOME = { delivered: 'delivered', retry: 'deferred', failed: 'bounced', expired: 'expired' } as const;

const attempt = fc
  .record({
    t: fc.integer({ min: 0, max: 30 * 86_400_000 }),
    delivery_id: fc.integer({ min: 1, max: 50 }),
    recipient_id: fc.integer({ min: 0, max: 2_000_000 }),
    local: fc.stringMatching(/^[a-z]{1,8}$/),
    domain: fc.constantFrom('gmail.com', 'yahoo.com', 'isp-a.example', 'mail.b.co.uk'),
    mx_ip: fc.option(fc.ipV4(), { nil: null }),
    local_ip: fc.option(fc.ipV4(), { nil: null }),
    phase: fc.constantFrom('ehlo', 'mail', 'rcpt', 'data', 'dns', 'connect'),
    outcome: fc.constantFrom('delivered', 'retry', 'failed', 'expired'),
    code: fc.integer({ min: 200, max: 599 }),
    enhanced: fc.option(
      fc.tuple(fc.integer({ min: 2, max: 5 }), fc.nat(9), fc.nat(9)).map((x) => x.join('.')),
      { nil: null },
    ),
    text: words,
    lines: fc.integer({ min: 1, max: 3 }),
  })
  .map((a) => {
    const remote =
      a.phase !== 'dns' && a.phase !== 'connect' ? true : a.phase === 'connect' && a.mx_ip !== null;
    const code =
      a.outcome === 'delivered' ? 250 : a.outcome === 'retry' ? 400 + (a.code % 100) : 500 + (a.code % 100);
    const head = `${code} ${a.enhanced ? `${a.enhanced} ` : ''}`;
    const text = remote
      ? Array.from(
          { length: a.lines },
          (_, i) =>
            `${code}${i < a.lines - 1 ? '-' : ' '}${i === 0 && a.enhanced ? `${a.enhanced} ` : ''}${a.text}`,
        ).join('\r\n')
      : a.phase === 'dns'
        ? `DNS query failed for '${a.domain}'`
        : `connect to mx.${a.domain}[192.0.2.1]:25: Connection timed out`;
    return {
      ...a,
      address: `${a.local}@${a.domain}`,
      phase: a.outcome === 'delivered' ? 'data' : remote ? a.phase : a.phase,
      code: remote || a.outcome === 'delivered' ? code : null,
      text: a.outcome === 'delivered' ? `${head}Ok` : text,
      mx_ip: a.phase === 'dns' && a.outcome !== 'delivered' ? null : a.mx_ip,
    } as const;
  });

describe('export postfix-log then ingest postfix', () => {
  test.prop([attempt], { numRuns: 300 })('reads back what was written', (a) => {
    const line = postfixLine(a as Parameters<typeof postfixLine>[0], START);
    const r = syslogReader('postfix', 2026).line(line, 1);
    expect(r.kind, line).toBe('records');
    if (r.kind !== 'records') return;
    expect(r.records).toHaveLength(1);
    const x = r.records[0]!;
    expect(x.epochMs).toBe(START + a.t);
    expect(x.recipient).toBe(a.address);
    expect(x.status).toBe(OUTCOME[a.outcome]);
    expect(x.text, line).toBe(a.text.replace(/\r\n/g, ' '));
    expect(x.remote).toBe(a.code !== null);
    expect(x.mxIp).toBe(a.mx_ip);
    expect(x.localIp).toBe(a.local_ip);
    if (a.code !== null && a.outcome !== 'delivered' && a.phase !== 'connect') expect(x.phase).toBe(a.phase);
    if (a.outcome === 'delivered') expect(x.phase).toBe('data');
  });
});
