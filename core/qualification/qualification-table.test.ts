import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createQualifier, entriesToRuleYaml, parseDataText } from '../../node/index.ts';
import type { Qualification } from '../types.ts';
import {
  entriesFromCsv,
  entriesFromJson,
  QualificationTable,
  TableImportError,
} from './qualification-table.ts';
import { inboundRuleFileSchema, toRule } from './rule-schema.ts';

const hard: Qualification = Object.freeze({
  type: 'hard',
  reason: 1,
  impact: 'quarantine',
  disposition: 'permanent',
  rule: 'x',
  bounceClass: null,
});
const undef: Qualification = Object.freeze({
  type: 'undefined',
  reason: 0,
  impact: 'count',
  disposition: 'permanent',
  rule: null,
  bounceClass: null,
});

describe('QualificationTable', () => {
  it('gathers texts differing in addresses into one entry with the first raw text', () => {
    const t = new QualificationTable();
    t.record('550 5.1.1 <a@x.com>: user unknown', hard);
    t.record('550 5.1.1 <b@y.org>: user unknown', hard);
    expect(t.size).toBe(1);
    expect(t.list()[0]).toEqual({
      normalized: '550 5.1.1 *: user unknown',
      firstText: '550 5.1.1 <a@x.com>: user unknown',
      occurrences: 2,
      type: 'hard',
      reason: 1,
      status: 'keep',
    });
  });

  it('enters unmatched texts as toQualify and promotes them once qualified', () => {
    const t = new QualificationTable();
    t.record('550 frobnicated 12 times', undef);
    expect(t.toQualify().map((e) => e.normalized)).toEqual(['550 frobnicated #xxx# times']);
    t.record('550 frobnicated 13 times', hard);
    expect(t.get('550 frobnicated 1 times')).toMatchObject({ status: 'keep', type: 'hard', occurrences: 2 });
  });

  it('an ignore entry never touches the address', () => {
    const t = new QualificationTable();
    t.record('550 5.1.1 <a@x.com>: user unknown', hard);
    expect(t.review('550 5.1.1 <z@z.z>: user unknown', 'ignore')).toBe(true);
    const q = t.record('550 5.1.1 <c@x.com>: user unknown', hard);
    expect(q.impact).toBe('none');
    expect(q.reason).toBe(1);
    expect(hard.impact).toBe('quarantine');
  });

  it('does not record successes', () => {
    const t = new QualificationTable();
    const ok = createQualifier({ mode: 'legacy' }).qualify('250 ok');
    expect(t.record('250 ok', ok)).toBe(ok);
    expect(t.size).toBe(0);
  });

  test.prop([fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 200 })])(
    'the occurrence counter never exceeds the cap',
    (cap, n) => {
      const t = new QualificationTable({ occurrenceCap: cap });
      for (let i = 0; i < n; i++) t.record(`451 try again in ${i} seconds`, undef);
      const occ = t.list()[0]?.occurrences ?? 0;
      expect(occ).toBe(Math.min(n, cap));
    },
  );

  it('round-trips through CSV and JSON, with awkward texts', () => {
    const t = new QualificationTable();
    t.record('550 5.1.1 "quoted", comma\nnewline <a@b.c>', hard);
    t.record('451 zorglub', undef);
    const fromCsv = entriesFromCsv(t.toCsv());
    expect(fromCsv).toEqual(t.list());
    expect(entriesFromJson(JSON.stringify(t))).toEqual(t.list());
    const u = new QualificationTable({ occurrenceCap: 1 });
    u.load(fromCsv);
    expect(u.list().every((e) => e.occurrences <= 1)).toBe(true);
  });

  it('names row and field on bad imports', () => {
    const bad = 'normalized,first_text,occurrences,type,reason,status\r\nx,x,3,hard,1,maybe\r\n';
    expect(() => entriesFromCsv(bad, 'review.csv')).toThrow('review.csv:row 2: status: expected one of');
    expect(() => entriesFromJson('[{"normalized":"x"}]', 'r.json')).toThrow(TableImportError);
    expect(() => entriesFromJson('[{"normalized":"x"}]', 'r.json')).toThrow('r.json[0]: first_text');
  });

  it('turns reviewed entries into a rule file that loads and matches the texts', () => {
    const t = new QualificationTable();
    t.record('550 5.9.9 <a@b.c> frobnicated 12 times', undef);
    t.record('451 4.9.9 wibble from 192.0.2.1', undef);
    t.review('550 5.9.9 <x@y.z> frobnicated 1 times', 'keep', { type: 'hard', reason: 1 });
    t.review('451 4.9.9 wibble from 10.0.0.1', 'ignore');
    const yaml = entriesToRuleYaml(t.list());
    const file = parseDataText(yaml, 'generated.yaml', inboundRuleFileSchema);
    const rules = file.rules.map((r, i) => toRule(r, `generated.yaml#${i}`));
    const q = createQualifier({ mode: 'legacy', rules: { rules, sources: ['generated.yaml'] } });
    expect(q.qualify('550 5.9.9 <k@l.m> frobnicated 99 times')).toMatchObject({ type: 'hard', reason: 1 });
    expect(q.qualify('451 4.9.9 wibble from 203.0.113.9')).toMatchObject({ type: 'ignored', impact: 'none' });
  });
});
