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
import {
  DELIVERED_250,
  dnsFailure,
  MAILBOX_FULL_452,
  replyFields,
} from '../reports/test-helpers/attempt-rows.ts';
import { createRunStore, openRunStore, type RunStoreWriter } from '../store/index.ts';

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

/** The delivery log, quarantine and quarantine history rows of an address quarantined by one hard bounce at t. */
function hardQuarantine(
  w: RunStoreWriter,
  t: number,
  id: number,
  address: string,
  domain: string,
  text: string,
  rule: string,
  reason: number,
): void {
  w.deliveryLog.push({
    delivery_id: 1,
    recipient_id: id,
    address,
    domain,
    status: 'failed',
    type: 'hard',
    reason,
    excluded: false,
    text,
    attempts: 1,
    first_attempt_ms: t,
    last_attempt_ms: t,
    delivered_ms: null,
  });
  w.quarantine.push({
    address,
    status: 'quarantine',
    error_count: 1,
    reason,
    text,
    first_error_ms: t,
    last_error_ms: t,
    updated_ms: t,
  });
  w.quarantineHistory.push({
    t,
    address,
    old_status: 'valid',
    new_status: 'quarantine',
    reason,
    text,
    rule,
    cause: 'sync',
  });
}

/** The delivery log row of a message delivered at `t1` after `attempts` attempts from `t0`. */
function sentLog(
  w: RunStoreWriter,
  id: number,
  address: string,
  domain: string,
  attempts: number,
  t0: number,
  t1: number,
): void {
  w.deliveryLog.push({
    delivery_id: 1,
    recipient_id: id,
    address,
    domain,
    status: 'sent',
    type: null,
    reason: null,
    excluded: false,
    text: '250 ok',
    attempts,
    first_attempt_ms: t0,
    last_attempt_ms: t1,
    delivered_ms: t1,
  });
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
    w.recipients.push({
      id,
      address,
      domain,
      truth,
      complainer: false,
      initial_status: pre ? 'quarantine' : 'valid',
      control_group: false,
    });
    if (pre) {
      w.deliveryLog.push({
        delivery_id: 1,
        recipient_id: id,
        address,
        domain,
        status: 'failed',
        type: 'hard',
        reason: 9,
        excluded: true,
        text: null,
        attempts: 0,
        first_attempt_ms: null,
        last_attempt_ms: null,
        delivered_ms: null,
      });
      w.quarantine.push({
        address,
        status: 'quarantine',
        error_count: 1,
        reason: 1,
        text: 'old',
        first_error_ms: 0,
        last_error_ms: 0,
        updated_ms: 0,
      });
      w.quarantineHistory.push({
        t: 0,
        address,
        old_status: 'valid',
        new_status: 'quarantine',
        reason: 1,
        text: 'old',
        rule: null,
        cause: 'initial',
      });
      continue;
    }
    const t0 = Math.floor((id / N) * 10 * H);
    const outage = d === 1 && t0 >= 3 * H && t0 < 5 * H && rnd() < 0.3;
    if (truth === 'valid' || truth === 'autoResponder' || truth === 'disabled') {
      if (outage) {
        const text = `550 5.1.1 <${address}>: user lookup success but no user record found`;
        w.attempts.push({
          t: t0,
          delivery_id: 1,
          recipient_id: id,
          attempt: 1,
          domain,
          local_ip: ip,
          mx_ip: '192.0.2.1',
          phase: 'rcpt',
          code: 550,
          enhanced: '5.1.1',
          text,
          type: 'hard',
          reason: 1,
          impact: 'quarantine',
          disposition: 'permanent',
          rule: 'Momen_Code10_InvalidRecipient',
          bounce_class: 10,
          outcome: 'failed',
        });
        count(t0, d, 3);
        hardQuarantine(w, t0, id, address, domain, text, 'Momen_Code10_InvalidRecipient', 1);
      } else if (rnd() < 0.15) {
        const t1 = t0 + H + Math.floor(rnd() * 600_000);
        w.attempts.push({
          t: t0,
          delivery_id: 1,
          recipient_id: id,
          attempt: 1,
          domain,
          local_ip: ip,
          mx_ip: '192.0.2.1',
          phase: 'rcpt',
          code: 421,
          enhanced: '4.7.0',
          text: '421 4.7.0 [TSS04] Messages temporarily deferred',
          type: 'soft',
          reason: 3,
          impact: 'none',
          disposition: 'transient',
          rule: 'Deferral',
          bounce_class: null,
          outcome: 'retry',
        });
        count(t0, d, 2);
        w.attempts.push({
          t: t1,
          delivery_id: 1,
          recipient_id: id,
          attempt: 2,
          domain,
          local_ip: ip,
          mx_ip: '192.0.2.1',
          ...replyFields(DELIVERED_250),
        });
        count(t1, d, 1);
        sentLog(w, id, address, domain, 2, t0, t1);
      } else {
        w.attempts.push({
          t: t0,
          delivery_id: 1,
          recipient_id: id,
          attempt: 1,
          domain,
          local_ip: ip,
          mx_ip: '192.0.2.1',
          ...replyFields(DELIVERED_250),
        });
        count(t0, d, 1);
        sentLog(w, id, address, domain, 1, t0, t0);
      }
    } else if (truth === 'unknown' || (truth === 'disabledPermanent' && rnd() < 0.5)) {
      const text =
        truth === 'unknown' ? `550 5.1.1 <${address}>: no such user` : '550 5.2.1 account disabled';
      // User unknown (1) or Account disabled (4), the same in every table
      const reason = truth === 'unknown' ? 1 : 4;
      w.attempts.push({
        t: t0,
        delivery_id: 1,
        recipient_id: id,
        attempt: 1,
        domain,
        local_ip: ip,
        mx_ip: '192.0.2.1',
        phase: 'rcpt',
        code: 550,
        enhanced: truth === 'unknown' ? '5.1.1' : '5.2.1',
        text,
        type: 'hard',
        reason,
        impact: 'quarantine',
        disposition: 'permanent',
        rule: 'UserUnknown',
        bounce_class: null,
        outcome: 'failed',
      });
      count(t0, d, 3);
      hardQuarantine(w, t0, id, address, domain, text, 'UserUnknown', reason);
    } else if (truth === 'mailboxFull' || truth === 'disabledPermanent') {
      for (let k = 0; k < 3; k++) {
        const t = t0 + k * H;
        w.attempts.push({
          t,
          delivery_id: 1,
          recipient_id: id,
          attempt: k + 1,
          domain,
          local_ip: ip,
          mx_ip: '192.0.2.1',
          ...replyFields(MAILBOX_FULL_452),
        });
        count(t, d, 2);
      }
      w.deliveryLog.push({
        delivery_id: 1,
        recipient_id: id,
        address,
        domain,
        status: 'pending',
        type: 'soft',
        reason: 5,
        excluded: false,
        text: '452 4.2.2 mailbox full',
        attempts: 3,
        first_attempt_ms: t0,
        last_attempt_ms: t0 + 2 * H,
        delivered_ms: null,
      });
      w.quarantine.push({
        address,
        status: 'withErrors',
        error_count: 1,
        reason: 5,
        text: '452 4.2.2 mailbox full',
        first_error_ms: t0,
        last_error_ms: t0,
        updated_ms: t0,
      });
      w.quarantineHistory.push({
        t: t0,
        address,
        old_status: 'valid',
        new_status: 'withErrors',
        reason: 5,
        text: '452 4.2.2 mailbox full',
        rule: 'MailboxFull',
        cause: 'sync',
      });
    } else {
      const text = `DNS query failed for '${domain}'`;
      w.attempts.push({
        t: t0,
        delivery_id: 1,
        recipient_id: id,
        attempt: 1,
        domain,
        local_ip: null,
        mx_ip: null,
        ...replyFields(dnsFailure(text, 'retry')),
      });
      w.attempts.push({
        t: t0 + 24 * H,
        delivery_id: 1,
        recipient_id: id,
        attempt: 2,
        domain,
        local_ip: null,
        mx_ip: null,
        ...replyFields(dnsFailure(text, 'expired')),
      });
      count(t0, d, 2);
      count(t0 + 24 * H, d, 3);
      w.deliveryLog.push({
        delivery_id: 1,
        recipient_id: id,
        address,
        domain,
        status: 'failed',
        type: 'soft',
        reason: 2,
        excluded: false,
        text,
        attempts: 2,
        first_attempt_ms: t0,
        last_attempt_ms: t0 + 24 * H,
        delivered_ms: null,
      });
      w.quarantine.push({
        address,
        status: 'withErrors',
        error_count: 1,
        reason: 2,
        text,
        first_error_ms: t0,
        last_error_ms: t0,
        updated_ms: t0,
      });
    }
  }
  for (const [key, a] of [...tp].sort((x, y) => x[0] - y[0]))
    w.throughput.push({
      slice_ms: Math.floor(key / 64) * SLICE,
      domain: DOMAINS[key % 64]!,
      local_ip: ip,
      attempts: a[0]!,
      delivered: a[1]!,
      deferred: a[2]!,
      failed: a[3]!,
    });
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
    w.suspensions.push({
      kind: k % 2 ? 'suspend' : 'block',
      domain: DOMAINS[k % 10]!,
      local_ip: ip,
      mx_ip: null,
      start_ms: k * H,
      end_ms: k * H + 2 * H,
      rule: 'TSS04',
      text: '421 4.7.0 [TSS04]',
    });
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
