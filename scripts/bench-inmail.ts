/**
 * Bounce mails parsed per second: our inMail (fast MIME reader + detectors + qualifier, in-process) vs
 * Debian's Sisimai 4.25 (Perl, `Sisimai->make(dir)`) on the same files, side by side.
 * Both sides are warmed up, then timed in alternating trials; each side's best trial counts. Rates are
 * given in CPU time (user + system of the process, what the machine's other load does not inflate) and
 * in wall time; the ratio uses CPU time. Install the peer with `apt-get install -y libsisimai-perl`;
 * without it the script says so.
 *
 * Usage: npx tsx scripts/bench-inmail.ts [DIR] [ROUNDS] [TRIALS]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import { buildInMail } from '../cli/commands/inmail.ts';

/** The labelled corpus in ../shared beside the repository (MXLAB_CORPUS overrides). */
const CORPUS_ROOT =
  process.env.MXLAB_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));

const dir = process.argv[2] ?? `${CORPUS_ROOT}/bounces/maildir/bsd`;
const rounds = Number(process.argv[3] ?? 5);
const trials = Number(process.argv[4] ?? 3);
const WARMUP_ROUNDS = 3;
const files = readdirSync(dir)
  .filter((f) => !f.startsWith('.'))
  .sort();
const mails = files.map((f) => ({ source: f, data: readFileSync(join(dir, f)) }));
const bytes = mails.reduce((s, m) => s + m.data.length, 0);
const n = mails.length * rounds;
console.log(
  `${mails.length} mails, ${(bytes / 1024).toFixed(0)} KiB, ${rounds} rounds per trial, best of ${trials} trials`,
);

interface Timing {
  cpu: number;
  wall: number;
  results: number;
}

const inmail = buildInMail({ mode: 'legacy' });
for (let r = 0; r < WARMUP_ROUNDS; r++) for (const m of mails) await inmail.process(m);

async function ours(): Promise<Timing> {
  let results = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const m of mails) results += (await inmail.process(m)).length;
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall, results: results / rounds };
}

const PERL = `use Sisimai; use Time::HiRes qw(time);
  my ($dir, $rounds, $warm) = @ARGV; Sisimai->make($dir) for 1..$warm;
  my $n = 0; my @c0 = times; my $t = time;
  for (1..$rounds) { my $r = Sisimai->make($dir, delivered => 1, vacation => 1); $n += scalar(@{ $r || [] }); }
  my $w = time - $t; my @c1 = times;
  printf "%f %f %d\\n", ($c1[0] - $c0[0]) + ($c1[1] - $c0[1]), $w, $n / $rounds;`;

function sisimaiMissing(): string | null {
  try {
    $.sync`perl -MSisimai -e 1`;
    return null;
  } catch {
    return 'Sisimai not found: apt-get install -y libsisimai-perl (Perl module Sisimai 4.25)';
  }
}

function sisimai(): Timing {
  const out = $.sync`perl -e ${PERL} ${dir} ${rounds} 1`.stdout;
  const [cpu, wall, results] = out.trim().split(/\s+/).map(Number) as [number, number, number];
  return { cpu, wall, results };
}

$.verbose = false;
$.quiet = true;
const best = (list: Timing[], k: 'cpu' | 'wall') => Math.min(...list.map((t) => t[k]));
const missing = sisimaiMissing();
const mine: Timing[] = [];
const peer: Timing[] = [];
for (let t = 0; t < trials; t++) {
  mine.push(await ours());
  if (!missing) peer.push(sisimai());
}
const line = (name: string, list: Timing[]) => {
  const cpu = best(list, 'cpu');
  const wall = best(list, 'wall');
  console.log(
    `${name} ${(n / cpu).toFixed(0).padStart(7)} mails/s CPU (${((cpu * 1e6) / n).toFixed(0)} µs/mail), ${(n / wall).toFixed(0).padStart(7)} mails/s wall, ${list[0]!.results} results/round`,
  );
};
line('mxlab inMail :', mine);
if (missing) console.log(`Sisimai      : ${missing}`);
else {
  line('Sisimai 4.25 :', peer);
  console.log(
    `ratio        : ${(best(peer, 'cpu') / best(mine, 'cpu')).toFixed(1)}x Sisimai in CPU time, ${(best(peer, 'wall') / best(mine, 'wall')).toFixed(1)}x in wall time  (target >= 5x)`,
  );
}
