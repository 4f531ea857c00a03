/**
 * The compiled matcher (automaton over alternatives' literals, candidates in rule order, plain
 * literals without regex) against a slow reference: every rule tried one by one in order, its whole
 * regex run as written. Checked on every corpus reply, every diagnostic the inMail evaluation hands to
 * the qualifier, and random texts built from the rules' own literals and corpus words.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createQualifier, defaultBounceRuleSet, defaultRuleSet, readMailbox } from '../../node/index.ts';
import { createInMail } from '../inmail/index.ts';
import { parseReply } from '../reply/parse-reply.ts';
import type { ParsedReply, SmtpPhase } from '../types.ts';
import { CompiledRules, codeRange, splitEnhanced } from './compile-rules.ts';
import { requiredLiterals, topLevelAlternatives } from './literal-prefilter.ts';
import { parseDiagnostic, type Qualifier } from './qualifier.ts';
import { PHASES, type Rule } from './rule-schema.ts';

/** The labelled corpus in ../shared beside the repository (MXLAB_CORPUS overrides). */
const CORPUS_ROOT =
  process.env.MXLAB_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

/** Case folding of the automaton: each UTF-16 unit to its lower case when that is one unit. */
function fold(s: string): string {
  let out = '';
  for (const ch of s.split('')) {
    const l = ch.toLowerCase();
    out += l.length === 1 ? l : ch;
  }
  return out;
}

/** First rule that matches, by trying each in order (reference). */
function reference(
  rules: readonly Rule[],
  text: string,
  code: number,
  enhanced: [number, number, number] | null,
  phase: SmtpPhase,
  domain: string,
): number {
  const e0 = enhanced ? enhanced[0] : -1;
  return rules.findIndex((r) => {
    if (r.phases && !r.phases.includes(phase)) return false;
    if (r.codes) {
      const ranges = r.codes.map(codeRange);
      if (code >= 200 && code <= 599) {
        if (!ranges.some(([a, b]) => code >= a && code <= b)) return false;
      } else if (!ranges.some(([a, b]) => a % 100 === 0 && b === a + 99 && a / 100 === e0)) return false;
    }
    if (r.enhanced) {
      if (!enhanced) return false;
      const ok = r.enhanced.some((spec) =>
        spec.split('.').every((p, i) => p === '*' || p.toLowerCase() === 'x' || Number(p) === enhanced[i]),
      );
      if (!ok) return false;
    }
    if (r.domains && !r.domains.some((d) => d === '*')) {
      if (!domain) return false;
      const ok = r.domains.some((d) => {
        const m = d.toLowerCase();
        return m.startsWith('*.') ? domain.endsWith(m.slice(1)) : domain === m;
      });
      if (!ok) return false;
    }
    if (r.contains)
      return r.caseSensitive
        ? r.contains.some((c) => text.includes(c))
        : r.contains.some((c) => fold(text).includes(c.toLowerCase()));
    if (r.regex !== undefined) return new RegExp(r.regex, r.caseSensitive ? '' : 'i').test(text);
    return true;
  });
}

const SETS = [
  ['inbound', defaultRuleSet().rules],
  ['bounce-class', defaultBounceRuleSet().rules],
] as const;
const compiled = new Map(SETS.map(([name, rules]) => [name, new CompiledRules(rules)]));
const DOMAINS = ['', 'googlegroups.com', 'icloud.com', 'gmail.com'];

function check(p: ParsedReply, phase: SmtpPhase, domain: string): void {
  const e = splitEnhanced(p.enhanced);
  const code = p.code ?? 0;
  for (const [name, rules] of SETS) {
    const got = compiled
      .get(name)!
      .match(p.text, code, e ? e[0] : -1, e ? e[1] : -1, e ? e[2] : -1, phase, domain);
    const want = reference(rules, p.text, code, e, phase, domain);
    if (got !== want)
      expect({ set: name, text: p.text, code, enhanced: p.enhanced, phase, domain, got }).toEqual({
        set: name,
        text: p.text,
        code,
        enhanced: p.enhanced,
        phase,
        domain,
        got: want,
      });
  }
}

const CORPUS = `${CORPUS_ROOT}/smtp-replies.jsonl`;
const replies = existsSync(CORPUS)
  ? readFileSync(CORPUS, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { reply?: unknown }).reply)
      .filter((r): r is string => typeof r === 'string')
  : [];

