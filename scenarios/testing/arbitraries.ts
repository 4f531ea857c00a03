/**
 * fast-check arbitraries for users' own property tests: recipient addresses, SMTP reply texts as real
 * providers write them, and small scenarios that run in well under a second.
 */
import fc from 'fast-check';
import type { ScenarioInput } from '../schema.ts';

const LOCAL = fc.stringMatching(/^[a-z][a-z0-9]{0,11}(\.[a-z0-9]{1,8})?$/);
const DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'outlook.com',
  'icloud.com',
  'orange.fr',
  'example.com',
  'example.net',
];

/** An email address at a realistic domain (or any `domains` you pass). */
export function addressArb(domains: readonly string[] = DOMAINS): fc.Arbitrary<string> {
  return fc.tuple(LOCAL, fc.constantFrom(...domains)).map(([l, d]) => `${l}@${d}`);
}

/** Reply shapes seen at real providers: code, enhanced code, a phrase, sometimes the address. */
const PHRASES: readonly [number, string, string][] = [
  [550, '5.1.1', '<rcpt>: Recipient address rejected: User unknown in virtual mailbox table'],
  [550, '5.1.1', 'The email account that you tried to reach does not exist.'],
  [550, '5.1.1', '<rcpt>: user lookup success but no user record found'],
  [552, '5.2.2', '<rcpt>: user is over quota'],
  [452, '4.2.2', 'The email account that you tried to reach is over quota.'],
  [550, '5.2.1', 'The email account that you tried to reach is disabled.'],
  [
    421,
    '4.7.0',
    '[TSS04] Messages from x.x.x.x temporarily deferred due to unexpected volume or user complaints',
  ],
  [
    421,
    '4.7.28',
    'Our system has detected an unusual rate of unsolicited mail originating from your IP address.',
  ],
  [
    450,
    '4.2.1',
    'The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.',
  ],
  [550, '5.7.1', 'Service unavailable, Client host [x.x.x.x] blocked using Spamhaus.'],
  [451, '4.7.1', '<rcpt>: Recipient address rejected: Greylisted, try again later'],
  [554, '5.7.1', 'Message rejected due to content restrictions'],
];

/** A reply line (`550 5.1.1 ...`) with the recipient and client IP filled in. */
export function replyArb(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...PHRASES), addressArb(), fc.ipV4(), fc.boolean())
    .map(
      ([[code, enhanced, text], rcpt, ip, withEnhanced]) =>
        `${code} ${withEnhanced ? `${enhanced} ` : ''}${text.replaceAll('<rcpt>', `<${rcpt}>`).replaceAll('x.x.x.x', ip)}`,
    );
}

/** A small scenario (20-300 recipients, one or two deliveries, maybe an outage window) for property tests. */
export function smallScenarioArb(base: Partial<ScenarioInput> = {}): fc.Arbitrary<ScenarioInput> {
  return fc
    .record({
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      size: fc.integer({ min: 20, max: 300 }),
      mode: fc.constantFrom('legacy' as const, 'enhanced' as const),
      unknown: fc.double({ min: 0, max: 0.2, noNaN: true }),
      full: fc.double({ min: 0, max: 0.1, noNaN: true }),
      outage: fc.option(fc.constantFrom(...PHRASES.filter(([c]) => c >= 500)), { nil: undefined }),
      second: fc.boolean(),
    })
    .map(
      (p): ScenarioInput => ({
        name: 'property',
        seed: p.seed,
        horizon: '3d',
        mode: p.mode,
        population: {
          size: p.size,
          mix: 'consumer-us',
          settings: { truth: { valid: 1, unknown: p.unknown, mailboxFull: p.full } },
        },
        isps: p.outage
          ? {
              windows: [
                {
                  profile: 'gmail',
                  from: 'day1 06:00',
                  to: 'day1 09:00',
                  phase: 'rcpt',
                  reply: `${p.outage[0]} ${p.outage[1]} ${p.outage[2]}`,
                },
              ],
            }
          : {},
        deliveries: [
          { name: 'first', at: 'day1 06:00', validity: '2d' },
          ...(p.second ? [{ name: 'second', at: 'day2 06:00', validity: '1d' }] : []),
        ],
        ...base,
      }),
    );
}
