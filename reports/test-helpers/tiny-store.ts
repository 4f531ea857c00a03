/**
 * A tiny hand-made run store for report tests: an in-memory (or file) DuckDB built from
 * store/schema.sql, filled with a 10-recipient run whose figures are computed by hand in
 * reports/test-helpers/tiny-expected.md. Hostile remote texts are part of it on purpose.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DuckDBValue } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ReportStore, SqlParam } from '../store-port.ts';
import { DELIVERED_250, dnsFailure, MAILBOX_FULL_452 } from './attempt-rows.ts';

const SCHEMA = fileURLToPath(new URL('../../store/schema.sql', import.meta.url));

/** A ReportStore over a DuckDB connection, plus `close()`. */
export interface TestStore extends ReportStore {
  close(): void;
}

/** Opens an empty store with the run-store schema (`:memory:` unless a file is given). */
export async function emptyStore(file = ':memory:'): Promise<TestStore> {
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  await conn.run(readFileSync(SCHEMA, 'utf8'));
  return {
    async all<T>(sql: string, params?: SqlParam[]): Promise<T[]> {
      const reader = await conn.runAndReadAll(sql, params as DuckDBValue[] | undefined);
      return reader.getRowObjectsJS() as T[];
    },
    async run(sql: string, params?: SqlParam[]): Promise<unknown> {
      return conn.run(sql, params as DuckDBValue[] | undefined);
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export const HOSTILE_SCRIPT = '<script>alert(1)</script>';
export const HOSTILE_IMG = '<img src=x onerror=alert(1)>';

const H = 3_600_000;

/** Inserts rows given as arrays of values into `table`. */
export async function insert(store: ReportStore, table: string, values: SqlParam[][]): Promise<void> {
  for (const v of values) await store.run(`INSERT INTO ${table} VALUES (${v.map(() => '?').join(', ')})`, v);
}

/** The tiny run (one delivery, 10 recipients). */
export async function fillTinyRun(s: ReportStore): Promise<void> {
  await insert(s, 'run_meta', [
    ['schema_version', '2'],
    ['seed', '42'],
    ['scenario_name', 'tiny'],
    ['scenario_hash', 'abc123'],
    ['mode', 'legacy'],
  ]);
  await insert(s, 'deliveries', [[1, 'd1', 0, 5 * 24 * H, 'legacy', 'legacy']]);
  // id, address, domain, truth, complainer, initial_status, control_group
  await insert(s, 'recipients', [
    [1, 'a1@ex.com', 'ex.com', 'valid', false, 'valid', false],
    [2, 'a2@ex.com', 'ex.com', 'valid', false, 'valid', false],
    [3, 'u3@ex.com', 'ex.com', 'unknown', false, 'valid', false],
    [4, 'v4@icloud.com', 'icloud.com', 'valid', false, 'valid', false],
    [5, 'd5@ex.com', 'ex.com', 'disabledPermanent', false, 'valid', false],
    [6, 'q6@ex.com', 'ex.com', 'valid', false, 'quarantine', false],
    [7, '', '', 'valid', false, 'valid', false],
    [8, 'm8@gm.com', 'gm.com', 'mailboxFull', false, 'valid', false],
    [9, 'b9@gm.com', 'gm.com', 'valid', false, 'valid', false],
    [10, 'x10@gm.com', 'gm.com', 'invalidDomain', false, 'valid', false],
  ]);
  // delivery_id, recipient_id, address, domain, status, type, reason, excluded, text, attempts, first, last, delivered
  await insert(s, 'delivery_log', [
    [1, 1, 'a1@ex.com', 'ex.com', 'sent', null, null, false, '250 ok', 1, 60_000, 60_000, 60_000],
    [1, 2, 'a2@ex.com', 'ex.com', 'sent', null, null, false, '250 ok', 2, 60_000, 3_660_000, 3_660_000],
    [
      1,
      3,
      'u3@ex.com',
      'ex.com',
      'failed',
      'hard',
      1,
      false,
      '550 5.1.1 user unknown',
      1,
      120_000,
      120_000,
      null,
    ],
    [1, 4, 'v4@icloud.com', 'icloud.com', 'failed', 'hard', 1, false, 'APPLE', 1, 2 * H, 2 * H, null],
    [1, 5, 'd5@ex.com', 'ex.com', 'sent', null, null, false, '250 ok', 1, 180_000, 180_000, 180_000],
    [1, 6, 'q6@ex.com', 'ex.com', 'failed', 'hard', 9, true, null, 0, null, null, null],
    [1, 7, '', '', 'failed', 'hard', 7, true, null, 0, null, null, null],
    [
      1,
      8,
      'm8@gm.com',
      'gm.com',
      'pending',
      'soft',
      5,
      false,
      '452 4.2.2 mailbox full',
      2,
      60_000,
      7_260_000,
      null,
    ],
    [1, 9, 'b9@gm.com', 'gm.com', 'failed', 'hard', 1, false, 'dsn 5.1.1', 1, 240_000, 240_000, 240_000],
    [1, 10, 'x10@gm.com', 'gm.com', 'failed', 'soft', 2, false, HOSTILE_SCRIPT, 2, 300_000, 3_900_000, null],
  ]);
  const apple = '550 5.1.1 <v4@icloud.com>: user lookup success but no user record found';
  // t, delivery, recipient, attempt, domain, local_ip, mx_ip, phase, code, enhanced, text, type, reason, impact, disposition, rule, class, outcome
  await insert(s, 'attempts', [
    [60_000, 1, 1, 1, 'ex.com', '10.0.0.1', '1.1.1.1', ...DELIVERED_250],
    [
      60_000,
      1,
      2,
      1,
      'ex.com',
      '10.0.0.1',
      '1.1.1.1',
      'rcpt',
      421,
      '4.7.0',
      '421 4.7.0 try later',
      'soft',
      3,
      'none',
      'transient',
      'Deferral',
      null,
      'retry',
    ],
    [60_000, 1, 8, 1, 'gm.com', '10.0.0.1', '2.2.2.2', ...MAILBOX_FULL_452],
    [
      120_000,
      1,
      3,
      1,
      'ex.com',
      '10.0.0.1',
      '1.1.1.1',
      'rcpt',
      550,
      '5.1.1',
      '550 5.1.1 user unknown',
      'hard',
      1,
      'quarantine',
      'permanent',
      'UserUnknown',
      null,
      'failed',
    ],
    [180_000, 1, 5, 1, 'ex.com', '10.0.0.1', '1.1.1.1', ...DELIVERED_250],
    [240_000, 1, 9, 1, 'gm.com', '10.0.0.1', '2.2.2.2', ...DELIVERED_250],
    [300_000, 1, 10, 1, 'gm.com', null, null, ...dnsFailure(HOSTILE_SCRIPT, 'retry')],
    [3_660_000, 1, 2, 2, 'ex.com', '10.0.0.1', '1.1.1.1', ...DELIVERED_250],
    [3_900_000, 1, 10, 2, 'gm.com', null, null, ...dnsFailure(HOSTILE_SCRIPT, 'expired')],
    [
      2 * H,
      1,
      4,
      1,
      'icloud.com',
      '10.0.0.1',
      '3.3.3.3',
      'rcpt',
      550,
      '5.1.1',
      apple,
      'hard',
      1,
      'quarantine',
      'permanent',
      'Momen_Code10_InvalidRecipient',
      10,
      'failed',
    ],
    [7_260_000, 1, 8, 2, 'gm.com', '10.0.0.1', '2.2.2.2', ...MAILBOX_FULL_452],
  ]);
  // t, recipient, kind, type, reason, impact, status, text, matched_by, delivery_id, recipient_id
  await insert(s, 'inmail', [
    [
      4 * H,
      'b9@gm.com',
      'dsn',
      'hard',
      1,
      'quarantine',
      '5.1.1',
      'dsn 5.1.1 no such user',
      'messageId',
      1,
      9,
    ],
    // backscatter: a bounce for a message the run never sent (matches nothing, changes nothing)
    [
      3 * H,
      'a1@ex.com',
      'dsn',
      'hard',
      1,
      'quarantine',
      '5.1.1',
      'dsn 5.1.1 no such user',
      'none',
      null,
      null,
    ],
  ]);
  // address, status, error_count, reason, text, first_error, last_error, updated
  await insert(s, 'quarantine', [
    ['q6@ex.com', 'quarantine', 1, 1, 'old', 0, 0, 0],
    ['u3@ex.com', 'quarantine', 1, 1, '550 5.1.1 user unknown', 120_000, 120_000, 120_000],
    ['v4@icloud.com', 'quarantine', 1, 1, `Momen_Code10_InvalidRecipient ${apple}`, 2 * H, 2 * H, 2 * H],
    ['b9@gm.com', 'quarantine', 1, 1, 'dsn 5.1.1 no such user', 4 * H, 4 * H, 4 * H],
    ['m8@gm.com', 'withErrors', 1, 5, '452 4.2.2 mailbox full', 60_000, 60_000, 60_000],
    ['x10@gm.com', 'withErrors', 1, 2, HOSTILE_SCRIPT, 300_000, 300_000, 300_000],
  ]);
  // t, address, old, new, reason, text, rule, cause
  await insert(s, 'quarantine_history', [
    [0, 'q6@ex.com', 'valid', 'quarantine', 1, 'old', null, 'initial'],
    [60_000, 'm8@gm.com', 'valid', 'withErrors', 5, '452 4.2.2 mailbox full', 'MailboxFull', 'sync'],
    [120_000, 'u3@ex.com', 'valid', 'quarantine', 1, '550 5.1.1 user unknown', 'UserUnknown', 'sync'],
    [300_000, 'x10@gm.com', 'valid', 'withErrors', 2, HOSTILE_SCRIPT, 'DnsFailure', 'sync'],
    [2 * H, 'v4@icloud.com', 'valid', 'quarantine', 1, apple, 'Momen_Code10_InvalidRecipient', 'sync'],
    [4 * H, 'b9@gm.com', 'valid', 'quarantine', 1, 'dsn 5.1.1 no such user', 'Inbound_UserUnknown', 'async'],
  ]);
  // normalized, first_text, occurrences, type, reason, status
  await insert(s, 'qualification', [
    ['550 #xxx# user unknown', '550 5.1.1 user unknown', 3, 'hard', 1, 'keep'],
    ['452 #xxx# mailbox full', '452 4.2.2 mailbox full', 2, 'soft', 5, 'keep'],
    [HOSTILE_IMG, HOSTILE_IMG, 2, 'undefined', 0, 'toQualify'],
    ['weird reply #xxx#', 'weird reply 17', 5, 'undefined', 0, 'toQualify'],
    ['also weird', 'also weird', 2, 'undefined', 0, 'toQualify'],
  ]);
  // slice_ms, domain, local_ip, attempts, delivered, deferred, failed
  await insert(s, 'throughput', [
    [0, 'ex.com', '10.0.0.1', 4, 2, 1, 1],
    [0, 'gm.com', '10.0.0.1', 2, 1, 1, 0],
    [300_000, 'gm.com', '10.0.0.1', 1, 0, 1, 0],
    [3_600_000, 'ex.com', '10.0.0.1', 1, 1, 0, 0],
    [3_900_000, 'gm.com', '10.0.0.1', 1, 0, 0, 1],
    [7_200_000, 'icloud.com', '10.0.0.1', 1, 0, 0, 1],
    [7_200_000, 'gm.com', '10.0.0.1', 1, 0, 1, 0],
  ]);
  // kind, domain, local_ip, mx_ip, start, end, rule, text
  await insert(s, 'suspensions', [
    ['suspend', 'gm.com', '10.0.0.1', null, H, 5 * H, 'Yahoo_TSS04', '421 4.7.0 [TSS04] deferred'],
    ['block', 'icloud.com', null, null, 2 * H, 2 * H + 30 * 60_000, 'ErrorRate', HOSTILE_IMG],
  ]);
}

/** A fresh tiny store (in memory unless `file` is given). */
export async function tinyStore(file?: string): Promise<TestStore> {
  const s = await emptyStore(file);
  await fillTinyRun(s);
  return s;
}
