import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AttemptRow,
  createRunStore,
  ENUMS,
  openRunStore,
  type RecipientRow,
  SCHEMA_VERSION,
  StoreError,
  TABLES,
} from './index.ts';
import { type ColumnKind, type EnumName, sqlType } from './tables.ts';

const root = mkdtempSync(join(tmpdir(), 'mxlab-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `run${n++}`);
const typeName = (kind: ColumnKind) =>
  kind in ENUMS ? `ENUM(${ENUMS[kind as EnumName].map((v) => `'${v}'`).join(', ')})` : sqlType(kind);

const LONG = `550 5.1.1 ${'x'.repeat(100_000)} é 🦆 end`;

function attempt(i: number, over: Partial<AttemptRow> = {}): AttemptRow {
  return {
    t: i * 2 ** 33 + 7,
    delivery_id: 1 + (i % 3),
    recipient_id: i,
    attempt: 1 + (i % 4),
    domain: `d${i % 5}.example`,
    local_ip: i % 2 ? null : `10.0.0.${i % 7}`,
    mx_ip: i % 3 ? `192.0.2.${i % 11}` : null,
    phase: (['rcpt', 'data', 'dns', 'connect'] as const)[i % 4]!,
    code: i % 5 ? 550 : null,
    enhanced: i % 5 ? '5.1.1' : null,
    text: i % 13 === 0 ? LONG : `text ${i % 9} ünïcödé 日本語 🦆 "quoted", comma`,
    type: i % 2 ? 'hard' : null,
    reason: i % 2 ? 1 : null,
    impact: (['quarantine', 'ok', 'count'] as const)[i % 3]!,
    disposition: i % 2 ? 'permanent' : null,
    rule: i % 4 ? `rule-${i % 6}` : null,
    bounce_class: i % 6 ? 10 : null,
    outcome: (['failed', 'delivered', 'retry', 'expired'] as const)[i % 4]!,
    ...over,
  };
}

describe('schema', () => {
  it('tables.ts mirrors schema.sql column by column', async () => {
    const dir = fresh();
    const w = await createRunStore(dir, {});
    await w.close();
    const inst = await DuckDBInstance.create(join(dir, 'run.duckdb'), { access_mode: 'READ_ONLY' });
    const con = await inst.connect();
    const rows = (
      await con.runAndReadAll(
        `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`,
      )
    ).getRowObjectsJS();
    const enums = (
      await con.runAndReadAll(
        `SELECT type_name, enum_range(NULL::mx_phase)::VARCHAR[] AS x FROM duckdb_types() WHERE type_name = 'mx_phase'`,
      )
    ).getRowObjectsJS();
    con.closeSync();
    inst.closeSync();
    const actual: Record<string, string[]> = {};
    for (const r of rows) {
      const list = actual[r.table_name as string] ?? [];
      list.push(`${r.column_name} ${r.data_type} ${r.is_nullable}`);
      actual[r.table_name as string] = list;
    }
    const expected: Record<string, string[]> = {};
    for (const [t, cols] of Object.entries(TABLES))
      expected[t] = cols.map((c) => `${c.name} ${typeName(c.kind)} ${c.nullable ? 'YES' : 'NO'}`);
    expect(actual).toEqual(expected);
    expect(enums[0]!.x).toEqual([...ENUMS.mx_phase]);
  });
});

describe('round trip', () => {
  it('writes attempts with NULLs, unicode, 100 kB texts and times beyond 2^31 and reads them back identical', async () => {
    const dir = fresh();
    const w = await createRunStore(dir, { seed: 42, scenario: 'round-trip' }, { flushRows: 7 });
    const rows = Array.from({ length: 50 }, (_, i) => attempt(i));
    rows.push(attempt(50, { t: Number.MAX_SAFE_INTEGER, text: '' }), attempt(51, { t: -5, text: 'neg' }));
    for (const a of rows) w.attempts.push(a);
    const summary = await w.close();
    expect(summary.rows.attempts).toBe(rows.length);
    const r = await openRunStore(dir);
    expect(await r.all<AttemptRow>('SELECT * FROM attempts')).toEqual(rows);
    expect(await r.meta()).toEqual({
      schema_version: String(SCHEMA_VERSION),
      seed: '42',
      scenario: 'round-trip',
    });
    const big = await r.get<{ m: number; s: number }>(
      'SELECT max(t) AS m, sum(delivery_id) AS s FROM attempts',
    );
    expect(big).toEqual({ m: Number.MAX_SAFE_INTEGER, s: rows.reduce((a, b) => a + b.delivery_id, 0) });
    expect(
      await r.get('SELECT count(*) AS n FROM attempts WHERE phase = $1 AND type IS NULL', ['rcpt']),
    ).toEqual({ n: 13 });
    r.close();
  });

  it('every table accepts rows through insertRows and the push writers, in order', async () => {
    const dir = fresh();
    const w = await createRunStore(dir, {});
    const recipients: RecipientRow[] = [
      {
        id: 1,
        address: 'a@x.example',
        domain: 'x.example',
        truth: 'valid',
        complainer: false,
        initial_status: 'valid',
        control_group: false,
      },
      {
        id: 2,
        address: '',
        domain: '',
        truth: 'unknown',
        complainer: true,
        initial_status: 'quarantine',
        control_group: true,
      },
    ];
    w.insertRows('recipients', recipients.slice(0, 1));
    const r2 = recipients[1]!;
    w.recipients.push({
      id: r2.id,
      address: r2.address,
      domain: r2.domain,
      truth: r2.truth,
      complainer: r2.complainer,
      initial_status: r2.initial_status,
      control_group: r2.control_group,
    });
    w.insertRows('deliveries', [
      {
        id: 1,
        name: 'newsletter',
        start_ms: 0,
        validity_ms: 3.5 * 86_400_000,
        retry_policy: 'enhanced',
        mode: 'enhanced',
      },
    ]);
    w.deliveryLog.push({
      delivery_id: 1,
      recipient_id: 1,
      address: 'a@x.example',
      domain: 'x.example',
      status: 'sent',
      type: null,
      reason: null,
      excluded: false,
      text: null,
      attempts: 1,
      first_attempt_ms: 10,
      last_attempt_ms: 10,
      delivered_ms: 11,
    });
    w.insertRows('delivery_log', [
      {
        delivery_id: 1,
        recipient_id: 2,
        address: '',
        domain: '',
        status: 'ignored',
        reason: 7,
        excluded: true,
        attempts: 0,
      },
    ]);
    w.quarantine.push({
      address: 'a@x.example',
      status: 'quarantine',
      error_count: 1,
      reason: 1,
      text: '550 5.1.1',
      first_error_ms: 5,
      last_error_ms: 5,
      updated_ms: 5,
    });
    w.quarantineHistory.push({
      t: 5,
      address: 'a@x.example',
      old_status: 'valid',
      new_status: 'quarantine',
      reason: 1,
      text: '550 5.1.1',
      rule: 'user-unknown',
      cause: 'sync',
    });
    w.insertRows('qualification', [
      {
        normalized: 'user unknown',
        first_text: '550 user unknown',
        occurrences: 3,
        type: 'hard',
        reason: 1,
        status: 'keep',
      },
    ]);
    w.throughput.push({
      slice_ms: 300_000,
      domain: 'x.example',
      local_ip: '10.0.0.1',
      attempts: 5,
      delivered: 4,
      deferred: 1,
      failed: 0,
    });
    w.inmail.push({
      t: 20,
      recipient: 'a@x.example',
      kind: 'dsn',
      type: 'hard',
      reason: 1,
      impact: 'quarantine',
      status: '5.1.1',
      text: 'no such user',
      matched_by: 'messageId',
      delivery_id: 1,
      recipient_id: 2,
    });
    w.suspensions.push({
      kind: 'suspend',
      domain: 'x.example',
      local_ip: null,
      mx_ip: null,
      start_ms: 0,
      end_ms: 3_600_000,
      rule: 'mx-rule',
      text: 'too many errors',
    });
    const s = await w.close();
    expect(s.rows).toMatchObject({
      recipients: 2,
      delivery_log: 2,
      quarantine: 1,
      inmail: 1,
      suspensions: 1,
    });
    const r = await openRunStore(join(dir, 'run.duckdb'));
    expect(await r.all('SELECT * FROM recipients')).toEqual(recipients);
    expect(await r.all('SELECT status, reason, excluded, delivered_ms FROM delivery_log')).toEqual([
      { status: 'sent', reason: null, excluded: false, delivered_ms: 11 },
      { status: 'ignored', reason: 7, excluded: true, delivered_ms: null },
    ]);
    expect(await r.get('SELECT * FROM suspensions')).toEqual({
      kind: 'suspend',
      domain: 'x.example',
      local_ip: null,
      mx_ip: null,
      start_ms: 0,
      end_ms: 3_600_000,
      rule: 'mx-rule',
      text: 'too many errors',
    });
    expect((await r.get<{ validity_ms: number }>('SELECT validity_ms FROM deliveries'))!.validity_ms).toBe(
      302_400_000,
    );
    r.close();
  });
});

const attemptArb = fc.record({
  t: fc.maxSafeNat(),
  delivery_id: fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }),
  recipient_id: fc.nat(),
  attempt: fc.integer({ min: 1, max: 10 }),
  domain: fc.constantFrom('gmail.com', 'icloud.com', 'yahoo.com', 'ünï.example'),
  local_ip: fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2')),
  mx_ip: fc.option(fc.ipV4()),
  phase: fc.constantFrom(...ENUMS.mx_phase),
  code: fc.option(fc.integer({ min: 200, max: 599 })),
  enhanced: fc.option(fc.constantFrom('5.1.1', '4.2.2')),
  text: fc.string({ unit: 'grapheme', maxLength: 40 }),
  type: fc.option(fc.constantFrom(...ENUMS.mx_failure_type)),
  reason: fc.option(fc.integer({ min: 0, max: 127 })),
  impact: fc.constantFrom(...ENUMS.mx_impact),
  disposition: fc.option(fc.constantFrom(...ENUMS.mx_disposition)),
  rule: fc.option(fc.string({ maxLength: 8 })),
  bounce_class: fc.option(fc.integer({ min: 1, max: 100 })),
  outcome: fc.constantFrom(...ENUMS.mx_outcome),
}) as fc.Arbitrary<AttemptRow>;