describe('compiled matcher = rules tried one by one', () => {
  it('on every corpus reply, in every phase and a few domains', () => {
    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies)
      for (const p of [parseReply(r), parseDiagnostic(r), parseReply(`${r} <u7@example.org> id=9`)])
        for (const phase of PHASES) for (const d of DOMAINS) check(p, phase, d);
  });

  it('on every diagnostic the inMail corpus evaluation qualifies', async () => {
    const dir = `${CORPUS_ROOT}/bounces/maildir`;
    expect(existsSync(dir), `corpus missing: ${dir}`).toBe(true);
    const seen: ParsedReply[] = [];
    const real = createQualifier({ mode: 'legacy' });
    const recorder: Qualifier = {
      ...real,
      qualify(reply, ctx) {
        if (typeof reply === 'object' && 'parseable' in reply) seen.push(reply);
        return real.qualify(reply, ctx);
      },
    };
    const inmail = createInMail({ qualifier: recorder });
    for await (const raw of readMailbox(dir)) await inmail.process(raw);
    expect(seen.length).toBeGreaterThan(100);
    for (const p of seen) for (const d of DOMAINS.slice(0, 2)) check(p, 'async', d);
  });

  it('keeps the regex meaning of a plain literal next to a Kelvin sign (U+212A)', () => {
    const rules: Rule[] = [
      { name: 'k', source: 't', caseSensitive: false, regex: 'blocked|kaput', type: 'soft', reason: 3 },
      { name: 'c', source: 't', caseSensitive: false, contains: ['kaput'], type: 'soft', reason: 4 },
    ];
    const c = new CompiledRules(rules);
    for (const text of ['\u212aaput', 'KAPUT', 'xx \u212aaput kaput', 'blocked \u212a'])
      expect(c.match(text, 550, -1, -1, -1, 'rcpt', '')).toBe(reference(rules, text, 550, null, 'rcpt', ''));
  });

  it('checks a non-ASCII phrase the automaton finds only up to its character classes', () => {
    // é (U+00E9) and ù (U+00F9) share a class (233 % 16 === 249 % 16), as do 用 (U+7528) and 甘 (U+7518)
    const rules: Rule[] = [
      {
        name: 'fr',
        source: 't',
        caseSensitive: false,
        contains: ['boîte pleine', 'désactivé'],
        type: 'soft',
        reason: 5,
      },
      { name: 'zh', source: 't', caseSensitive: false, regex: '用户不存在', type: 'hard', reason: 1 },
      { name: 'any', source: 't', caseSensitive: false, contains: ['x'], type: 'soft', reason: 3 },
    ];
    const c = new CompiledRules(rules);
    for (const text of [
      'BOÎTE PLEINE x',
      'boîte pleinx x',
      'dùsactivù x',
      'DÉSACTIVÉ',
      '甘户不存在 x',
      '用户不存在',
      'x',
    ])
      expect([text, c.match(text, 550, -1, -1, -1, 'rcpt', '')]).toEqual([
        text,
        reference(rules, text, 550, null, 'rcpt', ''),
      ]);
  });

  // random texts from the rules' literals, corpus words and noise, in random case
  const literals = [
    ...new Set(
      SETS.flatMap(([, rules]) =>
        rules.flatMap((r) => [
          ...(r.contains ?? []),
          ...(r.regex !== undefined
            ? topLevelAlternatives(r.regex).flatMap((a) => requiredLiterals(a) ?? [])
            : []),
        ]),
      ),
    ),
  ];
  const words = [...new Set(replies.flatMap((r) => r.split(/\s+/)))].slice(0, 2000);
  const token = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...literals) },
    { weight: 4, arbitrary: fc.constantFrom(...(words.length ? words : ['user'])) },
    { weight: 1, arbitrary: fc.constantFrom('is', 'the', 'not', 'has been', '.', ':', '<a@b.c>', '\u212a') },
    // characters a regex folds differently from the automaton: Cyrillic narrow o (U+1C82), final sigma
    {
      weight: 1,
      arbitrary: fc.constantFrom('\u1c82', 'ς', 'Σ', 'пᲂльзователь не найден', 'ПОЛЬЗОВАТЕЛЬ НЕ НАЙДЕН'),
    },
  );
  const textArb = fc
    .tuple(fc.array(token, { maxLength: 10 }), fc.array(fc.boolean(), { maxLength: 10 }))
    .map(([ts, ups]) => ts.map((t, i) => (ups[i] ? t.toUpperCase() : t)).join(' '));
  const enhancedArb = fc.option(
    fc.tuple(fc.constantFrom(2, 4, 5), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 30 })),
    { nil: null },
  );

  test.prop(
    [
      textArb,
      fc.constantFrom(0, 250, 421, 450, 451, 452, 550, 551, 552, 553, 554),
      enhancedArb,
      fc.constantFrom(...PHASES),
      fc.constantFrom(...DOMAINS),
    ],
    { numRuns: 2000 },
  )('on random texts built from rule literals and corpus words', (text, code, enh, phase, domain) => {
    check(
      { parseable: code > 0, code: code || null, enhanced: enh ? enh.join('.') : null, text, raw: text },
      phase,
      domain,
    );
  });
});
