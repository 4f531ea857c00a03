/**
 * Scores the qualification core on labelled SMTP reply lines: the shared corpus
 * (/work/shared/corpus/smtp-replies.jsonl, real providers' lines) and the mission's own texts
 * (scripts/fixtures/mxlab-replies.jsonl: the simulated ISPs' profiles and `mxlab serve`'s magic
 * replies, labelled by hand from SPEC §3/§10/§11, a `source` per line). Impact accuracy against
 * SPEC §11's mapping of `sisimai_reason` (either listed option counts), reason accuracy, and
 * disposition accuracy against `permanent`; in-sample and leave-one-family-out (the family of a line
 * is its ISP; rules whose `shapedBy` names it are removed when it is scored). Prints the figures,
 * the per-family table and the LOFO misses grouped by Sisimai reason.
 *
 *   npx tsx scripts/eval-replies.ts [--mode legacy|enhanced] [--rules DIR] [--corpus FILE]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Qualifier,
  type RuleSet,
  replyFamily,
  scoreAgainstSisimai,
  withoutFamily,
} from '../core/qualification/index.ts';
import type { SmtpPhase } from '../core/types.ts';
import { createQualifier, defaultBounceRuleSet, defaultRuleSet, loadRuleSet } from '../node/index.ts';

/** The labelled corpus in ../shared beside the repository (MXLAB_CORPUS overrides). */
const CORPUS_ROOT =
  process.env.MXLAB_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const corpus = opt('--corpus', `${CORPUS_ROOT}/smtp-replies.jsonl`);
const modes = args.includes('--mode')
  ? [opt('--mode', 'legacy') as 'legacy' | 'enhanced']
  : (['legacy', 'enhanced'] as const);
const rulesPath = args.includes('--rules') ? opt('--rules', '') : undefined;
const FIXTURE = fileURLToPath(new URL('./fixtures/mxlab-replies.jsonl', import.meta.url));

interface Row {
  isp: string;
  reply?: string;
  reply_fragment?: string;
  enhanced?: string | null;
  code?: number | null;
  sisimai_reason: string;
  permanent: boolean;
}
function readRows(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as Row;
      } catch {
        console.error(`${file}:${i + 1}: not JSON`);
        return process.exit(2);
      }
    });
}

/** The SMTP command a Postfix-style "(in reply to ...)" names, else RCPT. */
function phaseOf(text: string): SmtpPhase {
  if (/in reply to end of data/i.test(text)) return 'data';
  if (/in reply to mail from/i.test(text)) return 'mail';
  return 'rcpt';
}

interface Outcome {
  impactOk: boolean;
  reasonOk: boolean;
  dispOk: boolean;
  undefined: boolean;
  line: string;
}

function scoreRow(q: Qualifier, r: Row, mode: 'legacy' | 'enhanced'): Outcome {
  let res: ReturnType<typeof q.qualify>;
  let text: string;
  if (r.reply) {
    text = r.reply;
    res = q.qualify(text, { phase: phaseOf(text) });
  } else {
    // documented fragments: the enhanced code (first of a range) then the text, as a diagnostic
    text = `${(r.enhanced ?? '').split('-')[0]} ${r.reply_fragment ?? ''}`.trim();
    res = q.qualifyText(text, { phase: 'rcpt' });
  }
  const s = scoreAgainstSisimai(r.sisimai_reason, res);
  // SPEC §6.3 (turn 2): the legacy MTA's disposition follows the type (Soft retried, Hard never; Not
  // defined and Ignored follow the code); the Enhanced MTA's follows the code, as labelled
  const byType = res.type === 'soft' ? false : res.type === 'hard' ? true : r.permanent;
  const d = (res.disposition === 'permanent') === (mode === 'legacy' ? byType : r.permanent);
  return {
    impactOk: s.impactOk,
    reasonOk: s.reasonOk,
    dispOk: d,
    undefined: res.type === 'undefined',
    line: `${s.impactOk ? '' : `impact=${res.impact} `}${s.reasonOk ? '' : `reason=${res.reason} `}${d ? '' : `disposition=${res.disposition} `}rule=${res.rule} [${replyFamily(r.isp)}] | ${text.slice(0, 110)}`,
  };
}