describe('properties', () => {
  it('any rows, any flush size and intern limit: read back equal and in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(attemptArb, { maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 16 }),
        async (rows, flushRows, internLimit) => {
          const dir = fresh();
          const w = await createRunStore(
            dir,
            {},
            { flushRows, internLimit, listLookupMax: internLimit % 2 ? 0 : 4096 },
          );
          for (const a of rows) w.attempts.push(a);
          await w.close();
          const r = await openRunStore(dir);
          const back = await r.all<AttemptRow>('SELECT * FROM attempts');
          r.close();
          rmSync(dir, { recursive: true });
          expect(back).toEqual(rows);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('is deterministic: the same pushes twice give identical tables and strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(attemptArb, { minLength: 1, maxLength: 200 }), async (rows) => {
        const results: unknown[] = [];
        for (const flushRows of [3, 1000]) {
          const dir = fresh();
          const w = await createRunStore(dir, { seed: 1 }, { flushRows });
          for (const a of rows) w.attempts.push(a);
          for (const a of rows)
            w.quarantineHistory.push({
              t: a.t,
              address: a.domain,
              old_status: 'valid',
              new_status: 'quarantine',
              reason: a.reason,
              text: a.text,
              rule: a.rule,
              cause: 'sync',
            });
          await w.close();
          const r = await openRunStore(dir);
          results.push([
            await r.all('SELECT * FROM attempts'),
            await r.all('SELECT * FROM quarantine_history'),
            await r.all('SELECT domain, count(*) AS n FROM attempts GROUP BY domain ORDER BY domain'),
          ]);
          r.close();
          rmSync(dir, { recursive: true });
        }
        expect(results[0]).toEqual(results[1]);
      }),
      { numRuns: 8 },
    );
  });
});

