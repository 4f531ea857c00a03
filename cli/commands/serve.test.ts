import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILES_DIR } from '../../simulators/index.ts';
import { formatServeMap } from '../../simulators/wire/serve.ts';
import { formatRoutingMap } from '../../simulators/wire/serve-maps.ts';
import { CliError } from '../errors.ts';
import { bindFlag, mapFlags, resolveServeTarget } from './serve.ts';

describe('mxlab serve: what the argument names', () => {
  it('a shipped profile name serves that profile alone, strangers everywhere', () => {
    const t = resolveServeTarget('gmail');
    expect(t.profiles.map((p) => p.name)).toEqual(['gmail']);
    expect(t.population).toBeUndefined();
    expect(t.seed).toBe(1);
    expect(resolveServeTarget('gmail', 9).seed).toBe(9);
  });

  it('a profile file is recognised by its mx/greeting keys', () => {
    const t = resolveServeTarget(join(PROFILES_DIR, 'orange.yaml'));
    expect(t.profiles.map((p) => p.name)).toEqual(['orange']);
    expect(t.label).toMatch(/^profile file /);
  });

  it('a catalog scenario brings its profiles, windows, population and seed', () => {
    const t = resolveServeTarget('isp-outage');
    expect(t.seed).toBe(2021);
    expect(t.population?.truthOf('nobody@nowhere.example')).toBeNull();
    const apple = t.profiles.find((p) => p.name === 'apple-icloud')!;
    expect(apple.windows.some((w) => w.name === 'apple-2021-04-26')).toBe(true);
    expect(t.profiles.some((p) => p.catchAll)).toBe(true);
  });

  it('anything else is a usage error naming the choices', () => {
    expect(() => resolveServeTarget('no-such-thing')).toThrow(CliError);
    expect(() => resolveServeTarget('no-such-thing')).toThrow(/gmail/);
  });
});

describe('formatServeMap', () => {
  it('prints one line per MX host, on-demand lines and the dig line', () => {
    const text = formatServeMap({
      dnsPort: 5353,
      domains: [
        {
          domain: 'gmail.com',
          profile: 'gmail',
          mx: [{ host: 'mx.example', preference: 5, addresses: ['127.1.2.3:2525', '127.1.2.4:2525'] }],
        },
        { domain: '*', profile: 'generic', mx: [] },
      ],
    });
    expect(text.split('\n')).toEqual([
      'gmail.com  MX   5 mx.example  127.1.2.3:2525 127.1.2.4:2525',
      '*          (generic: any other domain, fake MX started on first lookup)',
      'dns: 127.0.0.1:5353 (udp)  try: dig @127.0.0.1 -p 5353 MX gmail.com',
      '',
    ]);
  });
});

describe('formatRoutingMap (--map)', () => {
  const h = {
    dnsPort: 5353,
    dnsHost: '127.0.0.1',
    bind: '127.0.0.1',
    domains: [
      {
        domain: '*',
        profile: 'generic',
        example: 'catch-all.mxlab.test',
        mx: [{ host: 'mx1', preference: 10, addresses: ['127.0.0.1:2603'] }],
      },
      {
        domain: 'm365-*.example',
        profile: 'microsoft',
        example: 'm365-any.example',
        mx: [{ host: 'm', preference: 2, addresses: ['127.0.0.1:2602'] }],
      },
      {
        domain: 'gmail.com',
        profile: 'gmail',
        mx: [{ host: 'g', preference: 5, addresses: ['127.0.0.1:2600', '127.0.0.1:2601'] }],
      },
    ],
  };
  it('postfix: a regexp table, exact domains, then patterns, then the catch-all', () => {
    expect(
      formatRoutingMap('postfix', h)
        .split('\n')
        .filter((l) => l.startsWith('/')),
    ).toEqual([
      '/@gmail\\.com$/\tsmtp:[127.0.0.1]:2600, [127.0.0.1]:2601',
      '/@m365-.*\\.example$/\tsmtp:[127.0.0.1]:2602',
      '/@/\tsmtp:[127.0.0.1]:2603',
    ]);
  });
  it('exim: one manualroute rule per domain, host::port, a pattern as an unexpanded regex', () => {
    const text = formatRoutingMap('exim', h);
    expect(text).toContain('driver = manualroute');
    expect(text).toContain('route_list = gmail.com 127.0.0.1::2600 : 127.0.0.1::2601 ;\\\n');
    expect(text).toContain('\\N^m365-.*[.]example$\\N 127.0.0.1::2602 ;\\\n');
    expect(text).toContain('    * 127.0.0.1::2603\n');
  });
  it('kumomta: Lua patterns with their port, the catch-all last', () => {
    const text = formatRoutingMap('kumomta', h);
    expect(text).toContain("{ match = '^gmail%.com$', mx_list = { '[127.0.0.1]' }, port = 2600 },");
    expect(text).toContain("{ match = '^m365%-.*%.example$', mx_list = { '[127.0.0.1]' }, port = 2602 },");
    expect(text.indexOf("match = '.*'")).toBeGreaterThan(text.indexOf('m365'));
    expect(text).toContain('kumo.make_egress_path { smtp_port = r.port }');
  });
  it('flags: --map FORMAT[=FILE] and --bind loopback only', () => {
    expect(mapFlags(['postfix', 'json=/tmp/m.json'])).toEqual([
      { format: 'postfix', file: null },
      { format: 'json', file: '/tmp/m.json' },
    ]);
    expect(() => mapFlags(['json='])).toThrow(/names no file/);
    expect(bindFlag('127.0.0.2')).toBe('127.0.0.2');
    for (const bad of ['0.0.0.0', '10.0.0.1', '127.0.0.256', '::1', 'localhost'])
      expect(() => bindFlag(bad), bad).toThrow(CliError);
  });
});