export interface Sum {
  n: number;
  impact: number;
  reason: number;
  disp: number;
  undef: number;
}
const sum = (): Sum => ({ n: 0, impact: 0, reason: 0, disp: 0, undef: 0 });
const pct = (a: number, n: number) => (n === 0 ? 'n/a' : `${((100 * a) / n).toFixed(1)}%`);

function evaluate(
  mode: 'legacy' | 'enhanced',
  label: string,
  rows: Row[],
  inbound: RuleSet,
  bounce: RuleSet,
) {
  const families = [...new Set(rows.map((r) => replyFamily(r.isp)))].sort();
  const inSample = sum();
  const lofo = sum();
  const misses = new Map<string, string[]>();
  const table: string[] = [];
  const base = createQualifier({ mode, rules: inbound, bounceRules: bounce });
  for (const family of families) {
    const own = rows.filter((r) => replyFamily(r.isp) === family);
    const inb = withoutFamily(inbound, family);
    const bnc = withoutFamily(bounce, family);
    const removed = inbound.rules.length - inb.rules.length + bounce.rules.length - bnc.rules.length;
    const held = removed === 0 ? base : createQualifier({ mode, rules: inb, bounceRules: bnc });
    const a = sum();
    const b = sum();
    for (const r of own) {
      for (const [q, t] of [
        [base, a],
        [held, b],
      ] as const) {
        const o = scoreRow(q, r, mode);
        t.n++;
        if (o.impactOk) t.impact++;
        if (o.reasonOk) t.reason++;
        if (o.dispOk) t.disp++;
        if (o.undefined) t.undef++;
        if (t === b && (!o.impactOk || !o.dispOk || !o.reasonOk))
          misses.set(r.sisimai_reason, [...(misses.get(r.sisimai_reason) ?? []), o.line]);
      }
    }
    for (const k of ['n', 'impact', 'reason', 'disp', 'undef'] as const) {
      inSample[k] += a[k];
      lofo[k] += b[k];
    }
    table.push(
      `  ${family.padEnd(34)} ${String(a.n).padStart(4)} ${String(removed).padStart(7)}   ${pct(a.impact, a.n).padStart(6)} ${pct(a.reason, a.n).padStart(6)}   ${pct(b.impact, b.n).padStart(6)} ${pct(b.reason, b.n).padStart(6)}`,
    );
  }
  console.log(`\n== mode ${mode}: ${label}`);
  for (const [name, t] of [
    ['in-sample', inSample],
    ['leave-one-family-out', lofo],
  ] as const) {
    console.log(`${name}:`);
    console.log(`  impact accuracy      ${t.impact}/${t.n} = ${pct(t.impact, t.n)}`);
    console.log(`  reason accuracy      ${t.reason}/${t.n} = ${pct(t.reason, t.n)}`);
    console.log(`  disposition accuracy ${t.disp}/${t.n} = ${pct(t.disp, t.n)}`);
    console.log(`  left Not defined     ${t.undef}`);
  }
  console.log(
    'per family:                              n  removed   in-sample impact/reason   LOFO impact/reason',
  );
  for (const l of table) console.log(l);
  if (misses.size > 0) console.log('leave-one-family-out misses:');
  for (const [reason, list] of [...misses].sort()) {
    console.log(`-- ${reason} (${list.length} miss${list.length > 1 ? 'es' : ''})`);
    for (const m of list) console.log(`   ${m}`);
  }
  return { inSample, lofo };
}

/** In-sample and leave-one-family-out figures of one mode, for eval-corpus's closing note. */
export interface ReplyFigures {
  mode: 'legacy' | 'enhanced';
  corpus: { inSample: Sum; lofo: Sum };
  own: { inSample: Sum; lofo: Sum };
}

export function main(): ReplyFigures[] {
  const inbound = rulesPath ? loadRuleSet(rulesPath) : defaultRuleSet();
  const bounce = defaultBounceRuleSet();
  const corpusRows = readRows(corpus);
  const ownRows = readRows(FIXTURE);
  return modes.map((mode) => ({
    mode,
    corpus: evaluate(mode, `${corpusRows.length} reply lines (${corpus})`, corpusRows, inbound, bounce),
    own: evaluate(mode, `${ownRows.length} mxlab texts (${FIXTURE})`, ownRows, inbound, bounce),
  }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
