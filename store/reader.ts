/**
 * Opens a run's `run.duckdb` for reports, compare, remediation and users' SQL. Results are plain JS
 * objects: BIGINT/HUGEINT as numbers when they are safe integers (bigint otherwise), DECIMAL as
 * numbers, ENUMs as strings.
 */
import { existsSync } from 'node:fs';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { firstLine, StoreError } from './errors.ts';
import { storeFile } from './paths.ts';
import { SCHEMA_VERSION } from './tables.ts';

/** SQL parameters: positional (`$1`, `?`) or named (`$name`). */
export type SqlParams = readonly unknown[] | Record<string, unknown>;

/** How to open a store. */
export interface OpenOptions {
  /** open read-only (default true); false allows `run()` to update, e.g. a remediation `--apply` */
  readonly?: boolean;
  /** DuckDB worker threads (default: DuckDB's own, the number of cores); sweeps run one per run */
  threads?: number;
}

/** An open run store. */
export interface RunStore {
  /** the database file */
  readonly file: string;
  /** All result rows as plain objects. */
  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
  /** The first result row, or undefined. */
  get<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** Runs a statement; returns the number of changed rows (0 for statements that change none). */
  run(sql: string, params?: SqlParams): Promise<number>;
  /** The `run_meta` table as an object. */
  meta(): Promise<Record<string, string>>;
  /** Writes a table (or a SELECT query) as CSV with a header. */
  exportCsv(tableOrQuery: string, file: string): Promise<void>;
  /** Writes a table (or a SELECT query) as Parquet. */
  exportParquet(tableOrQuery: string, file: string): Promise<void>;
  /** Closes the database. */
  close(): void;
}

/**
 * Opens the store of a run folder (or a `.duckdb` file). Fails with a one-line `MXLAB_STORE` error
 * (exit code 2) naming the path when it does not exist, is not a run store or has another schema version.
 */
export async function openRunStore(dirOrFile: string, options: OpenOptions = {}): Promise<RunStore> {
  const file = storeFile(dirOrFile);
  if (!existsSync(file)) throw new StoreError(`${file}: no run store here (file not found)`);
  const readonly = options.readonly ?? true;
  let instance: DuckDBInstance;
  try {
    const config: Record<string, string> = readonly ? { access_mode: 'READ_ONLY' } : {};
    if (options.threads) config.threads = String(options.threads);
    instance = await DuckDBInstance.create(file, config);
  } catch (err) {
    throw new StoreError(`${file}: cannot open the run store (${firstLine(err)})`, { cause: err });
  }
  const con = await instance.connect();
  const store = new DuckRunStore(file, instance, con);
  let version: string | undefined;
  try {
    version = (await store.get<{ value: string }>(`SELECT value FROM run_meta WHERE key = 'schema_version'`))
      ?.value;
  } catch (err) {
    store.close();
    throw new StoreError(`${file}: not an mxlab run store (${firstLine(err)})`, { cause: err });
  }
  if (version !== String(SCHEMA_VERSION)) {
    store.close();
    throw new StoreError(
      `${file}: run store schema version ${version ?? 'missing'}, this mxlab reads version ${SCHEMA_VERSION}`,
    );
  }
  return store;
}

class DuckRunStore implements RunStore {
  private open = true;
  constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    private readonly con: DuckDBConnection,
  ) {}

  async all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.exec(sql, params, (s, p) => this.con.runAndReadAll(s, p));
    return reader.getRowObjectsJS().map(plain) as T[];
  }

  async get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params?: SqlParams): Promise<number> {
    const result = await this.exec(sql, params, (s, p) => this.con.run(s, p));
    return Number(result.rowsChanged);
  }

  async meta(): Promise<Record<string, string>> {
    const rows = await this.all<{ key: string; value: string }>(
      'SELECT key, value FROM run_meta ORDER BY key',
    );
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  async exportCsv(tableOrQuery: string, file: string): Promise<void> {
    await this.run(`COPY (${source(tableOrQuery)}) TO '${quote(file)}' (FORMAT csv, HEADER true)`);
  }

  async exportParquet(tableOrQuery: string, file: string): Promise<void> {
    await this.run(`COPY (${source(tableOrQuery)}) TO '${quote(file)}' (FORMAT parquet)`);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.con.closeSync();
    this.instance.closeSync();
  }

  private async exec<R>(
    sql: string,
    params: SqlParams | undefined,
    f: (sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>) => Promise<R>,
  ): Promise<R> {
    if (!this.open) throw new StoreError(`${this.file}: the run store is closed`);
    try {
      return await f(sql, params as DuckDBValue[] | Record<string, DuckDBValue> | undefined);
    } catch (err) {
      throw new StoreError(`${this.file}: ${firstLine(err)}`, { cause: err });
    }
  }
}

/** A table name becomes `SELECT * FROM "name"`; anything else is taken as a query. */
function source(tableOrQuery: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(tableOrQuery) ? `SELECT * FROM "${tableOrQuery}"` : tableOrQuery;
}

function quote(path: string): string {
  return path.replaceAll("'", "''");
}

function plain(row: Record<string, unknown>): Record<string, unknown> {
  for (const k in row) {
    const v = row[k];
    if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER))
      row[k] = Number(v);
  }
  return row;
}
