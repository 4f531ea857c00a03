/**
 * Scores inMail (the code of `mxlab inmail`, run in-process) on the labelled bounce corpus
 * (/work/shared/corpus/bounces, Sisimai's reasons) with the SPEC §11 mapping (core/qualification
 * sisimai-map.ts): impact accuracy, reason accuracy and share of labelled recipients found, over
 * every labelled recipient (a mail copied under two names counts twice, as the corpus lists it).
 *
 * Two figures (issue #20): in-sample (the shipped rules) and leave-one-family-out (each family, the
 * `lhost-postfix` / `rhost-google` part of the file name, scored with the shipped rules minus those
 * whose `shapedBy` names that family), then the per-family table and the LOFO misses. Then runs
 * scripts/eval-replies.ts (reply lines, the same two figures).
 *
 * Usage: npm run eval:corpus [-- CORPUS_DIR] [--all-misses]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInMail, type InMailResult } from '../core/inmail/index.ts';
import { mailFamily, type RuleSet, SISIMAI_MAP, withoutFamily } from '../core/qualification/index.ts';
import { createQualifier, defaultRuleSet } from '../node/index.ts';
import type { ReplyFigures, Sum } from './eval-replies.ts';

/** The labelled corpus in ../shared beside the repository (MXLAB_CORPUS overrides). */
const CORPUS_ROOT =
  process.env.MXLAB_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const CORPUS = positional[0] ?? `${CORPUS_ROOT}/bounces`;
const ALL_MISSES = process.argv.includes('--all-misses');

interface Label {
  file: string;
  recipient: string | null;
  reason: string;
}

/** SPEC §11: impact and reason right for one label (vacation: type Ignored; feedback: denylisted; delivered: ok). */
export function scoreLabel(reason: string, r: InMailResult): { impactOk: boolean; reasonOk: boolean } {
  const exp = SISIMAI_MAP[reason];
  if (!exp) return { impactOk: false, reasonOk: false };
  const q = r.qualification;
  const impactOk = exp.impacts.includes(q.impact);
  let reasonOk: boolean;
  if (exp.reasons === null) reasonOk = q.type === 'ignored';
  else if (reason === 'feedback') reasonOk = q.impact === 'denylist';
  else if (reason === 'delivered') reasonOk = q.impact === 'ok';
  else reasonOk = q.type !== 'ignored' && exp.reasons.includes(q.reason);
  return { impactOk, reasonOk };
}

const pct = (a: number, b: number) => (b === 0 ? '  n/a' : `${((100 * a) / b).toFixed(1)}%`);

interface Tally {
  total: number;
  found: number;
  impact: number;
  reason: number;
}
const tally = (): Tally => ({ total: 0, found: 0, impact: 0, reason: 0 });
const add = (a: Tally, b: Tally) => {
  a.total += b.total;
  a.found += b.found;
  a.impact += b.impact;
  a.reason += b.reason;
};

interface Scored {
  tally: Tally;
  misses: { reason: string; line: string }[];
  /** labels whose address is nowhere in the mail's text: no reader can find them (a label problem) */
  absent: string[];
}

/**
 * Whether `address` occurs in a mail's raw text as a whole address (not inside a longer one:
 * `kijitora@exampl` is not in `kijitora@example.com`), case-insensitive. Raw text: an address only
 * inside a base64 part would not count, so the figure is an upper bound of the label problems.
 */
