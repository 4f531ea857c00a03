/**
 * Benchmark of report generation: writes a synthetic 1M-recipient run store with the store writer
 * (deterministic: a fixed-seed xorshift), then times `writeReport` (summary.json, report.md,
 * report.html) and the CSV export. Target: report generation <= 5 s for 1M recipients.
 *
 *   npx tsx scripts/bench-report.ts [recipients] [outDir]
 */
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCsv, writeReport } from '../reports/index.ts';
import { DELIVERED_250, dnsFailure, MAILBOX_FULL_452 } from '../reports/test-helpers/attempt-rows.ts';
import { createRunStore, openRunStore } from '../store/index.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const OUT = process.argv[3] ?? join(tmpdir(), 'mxlab-bench-report');
const H = 3_600_000;
const SLICE = 300_000;

let seed = 0x9e3779b9;
function rnd(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}

const DOMAINS = Array.from({ length: 60 }, (_, i) =>
  i === 0 ? 'gmail.example' : i === 1 ? 'icloud.example' : i === 2 ? 'yahoo.example' : `isp${i}.example`,
);
// zipf-like weights
const W = DOMAINS.map((_, i) => 1 / (i + 1));
const WSUM = W.reduce((a, b) => a + b, 0);
const CUM: number[] = [];
W.reduce((acc, w, i) => {
  CUM[i] = (acc + w) / WSUM;
  return acc + w;
}, 0);
function pickDomain(): number {
  const r = rnd();
  let i = 0;
  while (CUM[i]! < r) i++;
  return Math.min(i, DOMAINS.length - 1);
}

async function generate(dir: string): Promise<void> {
  const w = await createRunStore(dir, {
    seed: 7,
    scenario_name: 'bench-1m',
    scenario_hash: 'bench',
    mode: 'legacy',
  });
  w.insertRows('deliveries', [
    { id: 1, name: 'bench', start_ms: 0, validity_ms: 5 * 24 * H, retry_policy: 'legacy', mode: 'legacy' },
  ]);
  const tp = new Map<number, Int32Array>(); // key slice * 64 + domain -> attempts, delivered, deferred, failed
  const count = (t: number, d: number, k: number) => {
    const key = Math.floor(t / SLICE) * 64 + d;
    let a = tp.get(key);
    if (!a) {
      a = new Int32Array(4);
      tp.set(key, a);
    }
    a[0]!++;
    a[k]!++;
  };
  const ip = '10.0.0.1';
  for (let id = 1; id <= N; id++) {
    const d = pickDomain();
    const domain = DOMAINS[d]!;
    const address = `user${id}@${domain}`;
    const r = rnd();
    const truth =
      r < 0.9
        ? 'valid'
        : r < 0.94
          ? 'unknown'
          : r < 0.96
            ? 'mailboxFull'
            : r < 0.97
              ? 'disabled'
              : r < 0.98
                ? 'disabledPermanent'
                : r < 0.99
                  ? 'invalidDomain'
                  : 'autoResponder';
    const pre = rnd() < 0.01;
    w.recipients.push(id, address, domain, truth, false, pre ? 'quarantine' : 'valid', false);
    if (pre) {
      w.deliveryLog.push(1, id, address, domain, 'failed', 'hard', 9, true, null, 0, null, null, null);
      w.quarantine.push(address, 'quarantine', 1, 1, 'old', 0, 0, 0);
      w.quarantineHistory.push(0, address, 'valid', 'quarantine', 1, 'old', null, 'initial');
      continue;
    }
    const t0 = Math.floor((id / N) * 10 * H);
    const outage = d === 1 && t0 >= 3 * H && t0 < 5 * H && rnd() < 0.3;
    if (truth === 'valid' || truth === 'autoResponder' || truth === 'disabled') {
      if (outage) {
        const text = `550 5.1.1 <${address}>: user lookup success but no user record found`;
        w.attempts.push(
          t0,
          1,
          id,
          1,
          domain,
          ip,
          '192.0.2.1',
          'rcpt',
          550,
          '5.1.1',
          text,
          'hard',
          1,
          'quarantine',
          'permanent',
          'Momen_Code10_InvalidRecipient',
          10,
          'failed',
        );
        count(t0, d, 3);
        w.deliveryLog.push(1, id, address, domain, 'failed', 'hard', 1, false, text, 1, t0, t0, null);
        w.quarantine.push(address, 'quarantine', 1, 1, text, t0, t0, t0);
        w.quarantineHistory.push(
          t0,
          address,
          'valid',
          'quarantine',
          1,
          text,
          'Momen_Code10_InvalidRecipient',
          'sync',
        );
      } else if (rnd() < 0.15) {
        const t1 = t0 + H + Math.floor(rnd() * 600_000);
        w.attempts.push(
          t0,
          1,
          id,
          1,
          domain,
          ip,
          '192.0.2.1',
          'rcpt',
          421,
          '4.7.0',
          '421 4.7.0 [TSS04] Messages temporarily deferred',
          'soft',
          3,
          'none',
          'transient',
          'Deferral',
          null,
          'retry',
        );
        count(t0, d, 2);
        w.attempts.push(t1, 1, id, 2, domain, ip, '192.0.2.1', ...DELIVERED_250);
        count(t1, d, 1);
        w.deliveryLog.push(1, id, address, domain, 'sent', null, null, false, '250 ok', 2, t0, t1, t1);
      } else {
        w.attempts.push(t0, 1, id, 1, domain, ip, '192.0.2.1', ...DELIVERED_250);
        count(t0, d, 1);
        w.deliveryLog.push(1, id, address, domain, 'sent', null, null, false, '250 ok', 1, t0, t0, t0);
      }
    } else if (truth === 'unknown' || (truth === 'disabledPermanent' && rnd() < 0.5)) {
      const text =
        truth === 'unknown' ? `550 5.1.1 <${address}>: no such user` : '550 5.2.1 account disabled';
      w.attempts.push(
        t0,
        1,
        id,
        1,
        domain,
        ip,
        '192.0.2.1',
        'rcpt',
        550,
        truth === 'unknown' ? '5.1.1' : '5.2.1',
        text,
        'hard',
        truth === 'unknown' ? 1 : 4,
        'quarantine',
        'permanent',
        'UserUnknown',
        null,
        'failed',
      );
      count(t0, d, 3);
      w.deliveryLog.push(1, id, address, domain, 'failed', 'hard', 1, false, text, 1, t0, t0, null);
      w.quarantine.push(address, 'quarantine', 1, 1, text, t0, t0, t0);
      w.quarantineHistory.push(t0, address, 'valid', 'quarantine', 1, text, 'UserUnknown', 'sync');
    } else if (truth === 'mailboxFull' || truth === 'disabledPermanent') {
      for (let k = 0; k < 3; k++) {
        const t = t0 + k * H;
        w.attempts.push(t, 1, id, k + 1, domain, ip, '192.0.2.1', ...MAILBOX_FULL_452);
        count(t, d, 2);
      }
      w.deliveryLog.push(
        1,
        id,
        address,
        domain,
        'pending',
        'soft',
        5,
        false,
        '452 4.2.2 mailbox full',
        3,
        t0,
        t0 + 2 * H,
        null,
      );
      w.quarantine.push(address, 'withErrors', 1, 5, '452 4.2.2 mailbox full', t0, t0, t0);
      w.quarantineHistory.push(
        t0,
        address,
        'valid',
        'withErrors',
        5,
        '452 4.2.2 mailbox full',
        'MailboxFull',
        'sync',
      );
    } else {
      const text = `DNS query failed for '${domain}'`;
      w.attempts.push(t0, 1, id, 1, domain, null, null, ...dnsFailure(text, 'retry'));
      w.attempts.push(t0 + 24 * H, 1, id, 2, domain, null, null, ...dnsFailure(text, 'expired'));
      count(t0, d, 2);
      count(t0 + 24 * H, d, 3);
      w.deliveryLog.push(1, id, address, domain, 'failed', 'soft', 2, false, text, 2, t0, t0 + 24 * H, null);
      w.quarantine.push(address, 'withErrors', 1, 2, text, t0, t0, t0);
    }
  }
  for (const [key, a] of [...tp].sort((x, y) => x[0] - y[0]))
    w.throughput.push(Math.floor(key / 64) * SLICE, DOMAINS[key % 64]!, ip, a[0]!, a[1]!, a[2]!, a[3]!);
  for (let k = 0; k < 500; k++)
    w.insertRows('qualification', [
      {
        normalized: `reply kind ${k} #xxx#`,
        first_text: `reply kind ${k} 42`,
        occurrences: 1 + ((k * 7919) % 5000),
        type: 'undefined',
        reason: 0,
        status: k % 3 === 0 ? 'toQualify' : 'keep',
      },
    ]);
  for (let k = 0; k < 30; k++)
    w.suspensions.push(
      k % 2 ? 'suspend' : 'block',
      DOMAINS[k % 10]!,
      ip,
      null,
      k * H,
      k * H + 2 * H,
      'TSS04',
      '421 4.7.0 [TSS04]',
    );
  await w.close();
}

