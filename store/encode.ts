/**
 * Value encoders shared by the table writers: JS values to the buffer's integer codes, with the
 * NULL sentinels of table-buffer.ts. Misuse (NULL in a NOT NULL column, unknown enum value) throws a
 * StoreError naming `table.column`.
 */
import { StoreError } from './errors.ts';
import type { Interner } from './interner.ts';
import { NULL_ENUM, NULL_I32 } from './table-buffer.ts';
import { ENUMS, type EnumName } from './tables.ts';

const ENUM_CODES = new Map<string, Map<string, number>>(
  Object.entries(ENUMS).map(([name, values]) => [name, new Map(values.map((v, i) => [v, i]))]),
);

/** Code of an enum value; `null`/`undefined` is NULL_ENUM when `nullable`. */
export function enumCode(
  kind: EnumName,
  v: string | null | undefined,
  nullable: boolean,
  where: string,
): number {
  if (v == null) {
    if (nullable) return NULL_ENUM;
    throw new StoreError(`${where}: NULL in a NOT NULL column`);
  }
  const code = ENUM_CODES.get(kind)!.get(v);
  if (code === undefined)
    throw new StoreError(`${where}: unknown value '${v}' (expected ${ENUMS[kind].join(' | ')})`);
  return code;
}

/** Id of a string; `null`/`undefined` is -1 when `nullable`. */
export function strId(
  interner: Interner,
  v: string | null | undefined,
  nullable: boolean,
  where: string,
): number {
  if (v == null) {
    if (nullable) return -1;
    throw new StoreError(`${where}: NULL in a NOT NULL column`);
  }
  if (typeof v !== 'string') throw new StoreError(`${where}: expected a string, got ${typeof v}`);
  return interner.id(v);
}

/** A 32-bit integer or NULL_I32. */
export function i32(v: number | null | undefined, nullable: boolean, where: string): number {
  if (v == null) {
    if (nullable) return NULL_I32;
    throw new StoreError(`${where}: NULL in a NOT NULL column`);
  }
  if (!Number.isInteger(v) || v <= NULL_I32 || v > 2147483647)
    throw new StoreError(`${where}: expected a 32-bit integer, got ${v}`);
  return v;
}

/** Milliseconds (any safe integer) or NaN for NULL. */
export function i64(v: number | null | undefined, nullable: boolean, where: string): number {
  if (v == null) {
    if (nullable) return Number.NaN;
    throw new StoreError(`${where}: NULL in a NOT NULL column`);
  }
  if (!Number.isSafeInteger(v)) throw new StoreError(`${where}: expected an integer number of ms, got ${v}`);
  return v;
}

/** 1 / 0 for a NOT NULL boolean. */
export function bool(v: boolean | null | undefined, where: string): number {
  if (v == null) throw new StoreError(`${where}: NULL in a NOT NULL column`);
  return v ? 1 : 0;
}
