/**
 * Creates a run's `run.duckdb` and writes it. Rows go into columnar typed-array buffers (strings
 * interned, enums as bytes); every `flushRows` rows a buffer is handed to the stage (stage.ts), which
 * appends it to a staging TEMP table of integer columns, and new strings to a staging dictionary:
 * on the calling thread, or with `worker: true` on a worker thread beside it. `close()` turns each
 * staging table into its real table in one `INSERT ... SELECT` (string ids looked up in the
 * dictionary, insertion order kept), checkpoints and closes; a worker stage also builds sealed
 * tables at once and big tables in parts as rows come (`buildEvery`), beside the caller. Same pushes
 * in the same order give the same tables, on either thread.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { StoreError } from './errors.ts';
import type { Interner } from './interner.ts';
import { storeFile } from './paths.ts';
import type { InsertRow, TableRows } from './rows.ts';
import {
  type FinishStep,
  openInThreadStage,
  type Stage,
  type StageSetup,
  type StringBatch,
} from './stage.ts';
import { stageSqlType } from './table-buffer.ts';
import { DERIVED, type TableWriter } from './table-writer.ts';
import {
  type AttemptsWriter,
  DeliveryLogWriter,
  type InmailWriter,
  type QuarantineHistoryWriter,
  type QuarantineWriter,
  RecipientsWriter,
  type SuspensionsWriter,
  type ThroughputWriter,
  WRITERS,
} from './table-writers.ts';
import { SCHEMA_VERSION, TABLES, type TableName } from './tables.ts';
import { openWorkerStage } from './worker-stage.ts';

/** Settings of the writer; every default can be overridden. */
export interface RunStoreOptions {
  /** rows buffered per table before a flush to the staging table (default 65,536) */
  flushRows?: number;
  /** distinct strings remembered per column before the interner forgets them (default 65,536) */
  internLimit?: number;
  /** largest column dictionary looked up through a list variable; bigger ones are joined (default 4,096) */
  listLookupMax?: number;
  /** DuckDB memory_limit (default '1GB'); staging spills to disk beyond it */
  memoryLimit?: string;
  /** DuckDB worker threads (default: the number of cores; see `threadsBeside`) */
  threads?: number;
  /** replace an existing store file (default true); false makes an existing file an error */
  overwrite?: boolean;
  /**
   * write through DuckDB on a worker thread (default false): the caller's thread only fills the
   * buffers, appends and the close's inserts run beside it (worth it from about 100k rows)
   */
  worker?: boolean;
  /**
   * with `worker`, build a table's staged rows into its real table in parts, beside the run, instead
   * of all at seal or close: once this many rows wait, the largest multiple of it (default 245,760,
   * two DuckDB row groups); 0: no parts
   */
  buildEvery?: number;
  /** the tables built in parts (default: every table) */
  partTables?: readonly TableName[];
  /**
   * with `worker`, DuckDB threads until `close()` (default 1), which then raises them to `threads`:
   * while the caller's thread works, more DuckDB threads take cores from it
   */
  threadsBeside?: number;
}

/** What `close()` reports. */
export interface RunStoreSummary {
  file: string;
  /** rows written per table */
  rows: Record<TableName, number>;
  /** size of the database file in bytes after the checkpoint */
  bytes: number;
  /** milliseconds spent in close() (final flush, materialization, checkpoint) */
  closeMs: number;
}

/** Default settings. */
export const STORE_DEFAULTS = {
  flushRows: 65_536,
  internLimit: 1 << 16,
  // getvariable() copies the list per 2,048-row vector: a lookup costs O(dictionary) per chunk, so
  // big dictionaries go through a join (1M rows, 170k strings: list 4.2 s, join + ORDER BY 0.23 s)
  listLookupMax: 4096,
  memoryLimit: '1GB',
  // two DuckDB row groups. A part of whole row groups goes straight to the file; a ragged one goes
  // through the WAL, whose automatic checkpoint then costs a second (1M baseline, 2 cores)
  buildEvery: 2 * 122_880,
  threadsBeside: 1,
} as const;

const STRINGS = '_mx_strings';
const stageName = (t: TableName) => `_mx_stage_${t}`;

/** Reads the DDL shipped beside this file. */
export function schemaSql(): string {
  return readFileSync(new URL('./schema.sql', import.meta.url), 'utf8');
}

/**
 * Creates (or replaces) the store of a run and returns its writer.
 * @param dirOrFile a run folder (the file is `run.duckdb` inside, folders are created) or a `.duckdb` path
 * @param meta facts written to `run_meta` at once, besides `schema_version`
 */
