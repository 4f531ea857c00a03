/**
 * Columnar row buffer of one hot table: one typed array per column, strings as interned ids,
 * enums as one byte. `take()` hands the rows over; `appendColumns` gives them to a DuckDB appender
 * as 2,048-row data chunks filled by copying typed-array slices (no per-value call into DuckDB).
 *
 * NULL is a sentinel per kind: `NULL_I32` for i32, -1 for string ids, NaN for i64, 2 for bool,
 * 255 for enums.
 */

import {
  BIGINT,
  BOOLEAN,
  type DuckDBAppender,
  type DuckDBDataChunk,
  type DuckDBType,
  ENUM,
  INTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import { type ColumnSpec, ENUMS } from './tables.ts';

/** The i32 value that means NULL (INT32_MIN). */
export const NULL_I32 = -2147483648;
/** The enum byte that means NULL. */
export const NULL_ENUM = 255;
/** The bool byte that means NULL. */
export const NULL_BOOL = 2;

/** Rows per DuckDB data chunk (the standard vector size). */
export const CHUNK_ROWS = 2048;

/** One buffered column: a typed array, or strings for a `raw` column. */
export type Column = Int32Array | Float64Array | Uint8Array | (string | null)[];

const i64Scratch = new Int32Array(CHUNK_ROWS * 2);
const validityScratch = new Uint32Array(CHUNK_ROWS / 32);

/** DuckDB type of a column in the staging table (strings are their integer ids). */
function stageType(spec: ColumnSpec): DuckDBType {
  switch (spec.kind) {
    case 'i32':
    case 'str':
      return INTEGER;
    case 'i64':
      return BIGINT;
    case 'bool':
      return BOOLEAN;
    case 'raw':
      return VARCHAR;
    default:
      return ENUM(ENUMS[spec.kind]);
  }
}

/** SQL type of a column in the staging table. */
export function stageSqlType(spec: ColumnSpec): string {
  switch (spec.kind) {
    case 'i32':
    case 'str':
      return 'INTEGER';
    case 'i64':
      return 'BIGINT';
    case 'bool':
      return 'BOOLEAN';
    case 'raw':
      return 'VARCHAR';
    default:
      return spec.kind;
  }
}

function allocate(spec: ColumnSpec, n: number): Column {
  switch (spec.kind) {
    case 'i32':
    case 'str':
      return new Int32Array(n);
    case 'i64':
      return new Float64Array(n);
    case 'raw':
      return new Array<string | null>(n).fill(null);
    default:
      return new Uint8Array(n);
  }
}

/** A growable columnar buffer of at most `maxRows` rows. */
export class TableBuffer {
  /** one typed array per column (a string array for `raw`), in spec order; re-read after `next()` */
  cols: { [row: number]: number | string | null }[];
  /** rows buffered */
  length = 0;
  private capacity: number;

  constructor(
    readonly specs: readonly ColumnSpec[],
    readonly maxRows: number,
  ) {
    if (!Number.isInteger(maxRows) || maxRows < 1)
      throw new RangeError(`flushRows must be a positive integer, got ${maxRows}`);
    this.capacity = Math.min(maxRows, 4096);
    this.cols = specs.map((s) => allocate(s, this.capacity));
  }

  /** Index of a new row (grows the columns when needed). The caller flushes when `full`. */
  next(): number {
    if (this.length === this.capacity) this.grow();
    return this.length++;
  }

  /** True when the buffer holds `maxRows` rows and must be flushed before the next row. */
  get full(): boolean {
    return this.length >= this.maxRows;
  }

  private grow(): void {
    const cap = Math.min(this.maxRows, this.capacity * 2);
    if (cap <= this.capacity) throw new Error('TableBuffer is full: flush before pushing more rows');
    this.cols = this.cols.map((old, i) => {
      const col = allocate(this.specs[i]!, cap);
      if (Array.isArray(col)) for (let r = 0; r < this.length; r++) col[r] = (old as (string | null)[])[r]!;
      else col.set(old as never);
      return col;
    });
    this.capacity = cap;
  }

  /**
   * Hands over the buffered rows' columns (the caller owns them now) and starts empty ones of the
   * same capacity: a table that filled its buffer once will fill it again.
   */
  take(): { cols: Column[]; length: number } {
    const out = { cols: this.cols as Column[], length: this.length };
    this.cols = this.specs.map((s) => allocate(s, this.capacity));
    this.length = 0;
    return out;
  }
}

/** DuckDB types of a staging table's columns, in spec order. */
export function stageTypes(specs: readonly ColumnSpec[]): DuckDBType[] {
  return specs.map(stageType);
}

/**
 * Appends `length` rows of columns (as `TableBuffer` holds them) to `appender` as 2,048-row data
 * chunks built in `chunk` (of the specs' stage types), then flushes the appender.
 */
export function appendColumns(
  appender: DuckDBAppender,
  chunk: DuckDBDataChunk,
  specs: readonly ColumnSpec[],
  cols: readonly Column[],
  length: number,
): void {
  const raw = chunk.chunk;
  for (let off = 0; off < length; off += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, length - off);
    bindings.data_chunk_reset(raw);
    for (let c = 0; c < specs.length; c++) {
      const vec = bindings.data_chunk_get_vector(raw, c);
      fillVector(vec, specs[c]!, cols[c]!, off, n);
    }
    bindings.data_chunk_set_size(raw, n);
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
}

function fillVector(vec: bindings.Vector, spec: ColumnSpec, col: Column, off: number, n: number): void {
  let nulls = 0;
  if (spec.kind === 'i64') {
    const src = col as Float64Array;
    for (let i = 0; i < n; i++) {
      const x = src[off + i]!;
      if (Number.isNaN(x)) {
        nulls++;
        i64Scratch[2 * i] = 0;
        i64Scratch[2 * i + 1] = 0;
      } else {
        const v = Math.floor(x);
        i64Scratch[2 * i] = (v % 4294967296) | 0;
        i64Scratch[2 * i + 1] = Math.floor(v / 4294967296) | 0;
      }
    }
    bindings.copy_data_to_vector(vec, 0, i64Scratch.buffer, 0, n * 8);
  } else if (Array.isArray(col)) {
    for (let i = 0; i < n; i++) {
      const v = col[off + i];
      if (v == null) nulls++;
      else bindings.vector_assign_string_element(vec, i, v);
    }
  } else {
    const t = col as Int32Array | Float64Array | Uint8Array;
    bindings.copy_data_to_vector(
      vec,
      0,
      t.buffer as ArrayBuffer,
      t.byteOffset + off * t.BYTES_PER_ELEMENT,
      n * t.BYTES_PER_ELEMENT,
    );
    if (spec.nullable) nulls = countNulls(spec, t, off, n);
  }
  if (nulls === 0) return;
  validityScratch.fill(0xffffffff);
  for (let i = 0; i < n; i++) {
    if (isNull(spec, col, off + i)) validityScratch[i >>> 5]! &= ~(1 << (i & 31));
  }
  bindings.vector_ensure_validity_writable(vec);
  bindings.copy_data_to_vector_validity(vec, 0, validityScratch.buffer, 0, Math.ceil(n / 64) * 8);
}

function countNulls(
  spec: ColumnSpec,
  col: Int32Array | Float64Array | Uint8Array,
  off: number,
  n: number,
): number {
  let nulls = 0;
  const sentinel = nullSentinel(spec);
  for (let i = off; i < off + n; i++) if (col[i] === sentinel) nulls++;
  return nulls;
}

function isNull(spec: ColumnSpec, col: Column, i: number): boolean {
  const v = col[i]!;
  if (spec.kind === 'raw') return v == null;
  return spec.kind === 'i64' ? Number.isNaN(v) : v === nullSentinel(spec);
}

function nullSentinel(spec: ColumnSpec): number {
  switch (spec.kind) {
    case 'i32':
      return NULL_I32;
    case 'str':
      return -1;
    case 'i64':
      return Number.NaN;
    case 'bool':
      return NULL_BOOL;
    default:
      return NULL_ENUM;
  }
}
