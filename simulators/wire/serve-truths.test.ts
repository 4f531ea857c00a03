import { describe, expect, it } from 'vitest';
import { loadIspProfile } from '../isp/profiles-load.ts';
import {
  formatWindows,
  parseTruthFile,
  serveTruths,
  TruthFileError,
  truthOfKind,
  truthOfLocalPart,
} from './serve-truths.ts';

describe('serve truths: a file, then the population, then truth-<kind>@', () => {
  it('parses address,truth with a header and comments; a bad line names file:line', () => {
    const m = parseTruthFile(
      'address,truth\n# mine\nMe@Gmail.com, valid\n\nx@y.test,mailboxfullpermanent\n',
      't.csv',
    );
    expect([...m]).toEqual([
      ['me@gmail.com', 'valid'],
      ['x@y.test', 'mailboxFullPermanent'],
    ]);
    expect(() => parseTruthFile('a@b.c,valid\na@b.c,happy\n', 't.csv')).toThrow(
      /^t\.csv:2: unknown truth 'happy'/,
    );
    expect(() => parseTruthFile('nobody,valid\n', 't.csv')).toThrow(TruthFileError);
    expect(() => parseTruthFile('a@b.c\n', 't.csv')).toThrow(/^t\.csv:1: expected "address,truth"/);
  });

  it('names truths by local part, case-insensitive, and leaves other addresses alone', () => {
    expect(truthOfLocalPart('truth-valid-alice@gmail.com')).toBe('valid');
    expect(truthOfLocalPart('TRUTH-MailboxFull@x.test')).toBe('mailboxFull');
    expect(truthOfLocalPart('truth-nonsense@x.test')).toBeNull();
    expect(truthOfLocalPart('alice@gmail.com')).toBeNull();
  });

  it('the file wins over the population, which wins over the convention', () => {
    const population = {
      truthOf: (a: string) => (a === 'truth-unknown@p.test' ? truthOfKind('disabled') : null),
    };
    const t = serveTruths(new Map([['listed@p.test', 'unknown' as const]]), population);
    expect(t.truthOf('LISTED@p.test')?.kind).toBe('unknown');
    expect(t.truthOf('truth-unknown@p.test')?.kind).toBe('disabled');
    expect(t.truthOf('truth-autoResponder-1@p.test')?.kind).toBe('autoResponder');
    expect(t.truthOf('stranger@p.test')).toBeNull();
    // a temporary state never recovers while serve runs
    expect(t.truthOf('truth-mailboxfull@p.test')?.recoversAtMs).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('lists every window of the profiles', () => {
    const p = loadIspProfile(new URL('../isp/profiles/gmail.yaml', import.meta.url).pathname);
    const text = formatWindows([
      {
        ...p,
        windows: [
          {
            name: 'outage',
            from: 3_600_000,
            to: 7_200_000,
            action: 'reply',
            phase: 'rcpt',
            reply: '451 4.7.0 down',
            truths: ['valid'],
            probability: 1,
          },
          { from: 86_400_000, to: 86_430_000, action: 'refuse', phase: 'connect', probability: 0.5 },
        ],
      },
    ]);
    expect(text.split('\n')).toEqual([
      "window: gmail outage day1 01:00 -> day1 02:00: rcpt '451 4.7.0 down', truths valid",
      'window: gmail #2 day2 00:00 -> day2 00:00:30: refuse at connect, every recipient (p 0.5)',
      '',
    ]);
    expect(formatWindows([])).toBe('window: none (no profile has a time window)\n');
  });
});