describe('batching', () => {
  it('crosses flush and 2,048-row chunk boundaries with NULLs only in some chunks', async () => {
    const dir = fresh();
    const w = await createRunStore(dir, {}, { flushRows: 5000 });
    const N = 12_345;
    for (let i = 0; i < N; i++)
      w.throughput.push({
        slice_ms: i * 300_000,
        domain: `d${i % 3}`,
        local_ip: '10.0.0.1',
        attempts: i,
        delivered: i % 7,
        deferred: 0,
        failed: 1,
      });
    for (let i = 0; i < N; i++)
      w.inmail.push({
        t: i,
        recipient: `u${i}@x`,
        kind: 'dsn',
        type: i < 2048 ? null : 'hard',
        reason: i >= 4096 && i < 6000 ? null : i,
        impact: 'quarantine',
        status: null,
        text: `t${i}`,
        matched_by: i % 2 === 0 ? 'messageId' : 'none',
        delivery_id: i % 2 === 0 ? 1 : null,
        recipient_id: i % 2 === 0 ? i : null,
      });
    const s = await w.close();
    expect(s.rows.throughput).toBe(N);
    const r = await openRunStore(dir);
    const agg = await r.get('SELECT count(*) AS n, sum(attempts) AS s, max(slice_ms) AS m FROM throughput');
    expect(agg).toEqual({ n: N, s: (N * (N - 1)) / 2, m: (N - 1) * 300_000 });
    const order = await r.get<{ bad: number }>(
      'SELECT count(*) AS bad FROM (SELECT attempts, lag(attempts) OVER () AS p FROM throughput) WHERE attempts <> p + 1',
    );
    expect(order!.bad).toBe(0);
    expect(
      await r.get(`SELECT count(*) FILTER (type IS NULL) AS nt, count(*) FILTER (reason IS NULL) AS nr,
        count(*) FILTER (recipient <> 'u' || t || '@x') AS badr,
        count(*) FILTER (matched_by = 'none' AND recipient_id IS NULL) AS unmatched,
        count(*) FILTER (matched_by = 'messageId' AND recipient_id = t) AS matched FROM inmail`),
    ).toEqual({ nt: 2048, nr: 6000 - 4096, badr: 0, unmatched: (N - 1) / 2, matched: (N + 1) / 2 });
    r.close();
  });
});

