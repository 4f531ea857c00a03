/**
 * Benchmarks ways of writing the run store with @duckdb/node-api, side by side on the same
 * synthetic `attempts` rows, then writes the volume of a 1M-recipient run through the real writer.
 *
 *   npx tsx scripts/bench-store.ts [attemptRows=300000] [recipients=1000000]
 *
 * Not measured: Arrow (node-api 1.5.5 does not expose the Arrow C API) and writing Parquet from JS
 * (no Parquet writer package is installed; DuckDB can only write Parquet from rows it already has).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BIGINT,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  ENUM,
  INTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import { blankAttemptRow, createRunStore, schemaSql } from '../store/index.ts';
import { ENUMS, TABLES } from '../store/tables.ts';

const N = Number(process.argv[2] ?? 300_000);
const RECIPIENTS = Number(process.argv[3] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'mxlab-bench-store-'));

// deterministic synthetic data
let seed = 12345;
const rnd = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
};
const phases = ['rcpt', 'data', 'connect', 'dns'] as const;
const types = [null, null, null, 'hard', 'soft'] as const;
const impacts = ['ok', 'ok', 'quarantine', 'count', 'none'] as const;
const outcomes = ['delivered', 'delivered', 'retry', 'failed'] as const;
const texts = Array.from(
  { length: 200 },
  (_, i) => `550 5.1.1 text number ${i}: user unknown, see https://support.example/${i}`,
);
interface Cols {
  t: number[];
  rid: number[];
  domain: string[];
  ip: string[];
  mx: string[];
  phase: string[];
  code: (number | null)[];
  enh: (string | null)[];
  text: string[];
  type: (string | null)[];
  reason: (number | null)[];
  impact: string[];
  disp: (string | null)[];
  rule: (string | null)[];
  outcome: string[];
}
const d: Cols = {
  t: [],
  rid: [],
  domain: [],
  ip: [],
  mx: [],
  phase: [],
  code: [],
  enh: [],
  text: [],
  type: [],
  reason: [],
  impact: [],
  disp: [],
  rule: [],
  outcome: [],
};
for (let i = 0; i < N; i++) {
  const ty = types[rnd(5)]!;
  d.t.push(i * 1000 + 3_000_000_000);
  d.rid.push(i);
  d.domain.push(`domain${rnd(1000)}.example`);
  d.ip.push(`10.0.0.${rnd(8)}`);
  d.mx.push(`192.0.2.${rnd(250)}`);
  d.phase.push(phases[rnd(4)]!);
  d.code.push(ty ? 550 : 250);
  d.enh.push(ty ? '5.1.1' : null);
  d.text.push(ty ? texts[rnd(200)]! : '250 2.0.0 OK');
  d.type.push(ty);
  d.reason.push(ty ? 1 : null);
  d.impact.push(impacts[rnd(5)]!);
  d.disp.push(ty ? 'permanent' : null);
  d.rule.push(ty ? `rule-${rnd(40)}` : null);
  d.outcome.push(outcomes[rnd(4)]!);
}

async function fresh(name: string) {
  const file = join(dir, `${name}.duckdb`);
  const inst = await DuckDBInstance.create(file);
  const con = await inst.connect();
  await con.run(schemaSql());
  return { file, inst, con };
}

async function finish(db: Awaited<ReturnType<typeof fresh>>) {
  await db.con.run('CHECKPOINT');
  const n = (await db.con.runAndReadAll('SELECT count(*) FROM attempts')).getRows()[0]![0];
  db.con.closeSync();
  db.inst.closeSync();
  if (Number(n) !== N) throw new Error(`wrote ${n} rows, expected ${N}`);
}

const results: { method: string; ms: number }[] = [];
async function measure(method: string, f: () => Promise<void>) {
  const t0 = performance.now();
  await f();
  const ms = performance.now() - t0;
  results.push({ method, ms });
  console.log(
    `${method.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms ${((N / ms) * 1000).toFixed(0).padStart(10)} rows/s`,
  );
}

console.log(`attempts rows: ${N} (18 columns: 1 BIGINT, 6 INTEGER, 6 VARCHAR, 5 ENUM)\n`);

await measure('A row appender (appendInteger/appendVarchar per value)', async () => {
  const db = await fresh('a');
  const ap = await db.con.createAppender('attempts');
  const s = (v: string | null) => (v == null ? ap.appendNull() : ap.appendVarchar(v));
  const n = (v: number | null) => (v == null ? ap.appendNull() : ap.appendInteger(v));
  for (let i = 0; i < N; i++) {
    ap.appendBigInt(BigInt(d.t[i]!));
    ap.appendInteger(1);
    ap.appendInteger(d.rid[i]!);
    ap.appendInteger(1);
    s(d.domain[i]!);
    s(d.ip[i]!);
    s(d.mx[i]!);
    s(d.phase[i]!);
    n(d.code[i]!);
    s(d.enh[i]!);
    s(d.text[i]!);
    s(d.type[i]!);
    n(d.reason[i]!);
    s(d.impact[i]!);
    s(d.disp[i]!);
    s(d.rule[i]!);
    n(null);
    s(d.outcome[i]!);
    ap.endRow();
  }
  ap.closeSync();
  await finish(db);
});

const chunkTypes: DuckDBType[] = TABLES.attempts.map((c) =>
  c.kind === 'i64'
    ? BIGINT
    : c.kind === 'i32'
      ? INTEGER
      : c.kind === 'str'
        ? VARCHAR
        : ENUM(ENUMS[c.kind as keyof typeof ENUMS]),
);

await measure('B appendDataChunk, chunk.setColumns(JS arrays)', async () => {
  const db = await fresh('b');
  const ap = await db.con.createAppender('attempts');
  for (let off = 0; off < N; off += 2048) {
    const e = Math.min(N, off + 2048);
    const chunk = DuckDBDataChunk.create(chunkTypes);
    const sl = <T>(a: T[]) => a.slice(off, e);
    const ones = new Array(e - off).fill(1);
    chunk.setColumns([
      sl(d.t).map((x) => BigInt(x)),
      ones,
      sl(d.rid),
      ones,
      sl(d.domain),
      sl(d.ip),
      sl(d.mx),
      sl(d.phase),
      sl(d.code),
      sl(d.enh),
      sl(d.text),
      sl(d.type),
      sl(d.reason),
      sl(d.impact),
      sl(d.disp),
      sl(d.rule),
      new Array(e - off).fill(null),
      sl(d.outcome),
    ] as never);
    ap.appendDataChunk(chunk);
  }
  ap.closeSync();
  await finish(db);
});

await measure('C raw chunk: typed-array copies + assign_string per value', async () => {
  const db = await fresh('c');
  const ap = await db.con.createAppender('attempts');
  const chunk = DuckDBDataChunk.create(chunkTypes);
  const i64 = new Int32Array(4096);
  const i32 = new Int32Array(2048);
  const u8 = new Uint8Array(2048);
  const valid = new Uint32Array(64);
  const enumIdx = (k: keyof typeof ENUMS) => new Map(ENUMS[k].map((v, i) => [v as string, i]));
  const em: Record<number, Map<string, number>> = {};
  TABLES.attempts.forEach((c, j) => {
    if (!['i32', 'i64', 'str', 'bool'].includes(c.kind)) em[j] = enumIdx(c.kind as keyof typeof ENUMS);
  });
  const get = (j: number, i: number): unknown => {
    const name = TABLES.attempts[j]!.name;
    const map: Record<string, unknown[]> = {
      domain: d.domain,
      local_ip: d.ip,
      mx_ip: d.mx,
      phase: d.phase,
      code: d.code,
      enhanced: d.enh,
      text: d.text,
      type: d.type,
      reason: d.reason,
      impact: d.impact,
      disposition: d.disp,
      rule: d.rule,
      outcome: d.outcome,
      recipient_id: d.rid,
    };
    return map[name] ? map[name][i] : name === 'bounce_class' ? null : 1;
  };
  for (let off = 0; off < N; off += 2048) {
    const n = Math.min(2048, N - off);
    bindings.data_chunk_reset(chunk.chunk);
    for (let j = 0; j < 18; j++) {
      const vec = bindings.data_chunk_get_vector(chunk.chunk, j);
      const kind = TABLES.attempts[j]!.kind;
      valid.fill(0xffffffff);
      let nulls = 0;
      for (let i = 0; i < n; i++) {
        const v = j === 0 ? d.t[off + i] : get(j, off + i);
        if (v == null) {
          nulls++;
          valid[i >>> 5]! &= ~(1 << (i & 31));
          continue;
        }
        if (kind === 'i64') {
          i64[2 * i] = ((v as number) % 4294967296) | 0;
          i64[2 * i + 1] = Math.floor((v as number) / 4294967296);
        } else if (kind === 'i32') i32[i] = v as number;
        else if (kind === 'str') bindings.vector_assign_string_element(vec, i, v as string);
        else u8[i] = em[j]!.get(v as string)!;
      }
      if (kind === 'i64') bindings.copy_data_to_vector(vec, 0, i64.buffer, 0, n * 8);
      else if (kind === 'i32') bindings.copy_data_to_vector(vec, 0, i32.buffer, 0, n * 4);
      else if (kind !== 'str') bindings.copy_data_to_vector(vec, 0, u8.buffer, 0, n);
      if (nulls) {
        bindings.vector_ensure_validity_writable(vec);
        bindings.copy_data_to_vector_validity(vec, 0, valid.buffer, 0, 256);
      }
    }
    bindings.data_chunk_set_size(chunk.chunk, n);
    ap.appendDataChunk(chunk);
  }
  ap.closeSync();
  await finish(db);
});

function csv(): string {
  const q = (v: string | null) => (v == null ? '' : `"${v.replaceAll('"', '""')}"`);
  const parts: string[] = [];
  for (let i = 0; i < N; i++) {
    parts.push(
      `${d.t[i]},1,${d.rid[i]},1,${q(d.domain[i]!)},${q(d.ip[i]!)},${q(d.mx[i]!)},${d.phase[i]},${d.code[i] ?? ''},${q(d.enh[i]!)},${q(d.text[i]!)},${d.type[i] ?? ''},${d.reason[i] ?? ''},${d.impact[i]},${d.disp[i] ?? ''},${q(d.rule[i]!)},,${d.outcome[i]}\n`,
    );
  }
  return parts.join('');
}

await measure('D temporary CSV file + COPY attempts FROM', async () => {
  const db = await fresh('d');
  const f = join(dir, 'd.csv');
  writeFileSync(f, csv());
  await db.con.run(`COPY attempts FROM '${f}' (FORMAT csv, HEADER false)`);
  await finish(db);
});

await measure('E temporary CSV file + INSERT ... SELECT FROM read_csv', async () => {
  const db = await fresh('e');
  const f = join(dir, 'e.csv');
  writeFileSync(f, csv());
  const cols = TABLES.attempts.map(
    (c) => `'${c.name}': '${c.kind === 'i64' ? 'BIGINT' : c.kind === 'i32' ? 'INTEGER' : 'VARCHAR'}'`,
  );
  await db.con.run(
    `INSERT INTO attempts SELECT * FROM read_csv('${f}', header = false, columns = {${cols.join(', ')}})`,
  );
  await finish(db);
});

await measure('F mxlab writer: interned ids + enum bytes, staged, list lookup', async () => {
  const w = await createRunStore(join(dir, 'f'), { bench: 'F' });
  // one row filled again per attempt, as the run's sink does (store/run-sink.ts): no object per row
  const a = blankAttemptRow();
  a.delivery_id = 1;
  a.attempt = 1;
  for (let i = 0; i < N; i++) {
    a.t = d.t[i]!;
    a.recipient_id = d.rid[i]!;
    a.domain = d.domain[i]!;
    a.local_ip = d.ip[i]!;
    a.mx_ip = d.mx[i]!;
    a.phase = d.phase[i] as never;
    a.code = d.code[i]!;
    a.enhanced = d.enh[i]!;
    a.text = d.text[i]!;
    a.type = d.type[i] as never;
    a.reason = d.reason[i]!;
    a.impact = d.impact[i] as never;
    a.disposition = d.disp[i] as never;
    a.rule = d.rule[i]!;
    a.outcome = d.outcome[i] as never;
    w.attempts.push(a);
  }
  await w.close();
});

const best = Math.min(...results.map((r) => r.ms));
console.log('\nmethod                                                        rows/s   vs best');
for (const r of results)
  console.log(
    `${r.method.padEnd(58)} ${((N / r.ms) * 1000).toFixed(0).padStart(10)}  ${(r.ms / best).toFixed(2)}x`,
  );

// the volume of a 1M-recipient run through the real writer
console.log(
  `\n1M-run volume: ${RECIPIENTS} recipients, ${RECIPIENTS} delivery_log, ${Math.round(RECIPIENTS * 1.3)} attempts, ` +
    `${Math.round(RECIPIENTS * 0.3)} quarantine + quarantine_history, throughput`,
);
global.gc?.();
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
const w = await createRunStore(join(dir, 'volume'), { bench: 'volume' });
const tCreate = performance.now();
let peak = 0;
const domainOf = (i: number) => `domain${i % 1000}.example`;
for (let i = 0; i < RECIPIENTS; i++) {
  const addr = `user${i}@${domainOf(i)}`;
  w.recipients.push({
    id: i,
    address: addr,
    domain: domainOf(i),
    truth: i % 50 === 0 ? 'unknown' : 'valid',
    complainer: i % 997 === 0,
    initial_status: 'valid',
    control_group: i % 100 === 0,
  });
  const failed = i % 50 === 0;
  w.deliveryLog.push({
    delivery_id: 1,
    recipient_id: i,
    address: addr,
    domain: domainOf(i),
    status: failed ? 'failed' : 'sent',
    type: failed ? 'hard' : null,
    reason: failed ? 1 : null,
    excluded: false,
    text: failed ? texts[i % 200]! : null,
    attempts: 1,
    first_attempt_ms: i * 10,
    last_attempt_ms: i * 10,
    delivered_ms: failed ? null : i * 10,
  });
  w.attempts.push({
    t: i * 10,
    delivery_id: 1,
    recipient_id: i,
    attempt: 1,
    domain: domainOf(i),
    local_ip: `10.0.0.${i & 7}`,
    mx_ip: `192.0.2.${i % 250}`,
    phase: 'rcpt',
    code: failed ? 550 : 250,
    enhanced: failed ? '5.1.1' : '2.0.0',
    text: failed ? texts[i % 200]! : '250 2.0.0 OK',
    type: failed ? 'hard' : null,
    reason: failed ? 1 : null,
    impact: failed ? 'quarantine' : 'ok',
    disposition: failed ? 'permanent' : null,
    rule: failed ? 'rule-1' : null,
    bounce_class: null,
    outcome: failed ? 'failed' : 'delivered',
  });
  if (i % 10 < 3) {
    w.attempts.push({
      t: i * 10 + 5,
      delivery_id: 1,
      recipient_id: i,
      attempt: 2,
      domain: domainOf(i),
      local_ip: `10.0.0.${i & 7}`,
      mx_ip: `192.0.2.${i % 250}`,
      phase: 'rcpt',
      code: 452,
      enhanced: '4.2.2',
      text: '452 4.2.2 mailbox full, try again later',
      type: 'soft',
      reason: 5,
      impact: 'count',
      disposition: 'transient',
      rule: 'full',
      bounce_class: null,
      outcome: 'retry',
    });
    w.quarantineHistory.push({
      t: i * 10,
      address: addr,
      old_status: 'valid',
      new_status: 'withErrors',
      reason: 5,
      text: '452 4.2.2 mailbox full',
      rule: 'full',
      cause: 'sync',
    });
    w.quarantine.push({
      address: addr,
      status: 'withErrors',
      error_count: 1,
      reason: 5,
      text: '452 4.2.2 mailbox full',
      first_error_ms: i * 10,
      last_error_ms: i * 10,
      updated_ms: i * 10,
    });
  }
  if (i % 20 === 0)
    w.throughput.push({
      slice_ms: Math.floor(i / 20) * 300_000,
      domain: domainOf(i),
      local_ip: `10.0.0.${i & 7}`,
      attempts: 20,
      delivered: 18,
      deferred: 1,
      failed: 1,
    });
  if ((i & 0xffff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
const tPush = performance.now();
const summary = await w.close();
const tClose = performance.now();
peak = Math.max(peak, process.memoryUsage().rss);
const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
console.log(`rows written             ${total}`);
console.log(`create                   ${(tCreate - t0).toFixed(0)} ms`);
console.log(`push (incl. staging)     ${(tPush - tCreate).toFixed(0)} ms`);
console.log(`close (materialize+ckpt) ${(tClose - tPush).toFixed(0)} ms`);
console.log(
  `total                    ${(tClose - t0).toFixed(0)} ms  (${((total / (tClose - t0)) * 1000).toFixed(0)} rows/s)`,
);
console.log(`file size                ${(statSync(summary.file).size / 1e6).toFixed(1)} MB`);
console.log(
  `peak RSS                 ${(peak / 1e6).toFixed(0)} MB (at start ${(rss0 / 1e6).toFixed(0)} MB)`,
);
rmSync(dir, { recursive: true, force: true });
