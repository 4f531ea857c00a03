/**
 * `mxlab ingest` of 1,000,000 Postfix log lines: lines/s and peak RSS, beside references on the same
 * file in the same run: `wc -l`, and a bare line-split pass (node readline, counting lines). Each
 * measured step runs in its own process (`--child`), so its peak RSS is its own.
 *
 * The generated log (in .bench/, reused when present): queue manager and smtpd noise lines, then per
 * message one delivery line: 80 % sent, the rest deferred (each retried an hour later), bounced
 * (user unknown) or bounced with Postfix's own DNS text; 20 domains, 2 sending instances.
 *
 *   npx tsx scripts/bench-ingest.ts [--lines 1000000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};

interface Measure {
  label: string;
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  lines: number;
}

async function child(kind: string, file: string): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let lines = 0;
  if (kind === 'split') {
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const _ of rl) lines++;
  } else {
    const { readFiles } = await import('../ingest/read-files.ts');
    const { buildStore } = await import('../ingest/build-store.ts');
    const read = await readFiles('postfix', [file], { year: 2026 });
    lines = read.lines;
    const tRead = performance.now() - t0;
    const out = join(ROOT, '.bench', 'ingest-store');
    rmSync(out, { recursive: true, force: true });
    await buildStore(out, read.records, read.initial, { mode: 'legacy', format: 'postfix', sources: [file] });
    process.stderr.write(
      `  ingest: read ${Math.round(tRead)} ms (${read.records.length} attempts), store ${Math.round(performance.now() - t0 - tRead)} ms\n`,
    );
  }
  const cpu = process.cpuUsage(c0);
  const m: Measure = {
    label: kind,
    wallMs: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    lines,
  };
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

function generate(file: string, n: number): void {
  const domains = Array.from({ length: 20 }, (_, i) =>
    i < 4 ? ['gmail.com', 'yahoo.com', 'hotmail.com', 'icloud.com'][i]! : `isp${i}.example`,
  );
  const out: string[] = [];
  let t = Date.UTC(2026, 11, 1, 6);
  let q = 0;
  const retries: string[] = [];
  const stamp = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
  while (out.length < n) {
    q++;
    t += 7;
    const id = q.toString(16).toUpperCase().padStart(10, '0');
    const d = domains[q % domains.length]!;
    const rcpt = `user${q}@${d}`;
    const inst = `postfix-out${q % 2}`;
    const ip = `192.0.2.${(q % 20) + 1}`;
    if (q % 25 === 0)
      out.push(
        `${stamp(t)} mail postfix/qmgr[2003]: ${id}: from=<news@shop.example>, size=2048, nrcpt=1 (queue active)`,
      );
    if (q % 40 === 0)
      out.push(`${stamp(t)} mail postfix/smtpd[2100]: connect from app.shop.example[198.51.100.5]`);
    const head = `${stamp(t)} mail ${inst}/smtp[3${q % 1000}]: ${id}: to=<${rcpt}>, relay=mx.${d}[${ip}]:25, delay=0.4, delays=0.05/0.01/0.2/0.1`;
    const r = q % 100;
    if (r < 80) out.push(`${head}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ${id}X)`);
    else if (r < 92) {
      const line = `dsn=4.2.2, status=deferred (host mx.${d}[${ip}] said: 452 4.2.2 <${rcpt}>: Mailbox full (in reply to RCPT TO command))`;
      out.push(`${head}, ${line}`);
      retries.push(
        `${stamp(t + 3_600_000)} mail ${inst}/smtp[4${q % 1000}]: ${id}: to=<${rcpt}>, relay=mx.${d}[${ip}]:25, delay=3600, delays=3600/0/0.2/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)`,
      );
    } else if (r < 98)
      out.push(
        `${head}, dsn=5.1.1, status=bounced (host mx.${d}[${ip}] said: 550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))`,
      );
    else
      out.push(
        `${stamp(t)} mail ${inst}/smtp[5${q % 1000}]: ${id}: to=<${rcpt}>, relay=none, delay=0.1, delays=0.05/0.01/0.04/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=${d} type=MX: Host not found)`,
      );
    if (retries.length > 0 && out.length % 9 === 0) out.push(retries.shift()!);
  }
  out.length = n;
  writeFileSync(file, `${out.join('\n')}\n`);
}

async function main(): Promise<void> {
  const ci = process.argv.indexOf('--child');
  if (ci > 0) return child(process.argv[ci + 1]!, process.argv[ci + 2]!);
  const n = arg('lines', 1_000_000);
  const dir = join(ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `postfix-${n}.log`);
  if (!existsSync(file)) {
    const g0 = performance.now();
    generate(file, n);
    console.log(
      `generated ${file} (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${Math.round(performance.now() - g0)} ms`,
    );
  }
  const w0 = performance.now();
  const wc = execFileSync('wc', ['-l', file], { encoding: 'utf8' }).trim().split(/\s+/)[0];
  const wcMs = performance.now() - w0;
  const run = (kind: string): Measure => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', kind, file],
      {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
    if (r.status !== 0) throw new Error(`${kind}: exit ${r.status}\n${r.stderr}`);
    process.stderr.write(r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measure;
  };
  const split = run('split');
  const ingest = run('ingest');
  const rate = (lines: number, ms: number) =>
    `${Math.round((lines / ms) * 1000).toLocaleString('en-US')} lines/s`;
  console.log(`\n${n.toLocaleString('en-US')} Postfix log lines, this machine, one run:`);
  console.log(
    `  wc -l                 ${wc} lines   wall ${Math.round(wcMs)} ms   ${rate(Number(wc), wcMs)}`,
  );
  console.log(
    `  line split (readline) wall ${Math.round(split.wallMs)} ms   cpu ${Math.round(split.cpuMs)} ms   ${rate(split.lines, split.wallMs)}   peak RSS ${Math.round(split.maxRssMb)} MB`,
  );
  console.log(
    `  mxlab ingest          wall ${Math.round(ingest.wallMs)} ms   cpu ${Math.round(ingest.cpuMs)} ms   ${rate(ingest.lines, ingest.wallMs)}   peak RSS ${Math.round(ingest.maxRssMb)} MB   (${(ingest.wallMs / split.wallMs).toFixed(1)}x the line split)`,
  );
}

await main();