describe('errors', () => {
  it('a missing store is a one-line MXLAB_STORE error naming the path', async () => {
    const p = join(root, 'nowhere');
    const err = await openRunStore(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'MXLAB_STORE', exitCode: 2 });
    expect((err as Error).message).toBe(`${join(p, 'run.duckdb')}: no run store here (file not found)`);
  });

  it('another schema version is refused with both versions named', async () => {
    const dir = fresh();
    await (await createRunStore(dir, {})).close();
    const inst = await DuckDBInstance.create(join(dir, 'run.duckdb'));
    const con = await inst.connect();
    await con.run(`UPDATE run_meta SET value = '999' WHERE key = 'schema_version'`);
    con.closeSync();
    inst.closeSync();
    const err = (await openRunStore(dir).catch((e: unknown) => e)) as StoreError;
    expect(err.code).toBe('MXLAB_STORE');
    expect(err.message).toContain(
      `run.duckdb: run store schema version 999, this mxlab reads version ${SCHEMA_VERSION}`,
    );
    expect(err.message).not.toContain('\n');
  });

  it('a file that is not a run store is refused', async () => {
    const f = join(root, 'junk.duckdb');
    writeFileSync(f, 'not a database at all');
    const err = (await openRunStore(f).catch((e: unknown) => e)) as StoreError;
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message.startsWith(`${f}: `)).toBe(true);
  });

  it('misuse names table.column: unknown enum value, NULL in NOT NULL, non-integer', async () => {
    const w = await createRunStore(fresh(), {});
    const a = attempt(1);
    expect(() => w.attempts.push({ ...a, phase: 'smtp' as never })).toThrow(
      "attempts.phase: unknown value 'smtp' (expected dns | connect | ehlo | mail | rcpt | data | async)",
    );
    expect(() => w.attempts.push({ ...a, text: null as never })).toThrow(
      'attempts.text: NULL in a NOT NULL column',
    );
    expect(() => w.attempts.push({ ...a, t: 1.5 })).toThrow(
      'attempts.t: expected an integer number of ms, got 1.5',
    );
    expect(() => w.insertRows('qualification', [{ normalized: 'x' } as never])).toThrow(
      'qualification.first_text',
    );
    const s = await w.close();
    expect(s.rows.attempts).toBe(0);
    await expect(w.close()).rejects.toThrow('writer is closed');
  });

  it('SQL errors carry the path; a read-only store refuses updates', async () => {
    const dir = fresh();
    await (await createRunStore(dir, {})).close();
    const r = await openRunStore(dir);
    await expect(r.all('SELECT nope FROM attempts')).rejects.toMatchObject({ code: 'MXLAB_STORE' });
    await expect(r.run(`UPDATE quarantine SET status = 'valid'`)).rejects.toThrow(
      /run\.duckdb: .*read-only/i,
    );
    r.close();
  });
});

