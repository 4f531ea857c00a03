/**
 * Qualification throughput, printed side by side:
 *  - repeated real texts (the corpus replies over and over: the cache path), target >= 1,000,000/s
 *  - distinct texts (each corpus reply made unique with an address and an id: parse + match), target >= 200,000/s
 *  - the same with 1,000 extra rules in front of the default set, and a naive one-regex-per-rule scan for scale.
 *
 *   npx tsx scripts/bench-qualify.ts [--n 2000000]
 */
import { readFileSync } from 'node:fs';
import {
  createQualifier,
  defaultRuleSet,
  type Qualifier,
  type Rule,
  type RuleSet,
} from '../core/qualification/index.ts';
import { parseReply } from '../core/reply/parse-reply.ts';

const nArg = process.argv.indexOf('--n');
const N = nArg > 0 ? Number(process.argv[nArg + 1]) : 2_000_000;
const DISTINCT = 200_000;

const corpus = readFileSync('/work/shared/corpus/smtp-replies.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { reply?: string })
  .map((r) => r.reply)
  .filter((r): r is string => typeof r === 'string');

const distinct: string[] = [];
for (let i = 0; i < DISTINCT; i++) {
  const base = corpus[i % corpus.length]!;
  distinct.push(`${base} <user${i}@example${i % 97}.com> id=${(i * 2654435761) >>> 0}`);
}

function synthetic(n: number): Rule[] {
  const rules: Rule[] = [];
  const words = ['blocked', 'rejected', 'deferred', 'denied', 'refused', 'limited', 'unknown', 'full'];
  for (let i = 0; i < n; i++) {
    const w = words[i % words.length]!;
    const base = {
      name: `synthetic_${i}`,
      source: 'bench',
      caseSensitive: false,
      type: 'soft' as const,
      reason: 20,
    };
    if (i % 3 === 0) rules.push({ ...base, contains: [`provider${i} says ${w}`] });
    else if (i % 3 === 1)
      rules.push({ ...base, regex: `\\[ZQ${i}\\]|isp${i}\\.example (is )?${w}`, codes: ['5xx'] });
    else rules.push({ ...base, regex: `mx${i}-${w} \\w+ (temporarily|permanently)`, codes: ['4xx', '550'] });
  }
  for (let i = 0; i < n / 20; i++)
    rules.push({
      name: `synthetic_enh_${i}`,
      source: 'bench',
      caseSensitive: false,
      enhanced: [`5.9.${i}`],
      type: 'soft',
      reason: 3,
    });
  return rules;
}

function rate(label: string, q: Qualifier, texts: readonly string[], n: number): number {
  for (let i = 0; i < Math.min(n, 20_000); i++) q.qualify(texts[i % texts.length]!); // warm-up
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < n; i++) sink += q.qualify(texts[i % texts.length]!).reason;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const r = n / s;
  console.log(
    `${label.padEnd(52)} ${Math.round(r).toLocaleString('en-US').padStart(12)} /s  (${n.toLocaleString('en-US')} in ${s.toFixed(2)} s, sink ${sink % 10})`,
  );
  return r;
}

const base = defaultRuleSet();
const big: RuleSet = { rules: [...synthetic(1000), ...base.rules], sources: ['synthetic', ...base.sources] };
console.log(
  `rules: default ${base.rules.length}, big ${big.rules.length}; corpus texts ${corpus.length}; node ${process.version}\n`,
);

const t0 = performance.now();
const qDefault = createQualifier({ mode: 'legacy' });
const t1 = performance.now();
const qBig = createQualifier({ mode: 'legacy', rules: big });
const t2 = performance.now();
const qEnh = createQualifier({ mode: 'enhanced' });
console.log(`compile: default ${(t1 - t0).toFixed(0)} ms, 1,000+ rules ${(t2 - t1).toFixed(0)} ms\n`);

const rows: [string, number, number][] = [];
const repDefault = rate('repeated real texts, default rules (cache)', qDefault, corpus, N);
const repBig = rate('repeated real texts, 1,000+ rules (cache)', qBig, corpus, N);
rate('repeated real texts, enhanced mode (cache)', qEnh, corpus, N);
const noCacheDefault = createQualifier({ mode: 'legacy', cacheSize: 0 });
const noCacheBig = createQualifier({ mode: 'legacy', rules: big, cacheSize: 0 });
const disDefault = rate('distinct texts, default rules', qDefault, distinct, DISTINCT);
const disBig = rate('distinct texts, 1,000+ rules', qBig, distinct, DISTINCT);
rate('distinct texts, default rules, no cache', noCacheDefault, distinct, DISTINCT);
rate('distinct texts, 1,000+ rules, no cache', noCacheBig, distinct, DISTINCT);
rows.push(['repeated', repDefault, repBig], ['distinct', disDefault, disBig]);

// naive reference: parse, then test every rule's regex in order (what compilation avoids)
const naiveRes = big.rules.map((r) =>
  r.regex
    ? new RegExp(r.regex, 'i')
    : r.contains
      ? new RegExp(r.contains.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i')
      : null,
);
const M = 20_000;
const n0 = process.hrtime.bigint();
let hits = 0;
for (let i = 0; i < M; i++) {
  const p = parseReply(distinct[i]!);
  for (const re of naiveRes)
    if (re?.test(p.text)) {
      hits++;
      break;
    }
}
const naive = M / (Number(process.hrtime.bigint() - n0) / 1e9);
console.log(
  `${'distinct texts, 1,000+ rules, naive regex-per-rule scan'.padEnd(52)} ${Math.round(naive).toLocaleString('en-US').padStart(12)} /s  (${hits} hits)`,
);

console.log('\n| case | default rules /s | 1,000+ rules /s | ratio |');
console.log('| --- | ---: | ---: | ---: |');
for (const [k, a, b] of rows)
  console.log(
    `| ${k} | ${Math.round(a).toLocaleString('en-US')} | ${Math.round(b).toLocaleString('en-US')} | ${(a / b).toFixed(2)}x |`,
  );
console.log(
  `targets: repeated >= 1,000,000/s ${repDefault >= 1e6 ? 'met' : 'NOT met'}; distinct >= 200,000/s ${disDefault >= 2e5 ? 'met' : 'NOT met'}`,
);
