/**
 * Qualification throughput, printed side by side:
 *  - repeated real texts (the corpus replies over and over: the cache path), target >= 1,000,000/s
 *  - distinct texts (each corpus reply made unique with an address and an id: parse + match), target >= 200,000/s
 *  - the same with 1,000 extra rules in front of the default set, and a naive one-regex-per-rule scan for scale.
 *
 * Each case runs in several trials that alternate between the cases; the rate is printed per second
 * of CPU time (`process.cpuUsage`, what load from other processes on a shared machine stretches
 * least) and of wall time, best and median.
 *
 *   npx tsx scripts/bench-qualify.ts [--n 1000000] [--trials 5]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Qualifier, Rule, RuleSet } from '../core/qualification/index.ts';
import { parseReply } from '../core/reply/parse-reply.ts';
import { createQualifier, defaultRuleSet } from '../node/index.ts';

/** The labelled corpus in ../shared beside the repository (MXLAB_CORPUS overrides). */
const CORPUS_ROOT =
  process.env.MXLAB_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));

const nArg = process.argv.indexOf('--n');
const N = nArg > 0 ? Number(process.argv[nArg + 1]) : 1_000_000;
const tArg = process.argv.indexOf('--trials');
const TRIALS = tArg > 0 ? Number(process.argv[tArg + 1]) : 5;
const DISTINCT = 200_000;

const corpus = readFileSync(`${CORPUS_ROOT}/smtp-replies.jsonl`, 'utf8')
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

/** One measurement: CPU seconds (user + system of this process) and wall seconds. */
interface Sample {
  cpu: number;
  wall: number;
}

function once(q: Qualifier, texts: readonly string[], n: number): Sample {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < n; i++) sink += q.qualify(texts[i % texts.length]!).reason;
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  if (sink < 0) console.log(sink);
  return { cpu: (c.user + c.system) / 1e6, wall };
}

interface Case {
  label: string;
  q: Qualifier;
  texts: readonly string[];
  n: number;
  samples: Sample[];
}

const cases: Case[] = [];
const addCase = (label: string, q: Qualifier, texts: readonly string[], n: number): Case => {
  const c: Case = { label, q, texts, n, samples: [] };
  cases.push(c);
  return c;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** best and median rate over the trials, by CPU time and by wall time */
function rates(c: Case) {
  const cpu = c.samples.map((s) => c.n / s.cpu);
  const wall = c.samples.map((s) => c.n / s.wall);
  return {
    cpuBest: Math.max(...cpu),
    cpuMedian: median(cpu),
    wallBest: Math.max(...wall),
    wallMedian: median(wall),
  };
}
const fmt = (r: number) => Math.round(r).toLocaleString('en-US').padStart(11);

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

const noCacheDefault = createQualifier({ mode: 'legacy', cacheSize: 0 });
const noCacheBig = createQualifier({ mode: 'legacy', rules: big, cacheSize: 0 });
const repDefault = addCase('repeated real texts, default rules (cache)', qDefault, corpus, N);
const repBig = addCase('repeated real texts, 1,000+ rules (cache)', qBig, corpus, N);
addCase('repeated real texts, enhanced mode (cache)', qEnh, corpus, N);
const disDefault = addCase('distinct texts, default rules', qDefault, distinct, DISTINCT);
const disBig = addCase('distinct texts, 1,000+ rules', qBig, distinct, DISTINCT);
addCase('distinct texts, default rules, no cache', noCacheDefault, distinct, DISTINCT);
addCase('distinct texts, 1,000+ rules, no cache', noCacheBig, distinct, DISTINCT);
// warm-up, then the trials alternate between the cases so a burst of load on the shared machine
// touches every case alike; CPU time (process.cpuUsage) is the figure that load stretches least
for (const c of cases) once(c.q, c.texts, Math.min(c.n, 50_000));
for (let t = 0; t < TRIALS; t++) for (const c of cases) c.samples.push(once(c.q, c.texts, c.n));
console.log(`${TRIALS} alternating trials; rates per second of CPU time (best / median) and of wall time\n`);
console.log(
  `${'case'.padEnd(46)} ${'cpu best'.padStart(11)} ${'cpu median'.padStart(11)} ${'wall best'.padStart(11)} ${'wall median'.padStart(11)}`,
);
for (const c of cases) {
  const r = rates(c);
  console.log(
    `${c.label.padEnd(46)} ${fmt(r.cpuBest)} ${fmt(r.cpuMedian)} ${fmt(r.wallBest)} ${fmt(r.wallMedian)}`,
  );
}
const rows: [string, Case, Case][] = [
  ['repeated', repDefault, repBig],
  ['distinct', disDefault, disBig],
];

// naive reference: parse, then test every rule's regex in order (what compilation avoids)
const naiveRes = big.rules.map((r) =>
  r.regex
    ? new RegExp(r.regex, 'i')
    : r.contains
      ? new RegExp(r.contains.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i')
      : null,
);
const M = 5_000;
const n0 = process.cpuUsage();
let hits = 0;
for (let i = 0; i < M; i++) {
  const p = parseReply(distinct[i]!);
  for (const re of naiveRes)
    if (re?.test(p.text)) {
      hits++;
      break;
    }
}
const n1 = process.cpuUsage(n0);
const naive = M / ((n1.user + n1.system) / 1e6);
console.log(
  `\n${'distinct, 1,000+ rules, naive regex-per-rule scan'.padEnd(46)} ${fmt(naive)} /s CPU (${hits} hits)`,
);
// the parser alone, per distinct text
const p0 = process.cpuUsage();
let plen = 0;
for (let i = 0; i < DISTINCT; i++) plen += parseReply(distinct[i]!).text.length;
const p1 = process.cpuUsage(p0);
console.log(
  `${'distinct, parseReply alone'.padEnd(46)} ${(((p1.user + p1.system) / DISTINCT) * 1).toFixed(2).padStart(11)} µs CPU per text (${plen % 10})`,
);

console.log('\n| case (CPU time, median) | default rules /s | 1,000+ rules /s | ratio |');
console.log('| --- | ---: | ---: | ---: |');
for (const [k, a, b] of rows) {
  const ra = rates(a).cpuMedian;
  const rb = rates(b).cpuMedian;
  console.log(
    `| ${k} | ${Math.round(ra).toLocaleString('en-US')} | ${Math.round(rb).toLocaleString('en-US')} | ${(ra / rb).toFixed(2)}x |`,
  );
}
const rep = rates(repDefault).cpuMedian;
const dis = rates(disDefault).cpuMedian;
console.log(
  `targets (CPU-time median): repeated >= 1,000,000/s ${rep >= 1e6 ? 'met' : 'NOT met'}; distinct >= 200,000/s ${dis >= 2e5 ? 'met' : 'NOT met'}`,
);
