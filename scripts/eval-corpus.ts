/**
 * Scores inMail (the code of `mxlab inmail`, run in-process) on the labelled bounce corpus
 * (/work/shared/corpus/bounces, Sisimai's reasons) with the SPEC §11 mapping: impact accuracy, reason
 * accuracy, share of labelled recipients found, and the misses grouped by Sisimai reason.
 * Byte-identical mails are counted once. Then runs scripts/eval-replies.ts when it exists.
 *
 * Usage: npm run eval:corpus [-- CORPUS_DIR]
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildInMail } from '../cli/commands/inmail.ts';
import type { InMailResult } from '../core/inmail/index.ts';

/** The labelled corpus in ../shared beside the repository (MXLAB_CORPUS overrides). */
const CORPUS_ROOT =
  process.env.MXLAB_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));

const CORPUS = process.argv[2] ?? `${CORPUS_ROOT}/bounces`;

/** SPEC §11: accepted Campaign reasons and impacts per Sisimai reason ('ignored' = type Ignored). */
const EXPECTED: Record<string, { reasons: (number | 'ignored' | 'denylist' | 'ok')[]; impacts: string[] }> =
  {};
const put = (names: string, reasons: (number | 'ignored' | 'denylist' | 'ok')[], impacts: string[]) => {
  for (const n of names.split(/,\s*/)) EXPECTED[n] = { reasons, impacts };
};
put('userunknown, hasmoved', [1], ['quarantine']);
put('filtered', [1, 20], ['quarantine', 'none']);
put('hostunknown', [2], ['count']);
put('notaccept', [2], ['count', 'quarantine']);
put('mailboxfull', [5], ['count']);
put('exceedlimit', [5, 20], ['count', 'none']);
put('systemfull', [3, 5], ['none', 'count']);
put('suspend', [4], ['count', 'quarantine']);
put('expired, systemerror, mailererror', [3], ['none']);
put('networkerror', [3, 2], ['none', 'count']);
put('toomanyconn, speeding', [3, 20], ['none']);
put(
  'blocked, rejected, spamdetected, policyviolation, securityerror, virusdetected, contenterror, authfailure, requireptr, badreputation',
  [20],
  ['none'],
);
put('norelaying, notcompliantrfc, syntaxerror, failedstarttls', [20, 3], ['none']);
put('mesgtoobig', [20, 3, 0], ['none']);
put('onhold, undefined', [0, 3], ['none', 'count']);
put('vacation', ['ignored'], ['none']);
put('feedback', ['denylist'], ['denylist']);
put('delivered', ['ok'], ['ok']);

interface Label {
  file: string;
  recipient: string | null;
  reason: string;
}

function reasonOk(label: Label, r: InMailResult): boolean {
  const exp = EXPECTED[label.reason];
  if (!exp) return false;
  return exp.reasons.some((x) =>
    x === 'ignored'
      ? r.qualification.type === 'ignored'
      : x === 'denylist'
        ? r.qualification.impact === 'denylist'
        : x === 'ok'
          ? r.qualification.impact === 'ok'
          : r.qualification.reason === x && r.qualification.type !== 'ignored',
  );
}

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);

async function main(): Promise<void> {
  const labelsFile = join(CORPUS, 'labels.jsonl');
  if (!existsSync(labelsFile)) {
    console.error(`eval-corpus: ${labelsFile} not found (give the corpus directory as the first argument)`);
    process.exit(2);
  }
  const labels: Label[] = readFileSync(labelsFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as Label;
      } catch {
        throw new Error(`${labelsFile}:${i + 1}: not JSON`);
      }
    });
  const byFile = new Map<string, Label[]>();
  for (const l of labels) {
    const list = byFile.get(l.file);
    if (list) list.push(l);
    else byFile.set(l.file, [l]);
  }
  const inmail = buildInMail({ mode: 'legacy' });
  const seen = new Set<string>();
  let duplicates = 0;
  let noAddress = 0;
  let total = 0;
  let found = 0;
  let impactOk = 0;
  let reasonOkCount = 0;
  const misses = new Map<string, string[]>();
  const miss = (reason: string, line: string) => {
    const list = misses.get(reason);
    if (list) list.push(line);
    else misses.set(reason, [line]);
  };
  const t0 = performance.now();
  for (const [file, ls] of byFile) {
    const data = readFileSync(join(CORPUS, file));
    const hash = createHash('sha256').update(data).digest('hex');
    if (seen.has(hash)) {
      duplicates++;
      continue;
    }
    seen.add(hash);
    const results = await inmail.process({ source: file, data });
    for (const l of ls) {
      if (!l.recipient) {
        noAddress++;
        continue;
      }
      total++;
      const want = l.recipient.toLowerCase();
      const r = results.find((x) => x.recipient.toLowerCase() === want);
      if (!r) {
        miss(
          l.reason,
          `  not found  ${file} ${l.recipient} (got: ${results.map((x) => `${x.kind}:${x.recipient || '-'}`).join(', ')})`,
        );
        continue;
      }
      found++;
      const iOk = EXPECTED[l.reason]?.impacts.includes(r.qualification.impact) ?? false;
      const rOk = reasonOk(l, r);
      if (iOk) impactOk++;
      if (rOk) reasonOkCount++;
      if (!iOk || !rOk)
        miss(
          l.reason,
          `  ${rOk ? '' : 'reason '}${iOk ? '' : 'impact '}${file} ${l.recipient}: got ${r.qualification.type}/${r.qualification.reason}/${r.qualification.impact} rule=${r.qualification.rule ?? '-'} status=${r.status ?? '-'} text="${r.text.slice(0, 140)}"`,
        );
    }
  }
  const ms = performance.now() - t0;
  console.log(
    `bounce corpus: ${byFile.size} files, ${duplicates} byte-identical duplicates counted once, ${noAddress} labels without an address skipped`,
  );
  console.log(`labelled recipients: ${total}  (${(ms / 1000).toFixed(2)} s)`);
  // every figure is over ALL labelled recipients (a recipient not found counts as a miss)
  const verdict = (a: number, target: number) =>
    total > 0 && (100 * a) / total >= target ? 'ok' : 'BELOW TARGET';
  console.log(
    `found:           ${found}/${total} = ${pct(found, total)}   target >= 97%  ${verdict(found, 97)}`,
  );
  console.log(
    `impact accuracy: ${impactOk}/${total} = ${pct(impactOk, total)}   target >= 95%  ${verdict(impactOk, 95)}   (${pct(impactOk, found)} of found)`,
  );
  console.log(
    `reason accuracy: ${reasonOkCount}/${total} = ${pct(reasonOkCount, total)}   target >= 95%  ${verdict(reasonOkCount, 95)}   (${pct(reasonOkCount, found)} of found)`,
  );
  if (misses.size > 0) {
    console.log('\nmisses by Sisimai reason:');
    for (const [reason, lines] of [...misses].sort((a, b) => b[1].length - a[1].length)) {
      console.log(`${reason} (${lines.length})`);
      for (const l of lines) console.log(l);
    }
  }
  const replies = join(import.meta.dirname, 'eval-replies.ts');
  if (existsSync(replies)) {
    console.log('\n--- replies evaluation (scripts/eval-replies.ts) ---');
    const mod = (await import(pathToFileURL(replies).href)) as { main?: () => unknown };
    if (typeof mod.main === 'function') await mod.main();
  }
}

await main();
