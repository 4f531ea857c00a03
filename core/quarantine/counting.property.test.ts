/**
 * Which errors count toward the threshold (SPEC §5, turn 2), end to end: a rule set and its
 * settings → the qualifier → the quarantine table. Every Soft error counts except Refused (20) by
 * default; the counted reasons are the setting `uncountedSoftReasons`; a rule's own `impact` wins
 * over the setting; an Ignored error never counts, whatever a rule says.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createQualifier } from '../../node/index.ts';
import type { Rule, RuleSet } from '../qualification/rule-schema.ts';
import { DAY, type FailureType, type Impact, Reason } from '../types.ts';
import { QuarantineTable } from './quarantine-table.ts';
import { DEFAULT_QUARANTINE_SETTINGS } from './settings.ts';

interface RuleSpec {
  type: FailureType;
  reason: number;
  impact: Exclude<Impact, 'ok'> | undefined;
}

const ruleSpec: fc.Arbitrary<RuleSpec> = fc.record({
  type: fc.constantFrom<FailureType>('hard', 'soft', 'soft', 'soft', 'ignored', 'undefined'),
  reason: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 20, 25),
  // undefined often: the setting decides; otherwise a rule that says (even a contradictory one for Ignored)
  impact: fc.constantFrom<Exclude<Impact, 'ok'> | undefined>(
    undefined,
    undefined,
    undefined,
    'count',
    'none',
    'quarantine',
    'denylist',
  ),
});

/** A rule set built in code (not through the file schema, which refuses Ignored + count): rule i matches `tok<i>`. */
function ruleSetOf(specs: RuleSpec[]): RuleSet {
  const rules: Rule[] = specs.map((s, i) => {
    const r: Rule = { name: `r${i}`, source: `test#${i}`, contains: [`tok${i}`], caseSensitive: false };
    r.type = s.type;
    r.reason = s.reason;
    if (s.impact !== undefined) r.impact = s.impact;
    return r;
  });
  return { rules, sources: ['test'] };
}

const code = fc.constantFrom('421 4.7.0', '450 4.2.1', '452 4.2.2', '550 5.1.1', '552 5.2.2', '554 5.7.1');
const mode = fc.constantFrom('legacy' as const, 'enhanced' as const);
/** replies: which rule, which code, sync or a bounce mail, hours since the previous */
const replies = (n: number) =>
  fc.array(
    fc.record({
      rule: fc.integer({ min: 0, max: n - 1 }),
      code,
      async: fc.boolean(),
      hours: fc.integer({ min: 0, max: 72 }),
    }),
    { minLength: 1, maxLength: 30 },
  );

describe('which errors count toward the threshold (SPEC §5 turn 2)', () => {
  test.prop([
    fc
      .array(ruleSpec, { minLength: 1, maxLength: 6 })
      .chain((specs) => fc.tuple(fc.constant(specs), replies(specs.length), mode)),
    fc.option(fc.uniqueArray(fc.constantFrom(2, 3, 4, 5, 20), { maxLength: 5 }), { nil: undefined }),
  ])(
    'Ignored never counts; Refused never counts by default; other Soft counts unless the setting lists it; a rule that says wins',
    ([specs, rs, m], uncounted) => {
      const settings = uncounted === undefined ? {} : { uncountedSoftReasons: uncounted };
      const table = new QuarantineTable({ ...settings, threshold: 1000 });
      const uncountedReasons = uncounted ?? DEFAULT_QUARANTINE_SETTINGS.uncountedSoftReasons;
      const q = createQualifier({ mode: m, rules: ruleSetOf(specs), noImpactReasons: uncountedReasons });
      const id = table.idOf('jane@example.com');
      let t = 0;
      for (const r of rs) {
        t += r.hours * 3_600_000;
        const text = `${r.code} tok${r.rule} said the server`;
        // enhanced mode qualifies sync replies by bounce class: only bounce mails meet our rules there
        const useRules = m === 'legacy' || r.async;
        const qual = r.async ? q.qualifyText(`smtp; ${text}`) : q.qualify({ reply: text, phase: 'rcpt' });
        if (qual.type === 'ignored') expect(qual.impact).toBe('none');
        const before = table.errorCount(id);
        const statusBefore = table.status(id);
        const out = table.onError(id, qual, text, t, r.async ? 'async' : 'sync');
        if (qual.type === 'ignored') {
          expect(out.counted).toBe(false);
          expect(table.errorCount(id)).toBe(before);
          expect(table.status(id)).toBe(statusBefore);
        }
        if (!useRules || qual.rule !== `r${r.rule}`) continue;
        const spec = specs[r.rule]!;
        if (spec.type !== 'soft') continue;
        if (spec.impact !== undefined) expect(qual.impact).toBe(spec.impact);
        else if (uncountedReasons.includes(spec.reason)) {
          expect(qual.impact).toBe('none');
          expect(out.counted).toBe(false);
          expect(table.errorCount(id)).toBe(before);
        } else expect(qual.impact).toBe('count');
        if (uncounted === undefined && spec.reason === Reason.Refused && spec.impact === undefined)
          expect(out.counted).toBe(false);
      }
    },
  );

  it('counts every Soft reason of SPEC §3 but Refused with the shipped rules', () => {
    const q = createQualifier({ mode: 'legacy' });
    const table = new QuarantineTable();
    const texts: [string, number][] = [
      ["DNS query failed for 'ourdan.com'", 2],
      ['421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume', 3],
      ['550 5.2.1 The email account that you tried to reach is inactive. DisabledUser', 4],
      ['552 5.2.2 User quota exceeded', 5],
      ["550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)", 20],
    ];
    for (const [text, reason] of texts) {
      const qual = q.qualify({ reply: text, phase: reason === 2 ? 'dns' : 'rcpt' });
      expect([text, qual.type, qual.reason]).toEqual([text, 'soft', reason]);
      const id = table.idOf(`a${reason}@example.com`);
      const out = table.onError(id, qual, text, 5 * DAY);
      expect([text, out.counted]).toEqual([text, reason !== Reason.Refused]);
    }
  });
});