const dir = join(OUT, 'run');
rmSync(OUT, { recursive: true, force: true });
let t = performance.now();
await generate(dir);
const genMs = performance.now() - t;
const bytes = statSync(join(dir, 'run.duckdb')).size;
const store = await openRunStore(dir, { readonly: true });
try {
  const counts = await store.all<{ t: string; n: number }>(
    `SELECT 'recipients' AS t, count(*) AS n FROM recipients UNION ALL SELECT 'attempts', count(*) FROM attempts
     UNION ALL SELECT 'quarantine_history', count(*) FROM quarantine_history UNION ALL SELECT 'throughput', count(*) FROM throughput`,
  );
  t = performance.now();
  const { data } = await writeReport(store, join(OUT, 'report'));
  const reportMs = performance.now() - t;
  t = performance.now();
  const csv = await renderCsv(store, join(OUT, 'report', 'csv'), undefined, data);
  const csvMs = performance.now() - t;
  const s = data.summary;
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  process.stdout.write(
    [
      `store: ${counts.map((c) => `${c.t} ${Number(c.n).toLocaleString('en-US')}`).join(', ')}; ${(bytes / 1e6).toFixed(1)} MB written in ${fmt(genMs)}`,
      `report (summary.json + report.md + report.html): ${fmt(reportMs)} (target <= 5 s: ${reportMs <= 5000 ? 'ok' : 'OVER'})`,
      `csv export (${csv.length} files, full lists): ${fmt(csvMs)}`,
      `summary: targeted ${s.messages.targeted}, delivered ${s.messages.delivered}, failed ${s.messages.failed.total}, pending ${s.messages.pending}, excluded ${s.messages.excluded.total}`,
      `quarantine: ${s.quarantine.addresses} (rate ${(s.quarantine.rate * 100).toFixed(2)} %), false ${s.quarantine.falseQuarantines}, missed ${s.quarantine.missedQuarantines}, precision ${s.quarantine.precision?.toFixed(3)}, recall ${s.quarantine.recall?.toFixed(3)}`,
      `output: ${join(OUT, 'report')}`,
      '',
    ].join('\n'),
  );
} finally {
  store.close();
}