export function addressInMail(address: string, raw: string): boolean {
  const esc = address.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.+=-])${esc}(?![\\w-]|\\.[\\w-])`).test(raw.toLowerCase());
}

async function scoreFamily(
  rules: RuleSet,
  byFile: Map<string, Label[]>,
  files: readonly string[],
): Promise<Scored> {
  const inmail = createInMail({ qualifier: createQualifier({ mode: 'legacy', rules }) });
  const t = tally();
  const misses: { reason: string; line: string }[] = [];
  const absent: string[] = [];
  for (const file of files) {
    const data = readFileSync(join(CORPUS, file));
    const results = await inmail.process({ source: file, data });
    for (const l of byFile.get(file)!) {
      if (!l.recipient) continue;
      t.total++;
      const want = l.recipient.toLowerCase();
      const r = results.find((x) => x.recipient.toLowerCase() === want);
      if (!r) {
        if (!addressInMail(l.recipient, data.toString('latin1'))) absent.push(`${file} ${l.recipient}`);
        const got = results.map((x) => `${x.kind}:${x.recipient || '-'}`).join(', ');
        misses.push({ reason: l.reason, line: `  not found  ${file} ${l.recipient} (got: ${got})` });
        continue;
      }
      t.found++;
      const s = scoreLabel(l.reason, r);
      if (s.impactOk) t.impact++;
      if (s.reasonOk) t.reason++;
      if (!s.impactOk || !s.reasonOk) {
        const q = r.qualification;
        misses.push({
          reason: l.reason,
          line: `  ${s.reasonOk ? '' : 'reason '}${s.impactOk ? '' : 'impact '}${file} ${l.recipient}: got ${q.type}/${q.reason}/${q.impact} rule=${q.rule ?? '-'} status=${r.status ?? '-'} text="${r.text.slice(0, 140)}"`,
        });
      }
    }
  }
  return { tally: t, misses, absent };
}

function printMisses(title: string, misses: { reason: string; line: string }[]): void {
  if (misses.length === 0) return;
  const by = new Map<string, string[]>();
  for (const m of misses) by.set(m.reason, [...(by.get(m.reason) ?? []), m.line]);
  console.log(`\n${title}`);
  for (const [reason, lines] of [...by].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`${reason} (${lines.length})`);
    for (const l of lines) console.log(l);
  }
}

function figures(label: string, t: Tally, targets: { found: number; impact: number; reason: number }) {
  const v = (a: number, target: number) =>
    t.total > 0 && (100 * a) / t.total >= target ? 'ok' : 'BELOW TARGET';
  console.log(`${label}`);
  console.log(
    `  found:           ${t.found}/${t.total} = ${pct(t.found, t.total)}   target >= ${targets.found}%  ${v(t.found, targets.found)}`,
  );
  console.log(
    `  impact accuracy: ${t.impact}/${t.total} = ${pct(t.impact, t.total)}   target >= ${targets.impact}%  ${v(t.impact, targets.impact)}   (${pct(t.impact, t.found)} of found)`,
  );
  console.log(
    `  reason accuracy: ${t.reason}/${t.total} = ${pct(t.reason, t.total)}   target >= ${targets.reason}%  ${v(t.reason, targets.reason)}   (${pct(t.reason, t.found)} of found)`,
  );
}

async function main(): Promise<void> {
  const labelsFile = join(CORPUS, 'labels.jsonl');
  if (!existsSync(labelsFile)) {
    console.error(`eval-corpus: ${labelsFile} not found (give the corpus directory as the first argument)`);
    process.exit(2);
  }
  const labels: Label[] = readFileSync(labelsFile, 'utf8')
    .split('\n')
    .map((l, i) => [l, i] as const)
    .filter(([l]) => l.trim())
    .map(([l, i]) => {
      try {
        return JSON.parse(l) as Label;
      } catch {
        console.error(`${labelsFile}:${i + 1}: not JSON`);
        return process.exit(2);
      }
    });
  const byFile = new Map<string, Label[]>();
  for (const l of labels) byFile.set(l.file, [...(byFile.get(l.file) ?? []), l]);
  const families = new Map<string, string[]>();
  for (const file of byFile.keys()) {
    const f = mailFamily(file);
    families.set(f, [...(families.get(f) ?? []), file]);
  }
  const noAddress = labels.filter((l) => !l.recipient).length;
  const rules = defaultRuleSet();
  const t0 = performance.now();
  const inSample = tally();
  const lofo = tally();
  const inMisses: Scored['misses'] = [];
  const lofoMisses: Scored['misses'] = [];
  const absent: string[] = [];
  const rows: string[] = [];
  for (const [family, files] of [...families].sort()) {
    const a = await scoreFamily(rules, byFile, files);
    const held = withoutFamily(rules, family);
    const b = held === rules ? a : await scoreFamily(held, byFile, files);
    add(inSample, a.tally);
    add(lofo, b.tally);
    inMisses.push(...a.misses);
    absent.push(...a.absent);
    lofoMisses.push(...b.misses);
    const removed = rules.rules.length - held.rules.length;
    rows.push(
      `  ${family.padEnd(24)} ${String(a.tally.total).padStart(4)} ${String(removed).padStart(7)}   ${pct(a.tally.impact, a.tally.total).padStart(6)} ${pct(a.tally.reason, a.tally.total).padStart(6)}   ${pct(b.tally.impact, b.tally.total).padStart(6)} ${pct(b.tally.reason, b.tally.total).padStart(6)} ${pct(b.tally.found, b.tally.total).padStart(6)}`,
    );
  }
  const ms = performance.now() - t0;
  console.log(
    `bounce corpus: ${byFile.size} files in ${families.size} families, ${labels.length - noAddress} labelled recipients (duplicates included), ${noAddress} labels without an address skipped  (${(ms / 1000).toFixed(2)} s)`,
  );
  figures('in-sample (shipped rules):', inSample, { found: 97, impact: 95, reason: 95 });
  figures('leave-one-family-out (rules shaped by the scored family removed):', lofo, {
    found: 99,
    impact: 97,
    reason: 97,
  });
  const reachable = inSample.total - absent.length;
  console.log(
    `labelled addresses that are nowhere in their mail (label problems, no reader finds them): ${absent.length}; found can reach at most ${reachable}/${inSample.total} = ${pct(reachable, inSample.total)}`,
  );
  for (const a of absent) console.log(`  absent  ${a}`);
  console.log(
    '\nper family:                  n  removed   in-sample impact/reason   LOFO impact/reason/found',
  );
  for (const r of rows) console.log(r);
  printMisses('leave-one-family-out misses by Sisimai reason:', lofoMisses);
  if (ALL_MISSES) printMisses('in-sample misses by Sisimai reason:', inMisses);
  const replies = join(import.meta.dirname, 'eval-replies.ts');
  let replyFigures: ReplyFigures[] = [];
  if (existsSync(replies)) {
    console.log('\n--- replies evaluation (scripts/eval-replies.ts) ---');
    const mod = (await import(pathToFileURL(replies).href)) as { main?: () => ReplyFigures[] };
    if (typeof mod.main === 'function') replyFigures = mod.main();
  }
  // closing note: the cross-validated figures beside the in-sample ones (issue #20 targets)
  const line = (name: string, a: Tally, b: Tally) =>
    `  ${name.padEnd(28)} impact ${pct(a.impact, a.total)} / ${pct(b.impact, b.total)}   reason ${pct(a.reason, a.total)} / ${pct(b.reason, b.total)}   found ${pct(a.found, a.total)} / ${pct(b.found, b.total)}`;
  console.log('\n=== summary: in-sample / leave-one-family-out ===');
  console.log(line(`bounce mails (${inSample.total})`, inSample, lofo));
  for (const f of replyFigures)
    for (const [name, s] of [
      [`reply lines, ${f.mode}`, f.corpus],
      [`mxlab texts, ${f.mode}`, f.own],
    ] as const) {
      const t = (x: Sum): Tally => ({ total: x.n, found: x.n, impact: x.impact, reason: x.reason });
      console.log(line(`${name} (${s.inSample.n})`, t(s.inSample), t(s.lofo)));
    }
  console.log(
    '  targets (LOFO): bounce impact >= 97%, reason >= 97%, found >= 99%; reply lines impact >= 97%',
  );
}

await main();