export async function createRunStore(
  dirOrFile: string,
  meta: Record<string, string | number | boolean>,
  options: RunStoreOptions = {},
): Promise<RunStoreWriter> {
  const file = storeFile(dirOrFile);
  const flushRows = options.flushRows ?? STORE_DEFAULTS.flushRows;
  if (!Number.isInteger(flushRows) || flushRows < 1)
    throw new StoreError(`${file}: flushRows must be a positive integer, got ${flushRows}`);
  if (existsSync(file)) {
    if (options.overwrite === false) throw new StoreError(`${file}: a run store already exists`);
    rmSync(file, { force: true });
    rmSync(`${file}.wal`, { force: true });
  }
  mkdirSync(dirname(file), { recursive: true });
  const config: Record<string, string> = {
    memory_limit: options.memoryLimit ?? STORE_DEFAULTS.memoryLimit,
  };
  const threads = options.threads ?? availableParallelism();
  const threadsBeside = options.threadsBeside ?? STORE_DEFAULTS.threadsBeside;
  for (const [name, n] of [
    ['threads', threads],
    ['threadsBeside', threadsBeside],
  ] as const)
    if (!Number.isInteger(n) || n < 1)
      throw new StoreError(`${file}: ${name} must be a positive integer, got ${n}`);
  config.threads = String(options.worker ? Math.min(threads, threadsBeside) : threads);
  const stageTables = (Object.keys(TABLES) as TableName[]).map((t): [TableName, string] => [t, stageName(t)]);
  const setup: StageSetup = {
    file,
    config,
    initSql: [
      schemaSql(),
      `CREATE TEMP TABLE ${STRINGS} (dict INTEGER, id INTEGER, s VARCHAR)`,
      ...stageTables.map(([t, name]) => {
        const cols = TABLES[t].map((s) => `"${s.name}" ${stageSqlType(s)}`).join(', ');
        return `CREATE TEMP TABLE ${name} (${cols})`;
      }),
    ],
    stringsTable: STRINGS,
    stageTables,
  };
  const buildEvery = options.buildEvery ?? STORE_DEFAULTS.buildEvery;
  if (!Number.isInteger(buildEvery) || buildEvery < 0)
    throw new StoreError(`${file}: buildEvery must be a non-negative integer, got ${buildEvery}`);
  const stage = await (options.worker ? openWorkerStage(setup) : openInThreadStage(setup));
  const writer = new RunStoreWriter(
    file,
    stage,
    flushRows,
    options.internLimit ?? STORE_DEFAULTS.internLimit,
    options.listLookupMax ?? STORE_DEFAULTS.listLookupMax,
    // on the calling thread a part would only run at close, in the same order: no gain
    options.worker ? buildEvery : 0,
    options.worker ? threads : 0,
    new Set(options.partTables ?? (Object.keys(TABLES) as TableName[])),
  );
  try {
    await writer.setMeta({ schema_version: SCHEMA_VERSION, ...meta });
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return writer;
}

/** The writer of one run store. Push rows, then `await close()`. */
export class RunStoreWriter {
  readonly attempts: AttemptsWriter;
  readonly recipients: RecipientsWriter;
  readonly deliveryLog: DeliveryLogWriter;
  readonly quarantine: QuarantineWriter;
  readonly quarantineHistory: QuarantineHistoryWriter;
  readonly throughput: ThroughputWriter;
  readonly inmail: InmailWriter;
  readonly suspensions: SuspensionsWriter;
  private readonly writers = new Map<TableName, TableWriter>();
  private readonly dictionaries: { table: TableName; column: string; interner: Interner }[] = [];
  private closed = false;
  private readonly sealed = new Set<TableName>();
  /** rows of each staging table already built into the real table (its rowids below this) */
  private readonly built = new Map<TableName, number>();
  private allThreads = false;

  constructor(
    readonly file: string,
    private readonly stage: Stage,
    flushRows: number,
    internLimit: number,
    private readonly listLookupMax: number,
    private readonly buildEvery = 0,
    /** DuckDB threads from `useAllThreads()` or `close()` on (0: leave them as they are) */
    private readonly closeThreads = 0,
    private readonly partTables: ReadonlySet<TableName> = new Set(),
  ) {
    const onFull = (w: TableWriter) => this.flushTable(w);
    const make = <T extends TableName>(table: T): InstanceType<(typeof WRITERS)[T]> => {
      const w = new WRITERS[table](table, internLimit, flushRows, onFull);
      this.writers.set(table, w);
      return w as InstanceType<(typeof WRITERS)[T]>;
    };
    this.attempts = make('attempts');
    this.recipients = make('recipients');
    this.deliveryLog = make('delivery_log');
    this.quarantine = make('quarantine');
    this.quarantineHistory = make('quarantine_history');
    this.throughput = make('throughput');
    this.inmail = make('inmail');
    this.suspensions = make('suspensions');
    for (const t of Object.keys(TABLES) as TableName[]) if (!this.writers.has(t)) make(t);
    for (const w of this.writers.values())
      w.interners.forEach((interner, c) => {
        if (interner) this.dictionaries.push({ table: w.table, column: w.specs[c]!.name, interner });
      });
  }

  /** Writes key/value facts to `run_meta` now (values as strings; a key may be set once). */
  async setMeta(meta: Record<string, string | number | boolean>): Promise<void> {
    this.assertOpen();
    for (const [key, value] of Object.entries(meta))
      await this.stage.exec(`run_meta.${key}`, 'INSERT INTO run_meta VALUES ($1, $2)', [key, String(value)]);
  }

  /**
   * Appends rows given as objects keyed by SQL column name, in order, through the same buffers as
   * the `push` writers (so order between both is kept). For small tables: run_meta, deliveries,
   * qualification, or tests.
   */
  insertRows<T extends TableName>(table: T, rows: readonly InsertRow<TableRows[T]>[]): void {
    this.assertOpen();
    const w = this.writers.get(table);
    if (!w) throw new StoreError(`${this.file}: no table '${String(table)}'`);
    for (const row of rows) w.push(row as never);
  }

  /** Appends every buffered row to the staging tables now (synchronous). */
  flush(): void {
    this.assertOpen();
    for (const w of this.writers.values()) if (w.buf.length > 0) this.flushTable(w);
  }

  private flushStrings(): void {
    const batches: StringBatch[] = [];
    for (let d = 0; d < this.dictionaries.length; d++) {
      const { start, strings } = this.dictionaries[d]!.interner.drain();
      if (strings.length > 0) batches.push({ dict: d, start, strings });
    }
    if (batches.length > 0) this.stage.appendStrings(batches);
  }

  private flushTable(w: TableWriter): void {
    if (this.sealed.has(w.table))
      throw new StoreError(`${this.file}: ${w.table}: rows pushed after the table was sealed`);
    this.flushStrings();
    const { cols, length } = w.buf.take();
    this.stage.appendRows(w.table, cols, length);
    const unbuilt = this.unbuilt(w);
    if (this.buildEvery > 0 && unbuilt >= this.buildEvery && this.canBuildPart(w)) {
      // a part: a multiple of buildEvery rows staged since the last one, built into the real table
      // beside the caller's work
      const from = this.built.get(w.table) ?? 0;
      this.stage.build(this.materialize(w.table, w, from + unbuilt - (unbuilt % this.buildEvery)));
    }
  }

  /** A part needs what it reads: delivery_log rows taking their address from recipients, that table. */
  private canBuildPart(w: TableWriter): boolean {
    if (this.sealed.has(w.table) || !this.partTables.has(w.table)) return false;
    return !(w instanceof DeliveryLogWriter && w.fromRecipientRows > 0) || this.sealed.has('recipients');
  }

  /** Rows staged (flushed) and not yet built into the real table. */
  private unbuilt(w: TableWriter): number {
    return w.count - w.buf.length - (this.built.get(w.table) ?? 0);
  }

  /** Rows pushed so far per table. */
  counts(): Record<TableName, number> {
    const out = {} as Record<TableName, number>;
    for (const [t, w] of this.writers) out[t] = w.count;
    return out;
  }

  /**
   * Declares tables finished: no more rows will be pushed to them. Their real tables are then built
   * (on a worker stage, at once, beside what the caller does next; on the calling thread, at close).
   * A row pushed to a sealed table fails its flush.
   */
  seal(...tables: TableName[]): void {
    this.assertOpen();
    for (const table of tables) {
      const w = this.writers.get(table);
      if (!w) throw new StoreError(`${this.file}: no table '${String(table)}'`);
      if (this.sealed.has(table)) continue;
      if (w.buf.length > 0) this.flushTable(w);
      this.sealed.add(table);
      const steps = this.buildSteps(table, w);
      if (steps.length > 0) this.stage.build(steps);
    }
  }

  /**
   * Tells a worker stage that the caller now mostly waits for it: DuckDB gets `threads` at once,
   * for what is queued too (`close()` does it; call it earlier when what is left is mostly writing).
   */
  useAllThreads(): void {
    this.assertOpen();
    if (this.closeThreads > 0 && !this.allThreads) this.stage.setThreads(this.closeThreads);
    this.allThreads = true;
  }

  /** Flushes, builds the real tables from the staging ones, checkpoints and closes the database. */
  async close(): Promise<RunStoreSummary> {
    this.assertOpen();
    const t0 = performance.now();
    this.useAllThreads();
    this.flush();
    this.flushStrings();
    this.closed = true;
    const steps: FinishStep[] = [];
    for (const [table, w] of this.writers)
      if (!this.sealed.has(table)) steps.push(...this.buildSteps(table, w));
    steps.push({ label: 'checkpoint', sql: 'CHECKPOINT', note: '' });
    await this.stage.finish(steps);
    return {
      file: this.file,
      rows: this.counts(),
      bytes: statSync(this.file).size,
      closeMs: performance.now() - t0,
    };
  }

  /** Statements that build a table's last staged rows, then drop its staging table. */
  private buildSteps(table: TableName, w: TableWriter): FinishStep[] {
    if (w.count === 0) return [];
    const rows = this.unbuilt(w) > 0 ? this.materialize(table, w) : [];
    return [...rows, { label: table, sql: `DROP TABLE temp.main.${stageName(table)}` }];
  }

  /** Closes the database without building the tables (the run failed); a no-op once closed. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stage.abort();
  }

  /**
   * The statements that build one table from its staging table. A small dictionary (<= listLookupMax
   * strings) is looked up in a list variable (fast, order kept); a big one by a join, with ORDER BY
   * the staging rowid.
   */
  private materialize(table: TableName, w: TableWriter, to = w.count - w.buf.length): FinishStep[] {
    const steps: FinishStep[] = [];
    const joins: string[] = [];
    const exprs: string[] = [];
    for (const spec of w.specs) {
      const d = this.dictionaries.findIndex((x) => x.table === table && x.column === spec.name);
      if (d < 0) {
        exprs.push(`st."${spec.name}"`);
        continue;
      }
      if (this.dictionaries[d]!.interner.size <= this.listLookupMax) {
        steps.push({
          label: table,
          sql: `SET VARIABLE mx_d${d} = (SELECT coalesce(list(s ORDER BY id), []::VARCHAR[]) FROM temp.main.${STRINGS} WHERE dict = ${d})`,
        });
        exprs.push(`getvariable('mx_d${d}')[st."${spec.name}" + 1]`);
      } else {
        joins.push(
          `LEFT JOIN (SELECT id, s FROM temp.main.${STRINGS} WHERE dict = ${d}) j${d} ON j${d}.id = st."${spec.name}"`,
        );
        exprs.push(`j${d}.s`);
      }
    }
    if (w instanceof RecipientsWriter && w.derivedDomainRows > 0) {
      // pushDomainFromAddress rows: what follows the address's last '@' (string_split(...)[-1])
      const c = w.specs.findIndex((s) => s.name === 'domain');
      exprs[c] =
        `CASE WHEN st."domain" = ${DERIVED} THEN string_split(st."address", '@')[-1] ELSE ${exprs[c]} END`;
    }
    if (w instanceof DeliveryLogWriter && w.fromRecipientRows > 0) {
      // pushFromRecipient rows staged a NULL address: the recipient's (recipients is built first)
      const c = w.specs.findIndex((s) => s.name === 'address');
      exprs[c] = `coalesce(${exprs[c]}, rcp.address)`;
      joins.push('LEFT JOIN main.recipients rcp ON rcp.id = st.recipient_id');
    }
    const order = joins.length > 0 ? ' ORDER BY st.rowid' : '';
    // the staged rows not built yet: a staging table is only appended to, so its rowids count rows
    const from = this.built.get(table) ?? 0;
    this.built.set(table, to);
    const staged = w.count - w.buf.length;
    const where =
      from > 0 || to < staged
        ? ` WHERE st.rowid >= ${from}${to < staged ? ` AND st.rowid < ${to}` : ''}`
        : '';
    steps.push({
      label: table,
      sql: `INSERT INTO main.${table} SELECT ${exprs.join(', ')} FROM temp.main.${stageName(table)} st ${joins.join(' ')}${where}${order}`,
      note: `${to - from} rows`,
    });
    return steps;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError(`${this.file}: the run store writer is closed`);
  }
}
