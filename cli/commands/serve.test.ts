import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILES_DIR } from '../../simulators/index.ts';
import { formatServeMap } from '../../simulators/wire/serve.ts';
import { CliError } from '../errors.ts';
import { resolveServeTarget } from './serve.ts';

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
