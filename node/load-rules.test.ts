import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../core/data-file.ts';
import { momentumRuleName } from '../core/qualification/momentum-classes.ts';
import { DEFAULT_RULES_DIR, defaultBounceRuleSet, defaultRuleSet, loadRuleSet } from './load-rules.ts';
import { defaultMomentumClasses } from './momentum-classes.ts';

describe('rule files', () => {
  it('loads the default set as the ordered union of its files, a folder in its place', () => {
    const set = defaultRuleSet();
    const files = set.sources.map((s) => relative(DEFAULT_RULES_DIR, s));
    expect(files).toEqual([...files].sort());
    expect(files[0]).toBe('10-seed-examples.yaml');
    expect(set.rules[0]!.name).toBe('seed_user_unknown');
    expect(files).toContain('60-phrases/20-user-unknown.yaml');
    expect(files.indexOf('30-enhanced-codes.yaml')).toBeLessThan(files.indexOf('50-providers.yaml'));
    expect(new Set(set.rules.map((r) => r.name)).size).toBe(set.rules.length);
  });

  it('reads a rule file folder recursively, in name order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlab-rules-'));
    mkdirSync(join(dir, '20-sub'));
    const rule = (n: string) => `rules:\n  - name: ${n}\n    contains: ${n}\n    type: hard\n    reason: 1\n`;
    writeFileSync(join(dir, '30-last.yaml'), rule('c'));
    writeFileSync(join(dir, '20-sub', '10-b.yaml'), rule('b'));
    writeFileSync(join(dir, '10-first.yaml'), rule('a'));
    expect(loadRuleSet(dir).rules.map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });

  it('loads the Momentum rules and class map; every class used exists', () => {
    const classes = defaultMomentumClasses();
    expect(classes.get(10)).toMatchObject({ type: 'hard', reason: 1 });
    expect(momentumRuleName(classes.get(10)!)).toBe('Momen_Code10_InvalidRecipient');
    expect(momentumRuleName(classes.get(30)!)).toBe('Momen_Code30_GenericBounceNoRCPT');
    for (const r of defaultBounceRuleSet().rules) expect(classes.has(r.bounceClass!)).toBe(true);
    for (const r of defaultRuleSet().rules) if (r.bounceClass) expect(classes.has(r.bounceClass)).toBe(true);
  });

  it('names file, line and field on a bad rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlab-rules-'));
    const f = join(dir, '10-bad.yaml');
    writeFileSync(
      f,
      'rules:\n  - name: ok\n    contains: x\n    type: hard\n    reason: 1\n  - name: bad\n    regex: "a("\n    type: soft\n    reason: 3\n',
    );
    expect(() => loadRuleSet(dir)).toThrow(DataFileError);
    expect(() => loadRuleSet(dir)).toThrow(
      /10-bad\.yaml:7:\d+: rules\[1\]\.regex: invalid regular expression/,
    );
    writeFileSync(f, 'rules:\n  - name: x\n    codes: 5yy\n    type: hard\n    reason: 1\n');
    expect(() => loadRuleSet(f)).toThrow(/:3:\d+: rules\[0\]\.codes/);
    writeFileSync(f, 'rules:\n  - name: x\n    contains: y\n    reason: 1\n');
    expect(() => loadRuleSet(f)).toThrow(/rules\[0\]\.type: required/);
    writeFileSync(
      f,
      'rules:\n  - name: x\n    contains: y\n    type: hard\n    reason: 1\n    colour: red\n',
    );
    expect(() => loadRuleSet(f)).toThrow(/rules\[0\]\.colour: unknown field/);
    // SPEC §5: an Ignored error never counts
    writeFileSync(
      f,
      'rules:\n  - name: x\n    contains: y\n    type: ignored\n    reason: 0\n    impact: count\n',
    );
    expect(() => loadRuleSet(f)).toThrow(/:6:\d+: rules\[0\]\.impact: an Ignored error never counts/);
    expect(() => loadRuleSet(join(dir, 'nope'))).toThrow(/not found/);
  });
});
