/**
 * The store's DuckDB side: the database, its staging tables and their appenders, and the statements
 * that build the real tables at close. `RunStoreWriter` buffers rows and decides what to write;
 * a `Stage` writes it, either on the calling thread (`openInThreadStage`) or on a worker thread
 * (`openWorkerStage` in worker-stage.ts, same operations posted in order).
 */
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
} from '@duckdb/node-api';
import { firstLine, StoreError } from './errors.ts';
import { appendColumns, type Column, stageTypes } from './table-buffer.ts';
import { TABLES, type TableName } from './tables.ts';

/** What a stage is opened with (structured-clone friendly: it crosses to the worker). */
export interface StageSetup {
  file: string;
  /** DuckDB configuration (memory_limit, threads) */
  config: Record<string, string>;
  /** statements run once the database exists: schema, staging tables */
  initSql: string[];
  /** the staging dictionary table (dict INTEGER, id INTEGER, s VARCHAR) */
  stringsTable: string;
  /** staging table of each real table */
  stageTables: [TableName, string][];
}

/** New strings of one dictionary: ids `start`, `start + 1`, ... */
export interface StringBatch {
  dict: number;
  start: number;
  strings: string[];
}

/** One statement of the close, labelled for errors and timings (usually the table it builds). */
export interface FinishStep {
  label: string;
  sql: string;
  /** print `store: <label> <note> <ms> ms` when MXLAB_TIMING is set */
  note?: string;
}

/** Writes a run store's staging data and builds its tables. Calls are applied in order. */
export interface Stage {
  /** Runs one statement now (e.g. a run_meta row); errors name `label`. */
  exec(label: string, sql: string, params?: (string | number)[]): Promise<void>;
  /** Appends new dictionary strings (before any rows that use their ids). */
  appendStrings(batches: StringBatch[]): void;
  /** Appends rows to a table's staging table; the stage owns `cols` from now on. */
  appendRows(table: TableName, cols: Column[], length: number): void;
  /**
   * Runs statements that build a finished table: a worker stage as soon as it gets to them (beside
   * the caller's work), the calling thread's at `finish`. Their first error is `finish`'s.
   */
  build(steps: FinishStep[]): void;
  /**
   * Sets DuckDB's thread count now, ahead of the operations still queued (a worker stage applies it
   * at once, also to the statement running); errors surface at `finish`.
   */
  setThreads(threads: number): void;
  /** Closes the appenders, runs `steps` in order, checkpoints and closes the database. */
  finish(steps: FinishStep[]): Promise<void>;
  /** Closes the database without building anything (the run failed). */
  abort(): Promise<void>;
}

/** Opens the database and its staging tables on this thread. */
export async function openInThreadStage(setup: StageSetup): Promise<InThreadStage> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(setup.file, setup.config);
  } catch (err) {
    throw new StoreError(`${setup.file}: cannot create the run store (${firstLine(err)})`, { cause: err });
  }
  const con = await instance.connect();
  for (const sql of setup.initSql) await con.run(sql);
  const strings = await con.createAppender(setup.stringsTable, 'main', 'temp');
  const tables = new Map<TableName, Staged>();
  for (const [table, name] of setup.stageTables) {
    const specs = TABLES[table];
    tables.set(table, {
      appender: await con.createAppender(name, 'main', 'temp'),
      chunk: DuckDBDataChunk.create(stageTypes(specs)),
    });
  }
  return new InThreadStage(setup.file, instance, con, strings, tables);
}

interface Staged {
  appender: DuckDBAppender;
  chunk: DuckDBDataChunk;
}

/** The stage on the calling thread (see `openInThreadStage`). */
export class InThreadStage implements Stage {
  private open = true;
  private readonly built: FinishStep[] = [];

  constructor(
    private readonly file: string,
    private readonly instance: DuckDBInstance,
    private readonly con: DuckDBConnection,
    private readonly strings: DuckDBAppender,
    private readonly tables: Map<TableName, Staged>,
  ) {}

  async exec(label: string, sql: string, params?: (string | number)[]): Promise<void> {
    try {
      await this.con.run(sql, params);
    } catch (err) {
      throw new StoreError(`${this.file}: ${label}: ${firstLine(err)}`, { cause: err });
    }
  }

  appendStrings(batches: StringBatch[]): void {
    const a = this.strings;
    for (const { dict, start, strings } of batches)
      for (let k = 0; k < strings.length; k++) {
        a.appendInteger(dict);
        a.appendInteger(start + k);
        a.appendVarchar(strings[k]!);
        a.endRow();
      }
    a.flushSync();
  }

  appendRows(table: TableName, cols: Column[], length: number): void {
    const t = this.tables.get(table)!;
    try {
      appendColumns(t.appender, t.chunk, TABLES[table], cols, length);
    } catch (err) {
      throw new StoreError(`${this.file}: ${table}: ${firstLine(err)}`, { cause: err });
    }
  }

  build(steps: FinishStep[]): void {
    this.built.push(...steps);
  }

  /** the last `setThreads`, awaited before the database closes, and its first error */
  private threadsSet: Promise<void> = Promise.resolve();
  private threadsError: unknown = null;

  setThreads(threads: number): void {
    // its own connection: the stage's one may be running a statement (the worker's queue)
    this.threadsSet = this.threadsSet
      .then(async () => {
        const con = await this.instance.connect();
        try {
          await con.run(`SET threads = ${threads}`);
        } finally {
          con.closeSync();
        }
      })
      .catch((err: unknown) => {
        this.threadsError ??= err;
      });
  }

  /** Runs steps in order (the worker's `build`); the appenders stay open. */
  async run(steps: FinishStep[]): Promise<void> {
    const timing = Boolean(process.env.MXLAB_TIMING);
    for (const step of steps) {
      const t0 = performance.now();
      await this.exec(step.label, step.sql);
      if (timing && step.note !== undefined)
        console.error(`store: ${step.label} ${step.note} ${Math.round(performance.now() - t0)} ms`);
    }
  }

  async finish(steps: FinishStep[]): Promise<void> {
    try {
      await this.threadsSet;
      if (this.threadsError !== null)
        throw new StoreError(`${this.file}: threads: ${firstLine(this.threadsError)}`, {
          cause: this.threadsError,
        });
      this.strings.closeSync();
      for (const t of this.tables.values()) t.appender.closeSync();
      await this.run([...this.built.splice(0), ...steps]);
    } finally {
      this.close();
    }
  }

  async abort(): Promise<void> {
    await this.threadsSet;
    this.close();
  }

  private close(): void {
    if (!this.open) return;
    this.open = false;
    this.con.closeSync();
    this.instance.closeSync();
  }
}
