import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../core/data-file.ts';
import { parseIspProfile } from './profiles-load.ts';

const good = `name: t
domains: [a.example]
mx:
  - { host: mx.a.example, preference: 10 }
`;

describe('profile validation', () => {
  it('accepts a minimal profile with defaults and dayN times', () => {
    const p = parseIspProfile(
      `${good}windows:\n  - { from: 'day2 07:00', to: 'day2 13:00', reply: '550 5.1.1 down' }\n`,
    );
    expect(p.windows[0]!.from).toBe(31 * 3_600_000);
    expect(p.accept.rcpt).toMatch(/^250/);
  });

  it('names file, line and field of a bad reply', () => {
    const text = `${good}random:\n  - phase: rcpt\n    probability: 0.1\n    reply: 'deferred, try later'\n`;
    try {
      parseIspProfile(text, 'profiles/bad.yaml');
      throw new Error('should fail');
    } catch (e) {
      expect(e).toBeInstanceOf(DataFileError);
      const err = e as DataFileError;
      expect(err.file).toBe('profiles/bad.yaml');
      expect(err.line).toBe(8);
      expect(err.field).toBe('random[0].reply');
      expect(err.message).toMatch(/^profiles\/bad\.yaml:8:\d+: random\[0\]\.reply: an SMTP reply/);
    }
  });

  it('names an unknown field and a bad window time', () => {
    expect(() => parseIspProfile(`${good}greylist: true\n`, 'p.yaml')).toThrow(
      /p\.yaml:5:1: greylist: unknown field/,
    );
    expect(() =>
      parseIspProfile(`${good}windows:\n  - { from: 'day1 25:00', to: 5, reply: '550 x' }\n`, 'p.yaml'),
    ).toThrow(/p\.yaml:6:\d+: windows\[0\]\.from: .*dayN HH:MM/);
  });
});
