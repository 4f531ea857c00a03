import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createQualifier } from '../../node/index.ts';
import type { RuleSet } from './rule-schema.ts';

const SEEDS: [
  reply: string,
  phase: 'rcpt' | 'dns' | 'async',
  type: string,
  reason: number,
  impact: string,
][] = [
  ['550 5.1.1 <jane@example.com>... User is unknown {mx003}', 'rcpt', 'hard', 1, 'quarantine'],
  ['550 5.2.2 User quota exceeded', 'rcpt', 'soft', 5, 'count'],
  [
    '550 5.7.1 <jane@example.com>: Recipient address rejected: inactive mailbox, not popped for more than 6 months',
    'rcpt',
    'soft',
    4,
    'count',
  ],
  ["DNS query failed for 'ourdan.com'", 'dns', 'soft', 2, 'count'],
  [
    "Inbound email bounce (rule 'Feedback_loop_Hotmail' has matched this bounce)",
    'async',
    'soft',
    20,
    'none',
  ],
  // Soft / Unreachable: counted since the turn 2 amendment (SPEC §5: every Soft error but Refused)
  [
    '421 4.16.55 [TS01] Messages from 192.0.2.1 temporarily deferred due to excessive user complaints',
    'rcpt',
    'soft',
    3,
    'count',
  ],
];

describe.each(['legacy', 'enhanced'] as const)('SPEC §6.4 seed examples, %s mode', (mode) => {
  const q = createQualifier({ mode });
  it.each(SEEDS)('%s', (reply, phase, type, reason, impact) => {
    const r = phase === 'async' ? q.qualifyText(reply) : q.qualify({ reply, phase });
    expect({ type: r.type, reason: r.reason, impact: r.impact }).toEqual({ type, reason, impact });
    expect(r.rule).not.toBeNull();
    if (mode === 'enhanced' && phase === 'rcpt') expect(r.rule).toMatch(/^Momen_Code\d+_\w+$/);
    if (mode === 'enhanced' && phase !== 'rcpt') expect(r.rule).toMatch(/^seed_/);
  });
  it('keeps Momentum class 10 under its published rule name', () => {
    const r = q.qualify('550 5.1.1 <a@icloud.com>: user lookup success but no user record found');
    expect([r.type, r.reason, r.impact]).toEqual(['hard', 1, 'quarantine']);
    if (mode === 'enhanced') expect(r.rule).toBe('Momen_Code10_InvalidRecipient');
  });
});

