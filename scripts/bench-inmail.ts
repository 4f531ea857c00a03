/**
 * Bounce mails parsed per second: our inMail (mailparser + detectors + qualifier, in-process) vs
 * Debian's Sisimai 4.25 (Perl, `Sisimai->make(dir)`) on the same files, side by side.
 * Install the peer with `apt-get install -y libsisimai-perl`; without it the script says so.
 *
 * Usage: npx tsx scripts/bench-inmail.ts [DIR] [ROUNDS]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInMail } from '../cli/commands/inmail.ts';

const dir = process.argv[2] ?? '/work/shared/corpus/bounces/maildir/bsd';
const rounds = Number(process.argv[3] ?? 5);
const files = readdirSync(dir)
  .filter((f) => !f.startsWith('.'))
  .sort();
const mails = files.map((f) => ({ source: f, data: readFileSync(join(dir, f)) }));
const bytes = mails.reduce((s, m) => s + m.data.length, 0);
console.log(`${mails.length} mails, ${(bytes / 1024).toFixed(0)} KiB, ${rounds} rounds each`);

// ours: warm up once (JIT, rule compilation), then time whole rounds; the qualifier cache is off so
// every round qualifies every text again
const inmail = buildInMail({ mode: 'legacy' });
for (const m of mails) await inmail.process(m);
let results = 0;
const t0 = performance.now();
for (let r = 0; r < rounds; r++) for (const m of mails) results += (await inmail.process(m)).length;
const oursS = (performance.now() - t0) / 1000;
const ours = (mails.length * rounds) / oursS;
console.log(
  `mxlab inMail : ${ours.toFixed(0).padStart(7)} mails/s  (${((oursS * 1e6) / (mails.length * rounds)).toFixed(0)} µs/mail, ${results / rounds} results/round)`,
);

function sisimai(): { rate: number; results: number } | string {
  try {
    execFileSync('perl', ['-MSisimai', '-e', '1'], { stdio: 'ignore' });
  } catch {
    return 'Sisimai not found: apt-get install -y libsisimai-perl (Perl module Sisimai 4.25)';
  }
  const script = `use Sisimai; use Time::HiRes qw(time);
    my ($dir, $rounds) = @ARGV; Sisimai->make($dir);
    my $n = 0; my $t = time;
    for (1..$rounds) { my $r = Sisimai->make($dir, delivered => 1, vacation => 1); $n += scalar(@{ $r || [] }); }
    printf "%f %d\\n", time - $t, $n / $rounds;`;
  const out = execFileSync('perl', ['-e', script, dir, String(rounds)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const [secs, n] = out.trim().split(/\s+/).map(Number) as [number, number];
  return { rate: (mails.length * rounds) / secs, results: n };
}

const peer = sisimai();
if (typeof peer === 'string') console.log(`Sisimai      : ${peer}`);
else {
  console.log(`Sisimai 4.25 : ${peer.rate.toFixed(0).padStart(7)} mails/s  (${peer.results} results/round)`);
  console.log(`ratio        : ${(ours / peer.rate).toFixed(1)}x Sisimai  (target >= 5x)`);
}
