import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../data-file.ts';
import { defaultBounceRuleSet, defaultRuleSet, loadRuleSet } from './load-rules.ts';
import { defaultMomentumClasses, momentumRuleName } from './momentum-classes.ts';

describe('rule files', () => {
  it('loads the default set as the ordered union of its files', () => {
    const set = defaultRuleSet();
    const files = set.sources.map((s) => s.split('/').pop());
    expect(files).toEqual([...files].sort());
    expect(files[0]).toBe('10-seed-examples.yaml');
    expect(set.rules[0]!.name).toBe('seed_user_unknown');
    expect(new Set(set.rules.map((r) => r.name)).size).toBe(set.rules.length);
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