describe('updates and exports', () => {
  it('a read-write store applies an update and reports the rows changed', async () => {
    const dir = fresh();
    const w = await createRunStore(dir, {});
    w.quarantine.push({
      address: 'a@icloud.com',
      status: 'quarantine',
      error_count: 1,
      reason: 1,
      text: 'user lookup success but no user record found',
      first_error_ms: 5,
      last_error_ms: 5,
      updated_ms: 5,
    });
    w.quarantine.push({
      address: 'b@gmail.com',
      status: 'quarantine',
      error_count: 1,
      reason: 1,
      text: 'no such user',
      first_error_ms: 5,
      last_error_ms: 5,
      updated_ms: 5,
    });
    await w.close();
    const rw = await openRunStore(dir, { readonly: false });
    const changed = await rw.run(
      `UPDATE quarantine SET status = 'valid', updated_ms = $1 WHERE text LIKE '%user lookup success but no user record found%'`,
      [99],
    );
    expect(changed).toBe(1);
    rw.close();
    const r = await openRunStore(dir);
    expect(await r.all('SELECT address, status, updated_ms FROM quarantine ORDER BY address')).toEqual([
      { address: 'a@icloud.com', status: 'valid', updated_ms: 99 },
      { address: 'b@gmail.com', status: 'quarantine', updated_ms: 5 },
    ]);
    r.close();
  });

  it('CSV and Parquet exports read back equal to the table', async () => {
    const dir = fresh();
    const w = await createRunStore(dir, {});
    const rows = Array.from({ length: 40 }, (_, i) => attempt(i));
    for (const a of rows) w.attempts.push(a);
    await w.close();
    const r = await openRunStore(dir);
    const csv = join(dir, 'attempts.csv');
    const pq = join(dir, "it's.parquet");
    await r.exportCsv('attempts', csv);
    await r.exportParquet('SELECT * FROM attempts WHERE code IS NOT NULL', pq);
    const fromPq = await r.all<AttemptRow>(`SELECT * FROM read_parquet('${pq.replaceAll("'", "''")}')`);
    expect(fromPq).toEqual(rows.filter((a) => a.code !== null));
    const fromCsv = await r.all<{ n: number; t: number; text: string }>(
      `SELECT count(*) OVER () AS n, t, text FROM read_csv('${csv}', header = true) LIMIT 2`,
    );
    expect(fromCsv).toEqual([
      { n: 40, t: rows[0]!.t, text: rows[0]!.text },
      { n: 40, t: rows[1]!.t, text: rows[1]!.text },
    ]);
    await expect(r.exportCsv('attempts', join(root, 'no/such/dir/x.csv'))).rejects.toMatchObject({
      code: 'MXLAB_STORE',
    });
    r.close();
  });
});

