/**
 * What every table's writer shares (table-writers.ts, generated from tables.ts, holds one subclass per
 * table with its `push(row)` unrolled column by column): the columnar buffer, one interner per `str`
 * column and the per-kind encoders `push` calls to encode a row into the buffer and flush it when
 * full. `RunStoreWriter.insertRows` goes through the same `push`.
 */
import { bool, enumCode, i32, i64, strId } from './encode.ts';
import { StoreError } from './errors.ts';
import { Interner } from './interner.ts';
import { TableBuffer } from './table-buffer.ts';
import { type ColumnSpec, type EnumName, TABLES, type TableName } from './tables.ts';

type Str = string | null | undefined;

/** Staged id of a `str` column whose value the store computes at close (NULL is -1, real ids >= 0). */
export const DERIVED = -2;
type Num = number | null | undefined;

/** Buffered writer of one table; `flush` is called with the table when the buffer is full. */
export abstract class TableWriter {
  readonly buf: TableBuffer;
  readonly specs: readonly ColumnSpec[];
  /** rows pushed since creation */
  count = 0;
  private readonly where: string[];

  /** one interner per `str` column (undefined for other columns) */
  readonly interners: (Interner | undefined)[];

  constructor(
    readonly table: TableName,
    internLimit: number,
    flushRows: number,
    protected readonly onFull: (w: TableWriter) => void,
  ) {
    this.specs = TABLES[table];
    this.buf = new TableBuffer(this.specs, flushRows);
    this.where = this.specs.map((s) => `${table}.${s.name}`);
    this.interners = this.specs.map((s) => (s.kind === 'str' ? new Interner(internLimit) : undefined));
  }

  /**
   * Appends one row given as an object keyed by column name (a missing nullable column is NULL): each
   * table's writer in table-writers.ts, unrolled column by column.
   */
  abstract push(row: never): void;

  /** Counts the row and flushes when the buffer is full. */
  protected done(): void {
    this.count++;
    if (this.buf.full) this.onFull(this);
  }

  /** Interned id of a `str` column value, or the string itself (or null) for a `raw` column. */
  protected s(v: Str, c: number): number | string | null {
    const interner = this.interners[c];
    if (interner) return strId(interner, v, this.specs[c]!.nullable, this.where[c]!);
    if (v == null) {
      if (this.specs[c]!.nullable) return null;
      throw new StoreError(`${this.where[c]}: NULL in a NOT NULL column`);
    }
    if (typeof v !== 'string') throw new StoreError(`${this.where[c]}: expected a string, got ${typeof v}`);
    return v;
  }
  /** enum byte */
  protected e(v: Str, c: number): number {
    const s = this.specs[c]!;
    return enumCode(s.kind as EnumName, v, s.nullable, this.where[c]!);
  }
  /** 32-bit integer */
  protected n(v: Num, c: number): number {
    return i32(v, this.specs[c]!.nullable, this.where[c]!);
  }
  /** milliseconds */
  protected m(v: Num, c: number): number {
    return i64(v, this.specs[c]!.nullable, this.where[c]!);
  }
  /** boolean */
  protected b(v: boolean, c: number): number {
    return bool(v, this.where[c]!);
  }
}
