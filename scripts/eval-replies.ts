/**
 * Scores the qualification core on the labelled SMTP replies of the shared corpus
 * (/work/shared/corpus/smtp-replies.jsonl): impact accuracy against SPEC §11's mapping of
 * `sisimai_reason` (either listed option counts), reason accuracy, and disposition accuracy against
 * `permanent`. Prints the figures and the misses grouped by Sisimai reason.
 *
 *   npx tsx scripts/eval-replies.ts [--mode legacy|enhanced] [--rules DIR] [--corpus FILE]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createQualifier, scoreAgainstSisimai } from '../core/qualification/index.ts';
import type { SmtpPhase } from '../core/types.ts';

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
const rules = args.includes('--rules') ? opt('--rules', '') : undefined;

interface Row {
  reply?: string;
  reply_fragment?: string;
  enhanced?: string | null;
  code?: number | null;
  sisimai_reason: string;
  permanent: boolean;
}
const rows: Row[] = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Row);

/** The SMTP command a Postfix-style "(in reply to ...)" names, else RCPT. */
function phaseOf(text: string): SmtpPhase {
  if (/in reply to end of data/i.test(text)) return 'data';
  if (/in reply to mail from/i.test(text)) return 'mail';
  return 'rcpt';
}

for (const mode of modes) {
  const q = createQualifier({ mode, ...(rules ? { rules } : {}) });
  let impactOk = 0;
  let reasonOk = 0;
  let dispOk = 0;
  let undefinedCount = 0;
  const misses = new Map<string, string[]>();
  for (const r of rows) {
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
    const d = (res.disposition === 'permanent') === r.permanent;
    if (s.impactOk) impactOk++;
    if (s.reasonOk) reasonOk++;
    if (d) dispOk++;
    if (res.type === 'undefined') undefinedCount++;
    if (!s.impactOk || !d) {
      const list = misses.get(r.sisimai_reason) ?? [];
      list.push(
        `${s.impactOk ? '' : `impact=${res.impact} `}${d ? '' : `disposition=${res.disposition} `}reason=${res.reason} rule=${res.rule} | ${text.slice(0, 110)}`,
      );
      misses.set(r.sisimai_reason, list);
    }
  }
  const pct = (n: number) => `${((100 * n) / rows.length).toFixed(1)}%`;
  console.log(`\n== mode ${mode}: ${rows.length} replies (${corpus})`);
  console.log(`impact accuracy      ${impactOk}/${rows.length} = ${pct(impactOk)}`);
  console.log(`reason accuracy      ${reasonOk}/${rows.length} = ${pct(reasonOk)}`);
  console.log(`disposition accuracy ${dispOk}/${rows.length} = ${pct(dispOk)}`);
  console.log(`left Not defined     ${undefinedCount}`);
  for (const [reason, list] of [...misses].sort()) {
    console.log(`-- ${reason} (${list.length} miss${list.length > 1 ? 'es' : ''})`);
    for (const m of list) console.log(`   ${m}`);
  }
}