describe('delivery_log addresses from recipients', () => {
  it('pushFromRecipient rows read back as push rows with the recipient address, in order, any flush size, built in parts or not', async () => {
    const logArb = fc.record({
      recipient: fc.nat({ max: 19 }),
      fromRecipient: fc.boolean(),
      status: fc.constantFrom(...ENUMS.mx_log_status),
      text: fc.option(fc.string({ maxLength: 6 })),
      attempts: fc.nat({ max: 5 }),
      first: fc.option(fc.maxSafeNat()),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(logArb, { maxLength: 120 }),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        async (rows, flushRows, worker, buildEvery, sealRecipients) => {
          const address = (i: number) => (i % 7 === 0 ? '' : `u${i}@d${i % 3}.example`);
          const results: unknown[] = [];
          for (const useIds of [false, true]) {
            const dir = fresh();
            // the pushFromRecipient side on a worker that builds parts as rows come (buildEvery)
            const opts = useIds ? { flushRows, worker, buildEvery } : { flushRows };
            const w = await createRunStore(dir, {}, opts);
            for (let i = 0; i < 20; i++)
              w.recipients.push({
                id: i,
                address: address(i),
                domain: `d${i % 3}.example`,
                truth: 'valid',
                complainer: false,
                initial_status: 'valid',
                control_group: false,
              });
            // a part reading recipients waits for it to be sealed
            if (sealRecipients) w.seal('recipients');
            rows.forEach((x, k) => {
              const row = {
                delivery_id: k,
                recipient_id: x.recipient,
                domain: `dom${k % 4}`,
                status: x.status,
                type: null,
                reason: null,
                excluded: false,
                text: x.text,
                attempts: x.attempts,
                first_attempt_ms: x.first,
                last_attempt_ms: null,
                delivered_ms: null,
              };
              if (useIds && x.fromRecipient) w.deliveryLog.pushFromRecipient(row);
              else w.deliveryLog.push({ ...row, address: address(x.recipient) });
            });
            await w.close();
            const r = await openRunStore(dir);
            results.push(await r.all('SELECT * FROM delivery_log'));
            r.close();
            rmSync(dir, { recursive: true });
          }
          expect(results[1]).toEqual(results[0]);
          expect((results[0] as { delivery_id: number }[]).map((x) => x.delivery_id)).toEqual(
            rows.map((_, k) => k),
          );
        },
      ),
      { numRuns: 15 },
    );
  });

  it('a pushFromRecipient row whose recipient is missing fails the close with the table named', async () => {
    const err = await closeWithMissingRecipient(false);
    expect(err).toBeInstanceOf(StoreError);
    expect(String(err)).toMatch(/delivery_log/);
  });
});