describe('createQualifier', () => {
  const q = createQualifier({ mode: 'legacy' });

  it('gives success replies impact ok', () => {
    expect(q.qualify('250 2.0.0 OK queued')).toMatchObject({
      impact: 'ok',
      type: 'ignored',
      reason: 0,
      rule: null,
    });
  });

  it('qualifies transport errors as Soft / Unreachable / count / transient', () => {
    for (const kind of ['refused', 'timeout', 'reset', 'tls', 'garbage'] as const) {
      expect(q.qualify({ phase: 'connect', reply: '', transportError: kind })).toEqual({
        type: 'soft',
        reason: 3,
        impact: 'count',
        disposition: 'transient',
        rule: `transport_${kind}`,
        bounceClass: null,
      });
    }
  });

  it('qualifies DNS failures as Soft / Invalid domain / count', () => {
    expect(q.qualify({ phase: 'dns', reply: 'NXDOMAIN for foo.invalid' })).toMatchObject({
      type: 'soft',
      reason: 2,
      impact: 'count',
      disposition: 'transient',
    });
  });

  it('leaves unknown texts Not defined, counted, disposition from the code', () => {
    expect(q.qualify('550 5.9.9 zorglub frobnicated')).toEqual({
      type: 'undefined',
      reason: 0,
      impact: 'count',
      disposition: 'permanent',
      rule: null,
      bounceClass: null,
    });
    expect(q.qualify('451 zorglub').disposition).toBe('transient');
    expect(q.qualifyText('zorglub happened').type).toBe('undefined');
  });

  it('derives disposition: connect errors transient, too many recipients at RCPT transient', () => {
    expect(q.qualify({ phase: 'connect', reply: '554 5.7.1 go away, spam' }).disposition).toBe('transient');
    expect(q.qualify({ phase: 'rcpt', reply: '552 5.5.3 Too many recipients' }).disposition).toBe(
      'transient',
    );
    // legacy: the type decides (SPEC §6.3 turn 2): a Soft 5xx is retried, a Hard 4xx is not
    expect(q.qualify({ phase: 'data', reply: '552 5.3.4 message too big' }).disposition).toBe('transient');
    expect(q.qualify({ phase: 'rcpt', reply: '450 4.1.1 user unknown' }).disposition).toBe('permanent');
    // Ignored and Not defined keep the code's disposition; a bounce mail keeps it whatever its type
    expect(q.qualify({ phase: 'rcpt', reply: '550 5.9.9 zzz' }).disposition).toBe('permanent');
    expect(q.qualify({ phase: 'rcpt', reply: '450 4.9.9 zzz' }).disposition).toBe('transient');
    expect(q.qualifyText('smtp; 552 5.2.2 mailbox full').disposition).toBe('permanent');
    // Enhanced MTA: the code decides
    const e = createQualifier({ mode: 'enhanced' });
    expect(e.qualify({ phase: 'data', reply: '552 5.3.4 message too big' }).disposition).toBe('permanent');
    expect(e.qualify({ phase: 'rcpt', reply: '552 5.2.2 mailbox full' }).disposition).toBe('permanent');
  });

  it('reads codes out of bounce diagnostics', () => {
    const r = q.qualifyText('smtp; 550 5.1.1 <x@y.z>... No such user');
    expect([r.type, r.reason, r.disposition]).toEqual(['hard', 1, 'permanent']);
    expect(
      q.qualifyText('host mx.y.z said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)').reason,
    ).toBe(5);
  });

  it('qualifies the big providers documented texts', () => {
    const cases: [string, number, string][] = [
      [
        '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints',
        3,
        'count',
      ],
      ['421 4.7.28 unusual rate of unsolicited mail, temporarily rate limited', 20, 'none'],
      [
        '450 4.2.1 The user you are trying to contact is receiving mail too quickly. ReceivingRate',
        3,
        'count',
      ],
      ['452 4.2.2 The email account that you tried to reach is over quota. OverQuotaTemp', 5, 'count'],
      [
        '550-5.1.1 The email account that you tried to reach does not exist.\r\n550 5.1.1 NoSuchUser',
        1,
        'quarantine',
      ],
      ['550 5.2.1 The email account that you tried to reach is disabled. DisabledUser', 4, 'count'],
      ['552 5.2.2 The email account that you tried to reach is over quota. OverQuotaPerm', 5, 'count'],
      ["550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)", 20, 'none'],
      ['550 5.5.0 Requested action not taken: mailbox unavailable', 1, 'quarantine'],
      ['550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]', 20, 'none'],
    ];
    for (const [reply, reason, impact] of cases)
      expect([reply, q.qualify(reply).reason, q.qualify(reply).impact]).toEqual([reply, reason, impact]);
  });

  it('returns the same frozen object for a repeated reply (cache)', () => {
    const a = q.qualify('550 5.1.1 user unknown');
    expect(q.qualify('550 5.1.1 user unknown')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('keys parsed replies on their code and enhanced code too, not on the text alone (inMail bug)', () => {
    const q2 = createQualifier({ mode: 'legacy' });
    const dsn = (enhanced: string | null, code: number | null = null) => ({
      parseable: code !== null,
      code,
      enhanced,
      text: '',
      raw: '',
    });
    const unknown = q2.qualify(dsn('5.1.1'), { phase: 'async' });
    const full = q2.qualify(dsn('4.2.2'), { phase: 'async' });
    const none = q2.qualify(dsn(null), { phase: 'async' });
    expect([unknown.type, unknown.reason]).toEqual(['hard', 1]);
    expect([full.type, full.reason]).toEqual(['soft', 5]);
    expect(none.rule).toBeNull();
    const fresh = createQualifier({ mode: 'legacy', cacheSize: 0 });
    for (const [e, c] of [
      ['4.2.2', null],
      ['5.1.1', 550],
      ['5.1.1', null],
      [null, 550],
      [null, 421],
    ] as const)
      expect(q2.qualify(dsn(e, c), { phase: 'async' })).toEqual(fresh.qualify(dsn(e, c), { phase: 'async' }));
    // the same text with different statuses, in both orders
    const t = (enhanced: string) => ({ parseable: false, code: null, enhanced, text: 'gone', raw: 'gone' });
    expect(q2.qualify(t('5.2.2'), { phase: 'async' }).reason).toBe(5);
    expect(q2.qualify(t('5.1.1'), { phase: 'async' }).reason).toBe(1);
    expect(q2.qualify(t('5.2.2'), { phase: 'async' }).reason).toBe(5);
  });

  it('shares cache entries between domains only when the same domain rules accept them', () => {
    const a = q.qualify('550 5.7.1 posting refused', { phase: 'async', domain: 'googlegroups.com' });
    const b = q.qualify('550 5.7.1 posting refused', { phase: 'async', domain: 'example.com' });
    const c = q.qualify('550 5.7.1 posting refused', { phase: 'async', domain: 'GoogleGroups.com' });
    expect(a.rule).toBe('bounce_group_refused');
    expect(b.rule).not.toBe('bounce_group_refused');
    expect(c).toBe(a);
  });

  it('applies domain-restricted rules only to their domains', () => {
    const rules: RuleSet = {
      sources: [],
      rules: [
        {
          name: 'apple',
          source: 't',
          caseSensitive: false,
          contains: ['try later'],
          domains: ['icloud.com', '*.me.com'],
          type: 'hard',
          reason: 1,
        },
        {
          name: 'other',
          source: 't',
          caseSensitive: false,
          contains: ['try later'],
          type: 'soft',
          reason: 3,
        },
      ],
    };
    const d = createQualifier({ mode: 'legacy', rules });
    expect(d.qualify('450 try later', { domain: 'iCloud.com' }).rule).toBe('apple');
    expect(d.qualify('450 try later', { domain: 'x.me.com' }).rule).toBe('apple');
    expect(d.qualify('450 try later', { domain: 'me.com' }).rule).toBe('other');
    expect(d.qualify('450 try later').rule).toBe('other');
  });
});

// ---------------------------------------------------------------- first-match semantics, property-tested
const WORDS = ['user', 'unknown', 'quota', 'spam', 'blocked', 'later', 'mailbox', 'full', 'rate', 'ip'];
const ruleArb = fc.record({
  kind: fc.constantFrom('contains', 'regex', 'none'),
  word: fc.constantFrom(...WORDS),
  word2: fc.constantFrom(...WORDS),
  code: fc.option(fc.constantFrom('4xx', '5xx', '550', '421', '450-452'), { nil: undefined }),
  enhanced: fc.option(fc.constantFrom('5.1.1', '4.*.*', '5.7.*'), { nil: undefined }),
});
type R = typeof ruleArb extends fc.Arbitrary<infer T> ? T : never;

function naive(rules: R[], code: number, enhanced: string, text: string): number {
  const inRange = (spec: string) => {
    if (spec.endsWith('xx')) return Math.floor(code / 100) === Number(spec[0]);
    if (spec.includes('-')) {
      const [a, b] = spec.split('-').map(Number) as [number, number];
      return code >= a && code <= b;
    }
    return code === Number(spec);
  };
  const enh = (spec: string) => spec.split('.').every((p, i) => p === '*' || p === enhanced.split('.')[i]);
  return rules.findIndex((r) => {
    if (r.code && !inRange(r.code)) return false;
    if (r.enhanced && !enh(r.enhanced)) return false;
    if (r.kind === 'contains') return text.toLowerCase().includes(r.word);
    if (r.kind === 'regex') return new RegExp(`${r.word} (is )?${r.word2}|${r.word2}\\d?`, 'i').test(text);
    return r.code !== undefined || r.enhanced !== undefined;
  });
}

test.prop([
  fc.array(ruleArb, { minLength: 1, maxLength: 30 }),
  fc.constantFrom(421, 450, 451, 452, 550, 552, 554),
  fc.constantFrom('5.1.1', '4.2.2', '5.7.1', '4.7.0'),
  fc.array(fc.constantFrom(...WORDS, 'IS', 'the', 'X', '7'), { maxLength: 8 }),
])('the compiled matcher picks the first rule a naive scan picks', (rs, code, enhanced, words) => {
  const set: RuleSet = {
    sources: [],
    rules: rs
      .map((r, i) => ({
        name: `r${i}`,
        source: 't',
        caseSensitive: false,
        ...(r.kind === 'contains' ? { contains: [r.word] } : {}),
        ...(r.kind === 'regex' ? { regex: `${r.word} (is )?${r.word2}|${r.word2}\\d?` } : {}),
        ...(r.code ? { codes: [r.code] } : {}),
        ...(r.enhanced ? { enhanced: [r.enhanced] } : {}),
        type: 'soft' as const,
        reason: 3,
      }))
      .filter((r) => r.contains || r.regex || r.codes || r.enhanced),
  };
  const text = words.join(' ');
  const q = createQualifier({ mode: 'legacy', rules: set, cacheSize: 0 });
  const got = q.qualify(`${code} ${enhanced} ${text}`);
  const want = naive(rs, code, enhanced, text);
  expect(got.rule).toBe(want < 0 ? null : `r${want}`);
});

describe('text in compatibility forms and typographic apostrophes', () => {
  const q = createQualifier({ mode: 'legacy' });
  const TEXTS = [
    "The email address wasn't found at the destination domain.",
    "Your message wasn't delivered because the address couldn't be found, or is unable to receive mail.",
    "550 5.1.1 The email account that you tried to reach doesn't exist.",
    "554 delivery error: dd This user doesn't have a yahoo.com account",
    "550 Cette adresse n'existe pas",
    "Sorry, I couldn't find any host named example.net. (#5.1.2)",
  ];
  test.prop([
    fc.constantFrom(...TEXTS),
    fc.constantFrom('\u2019', '\u2018', '\u02bc', '\u2032'),
    fc.constantFrom<'rcpt' | 'async'>('rcpt', 'async'),
  ])('a text with a typographic apostrophe qualifies as with an ASCII one', (text, mark, phase) => {
    const typo = text.replaceAll("'", mark);
    const a = phase === 'async' ? q.qualifyText(text) : q.qualify(text, { phase });
    const b = phase === 'async' ? q.qualifyText(typo) : q.qualify(typo, { phase });
    expect(b).toEqual(a);
    expect(a.type).not.toBe('undefined');
  });

  const fullwidth = (t: string) =>
    t.replace(/[A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  test.prop([fc.constantFrom(...TEXTS), fc.constantFrom<'rcpt' | 'async'>('rcpt', 'async')])(
    'fullwidth letters (as Japanese MTAs write them) qualify as ASCII ones',
    (text, phase) => {
      const wide = fullwidth(text);
      const a = phase === 'async' ? q.qualifyText(text) : q.qualify(text, { phase });
      const b = phase === 'async' ? q.qualifyText(wide) : q.qualify(wide, { phase });
      expect(b).toEqual(a);
    },
  );

  it('halfwidth katakana read as the fullwidth words the Japanese rules hold', () => {
    // U+FF71.. halfwidth forms of アドレスが存在しません (the address does not exist)
    const r = q.qualify('550 \uff71\uff84\uff9e\uff9a\uff7dが存在しません', { phase: 'rcpt' });
    expect([r.type, r.reason]).toEqual(['hard', 1]);
  });
});
