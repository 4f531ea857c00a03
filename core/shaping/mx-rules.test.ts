import { describe, expect, it } from 'vitest';
import { loadMxRules, loadThroughputLevels, parseMxRules } from '../../node/index.ts';
import { DataFileError } from '../data-file.ts';
import { matchMxRule } from './mx-rules.ts';
import { applyThroughputLevel } from './throughput-levels.ts';

const GENERAL = `  - mask: '*'
    maxConnections: 10
    maxMessagesPerConnection: 50
    messagesPerHour: 10000
    connectTimeout: 30s
    dataTimeout: 5m
    timeout: 2m
`;

describe('MX rules', () => {
  it('ships the yahoo example of SPEC §7.1', () => {
    const set = loadMxRules();
    const r = set.rules[matchMxRule(set, 'MTA7.mail.YAHOO.com.')]!;
    expect(r).toMatchObject({
      name: 'yahoo',
      shared: true,
      maxConnections: 30,
      maxMessagesPerConnection: 5,
      messagesPerHour: 1200,
      connectTimeoutMs: 10_000,
      dataTimeoutMs: 240_000,
      timeoutMs: 60_000,
    });
    expect(set.rules[matchMxRule(set, 'gmail-smtp-in.l.google.com')]!.name).toBe('gmail');
    expect(set.rules[matchMxRule(set, 'mx1.mail.icloud.com')]!.name).toBe('apple');
    expect(set.rules[matchMxRule(set, 'mx01.mail.icloud.com')]!.name).toBe('apple');
    expect(set.rules[matchMxRule(set, 'smtp-in.orange.fr')]!.name).toBe('orange');
    expect(set.rules[matchMxRule(set, 'mx.example.org')]!.name).toBe('general');
    expect(set.rules.at(-1)!.mask).toBe('*');
  });

  it('first match wins and missing fields inherit from the general rule', () => {
    const set = parseMxRules(
      `version: 1\nrules:\n  - mask: 'a?.example.com'\n    messagesPerHour: 5\n  - mask: '*.example.com'\n    messagesPerHour: 7\n${GENERAL}`,
    );
    expect(set.rules[matchMxRule(set, 'ab.example.com')]!.messagesPerHour).toBe(5);
    expect(set.rules[matchMxRule(set, 'abc.example.com')]!.messagesPerHour).toBe(7);
    expect(set.rules[0]!.maxConnections).toBe(10);
    expect(set.rules[0]!.dataTimeoutMs).toBe(300_000);
  });

  it('applies sender ranges', () => {
    const set = parseMxRules(
      `version: 1\nrules:\n  - mask: '*'\n    senderIds: { from: 5, to: 9 }\n    messagesPerHour: 1\n${GENERAL}`.replace(
        "  - mask: '*'\n    senderIds",
        "  - mask: 'mx.*'\n    senderIds",
      ),
    );
    expect(matchMxRule(set, 'mx.a.com', 6)).toBe(0);
    expect(matchMxRule(set, 'mx.a.com', 10)).toBe(1);
    expect(matchMxRule(set, 'mx.a.com')).toBe(1);
  });

  it('rejects a rule set without the general rule, naming the field', () => {
    expect(() =>
      parseMxRules("version: 1\nrules:\n  - mask: '*.x.com'\n    messagesPerHour: 1\n", 'r.yaml'),
    ).toThrow(/r\.yaml:\d+:\d+: rules: the general rule \(mask "\*"\) is missing/);
  });

  it('rejects a general rule that is not last, with its line', () => {
    const text = `version: 1\nrules:\n${GENERAL}  - mask: '*.x.com'\n`;
    try {
      parseMxRules(text, 'r.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DataFileError);
      const err = e as DataFileError;
      expect(err.line).toBe(3);
      expect(err.field).toBe('rules[0].mask');
      expect(err.message).toMatch(/must be the last rule/);
    }
  });

  it('names unknown fields and bad durations', () => {
    expect(() =>
      parseMxRules(`version: 1\nrules:\n  - mask: 'a'\n    maxConn: 3\n${GENERAL}`, 'f.yaml'),
    ).toThrow(/f\.yaml:4:5: rules\[0\]\.maxConn: unknown field/);
    expect(() =>
      parseMxRules(`version: 1\nrules:\n  - mask: 'a'\n    timeout: 3 weeks\n${GENERAL}`, 'f.yaml'),
    ).toThrow(/rules\[0\]\.timeout: expected a duration like/);
    expect(() =>
      parseMxRules(`version: 1\nrules:\n  - mask: '*'\n    maxConnections: 3\n`, 'f.yaml'),
    ).toThrow(/must set maxMessagesPerConnection/);
  });
});

describe('throughput levels', () => {
  const set = loadMxRules();
  const levels = loadThroughputLevels();
  it('scale the limits, never below 1', () => {
    const slow = applyThroughputLevel(set, 'slow', levels);
    const boost = applyThroughputLevel(set, 'boost', levels);
    const y = matchMxRule(set, 'a.mail.yahoo.com');
    expect(slow.rules[y]!.messagesPerHour).toBe(300);
    expect(slow.rules[y]!.maxConnections).toBe(7);
    expect(boost.rules[y]!.messagesPerHour).toBe(9600);
    expect(applyThroughputLevel(set, 'normal', levels).rules).toEqual(set.rules);
    for (const r of slow.rules) expect(r.maxMessagesPerConnection).toBeGreaterThanOrEqual(1);
  });
  it('custom keeps the rules and turns off the sync', () => {
    const c = applyThroughputLevel(set, 'custom', levels);
    expect(c.rules).toEqual(set.rules);
    expect(c.settings.syncRules).toBe(false);
    expect(set.settings.syncRules).toBe(true);
  });
});