describe('recipients domains derived from the address', () => {
  it("pushDomainFromAddress gives address.slice(lastIndexOf('@') + 1), in order, mixed with push rows", async () => {
    const addr = fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 8 }),
      fc.tuple(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })).map(([a, b]) => `${a}@${b}`),
      fc.tuple(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 })).map(([a, b]) => `${a}@x@${b}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(addr, fc.boolean()), { maxLength: 80 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 8 }),
        async (rows, flushRows, listLookupMax) => {
          const dir = fresh();
          const w = await createRunStore(dir, {}, { flushRows, listLookupMax, internLimit: 4 });
          rows.forEach(([a, derive], i) => {
            if (derive)
              w.recipients.pushDomainFromAddress({
                id: i,
                address: a,
                truth: 'valid',
                complainer: false,
                initial_status: 'valid',
                control_group: false,
              });
            else
              w.recipients.push({
                id: i,
                address: a,
                domain: `given${i % 3}`,
                truth: 'valid',
                complainer: false,
                initial_status: 'valid',
                control_group: false,
              });
          });
          await w.close();
          const r = await openRunStore(dir);
          const back = await r.all<RecipientRow>('SELECT * FROM recipients');
          r.close();
          rmSync(dir, { recursive: true });
          expect(back.map((x) => [x.id, x.address, x.domain])).toEqual(
            rows.map(([a, derive], i) => [i, a, derive ? a.slice(a.lastIndexOf('@') + 1) : `given${i % 3}`]),
          );
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('on a worker thread (worker: true)', () => {
  it('any rows, flush size and intern limit: the same tables as on the calling thread', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(attemptArb, { maxLength: 200 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 16 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 80 }),
        async (rows, flushRows, internLimit, seal, buildEvery) => {
          const results: unknown[] = [];
          for (const worker of [false, true]) {
            const dir = fresh();
            // the worker builds parts of buildEvery rows as they come (the calling thread ignores it)
            const w = await createRunStore(
              dir,
              { seed: 7 },
              { flushRows, internLimit, listLookupMax: internLimit % 2 ? 0 : 4096, worker, buildEvery },
            );
            for (const a of rows) w.attempts.push(a);
            // a sealed table is built while the next one is written (worker) or at close
            if (seal) w.seal('attempts');
            for (const a of rows)
              w.quarantineHistory.push({
                t: a.t,
                address: a.domain,
                old_status: 'valid',
                new_status: 'quarantine',
                reason: a.reason,
                text: a.text,
                rule: a.rule,
                cause: 'sync',
              });
            const summary = await w.close();
            const r = await openRunStore(dir);
            results.push([
              summary.rows,
              await r.all('SELECT * FROM attempts'),
              await r.all('SELECT * FROM quarantine_history'),
              await r.all('SELECT * FROM run_meta ORDER BY key'),
            ]);
            r.close();
            rmSync(dir, { recursive: true });
          }
          expect(results[1]).toEqual(results[0]);
        },
      ),
      { numRuns: 6 },
    );
  });

  it('a row pushed to a sealed table fails, on either thread', async () => {
    for (const worker of [false, true]) {
      const w = await createRunStore(fresh(), {}, { worker, flushRows: 2 });
      w.attempts.push(attempt(1));
      w.seal('attempts');
      w.attempts.push(attempt(2));
      expect(() => w.attempts.push(attempt(3))).toThrow(/attempts: rows pushed after the table was sealed/);
      await w.abort();
    }
  });

  it('more row batches than may wait in flight: every row arrives, in order', async () => {
    const dir = fresh();
    const w = await createRunStore(dir, {}, { flushRows: 3, worker: true });
    const N = 3000; // 1,000 batches against 16 in flight
    for (let i = 0; i < N; i++)
      w.throughput.push({
        slice_ms: i * 300_000,
        domain: `d${i % 3}`,
        local_ip: '10.0.0.1',
        attempts: i,
        delivered: i % 7,
        deferred: 0,
        failed: 1,
      });
    expect((await w.close()).rows.throughput).toBe(N);
    const r = await openRunStore(dir);
    const back = await r.all<{ attempts: number }>('SELECT attempts FROM throughput');
    r.close();
    expect(back.map((x) => x.attempts)).toEqual(Array.from({ length: N }, (_, i) => i));
  });

  it('a failing close names the table, as on the calling thread', async () => {
    const err = await closeWithMissingRecipient(true);
    expect(err).toBeInstanceOf(StoreError);
    expect(String(err)).toMatch(/delivery_log/);
  });

  it('abort closes the database without building it; the file can be opened again', async () => {
    const dir = fresh();
    const w = await createRunStore(dir, { seed: 3 }, { worker: true });
    await w.abort();
    await w.abort(); // twice is a no-op
    const again = await createRunStore(dir, { seed: 4 }, { worker: true });
    await again.close();
    const r = await openRunStore(dir);
    expect(await r.all('SELECT value FROM run_meta WHERE key = $1', ['seed'])).toEqual([{ value: '4' }]);
    r.close();
  });
});

/** Closes a store (on the calling thread or a worker) whose delivery log names a recipient it lacks; returns what close threw. */
async function closeWithMissingRecipient(worker: boolean): Promise<unknown> {
  const w = await createRunStore(fresh(), {}, { worker });
  w.recipients.push({
    id: 0,
    address: 'a@b.example',
    domain: 'b.example',
    truth: 'valid',
    complainer: false,
    initial_status: 'valid',
    control_group: false,
  });
  w.deliveryLog.pushFromRecipient({
    delivery_id: 1,
    recipient_id: 5,
    domain: 'b.example',
    status: 'sent',
    type: null,
    reason: null,
    excluded: false,
    text: null,
    attempts: 1,
    first_attempt_ms: 0,
    last_attempt_ms: 0,
    delivered_ms: 0,
  });
  return w.close().catch((e: unknown) => e);
}
