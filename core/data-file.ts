/**
 * Data files' validation, environment-free: a value already read (parsed JSON, a YAML document's
 * value from node/data-file.ts, an object a caller built) is checked against a zod schema, and a bad
 * one is a `DataFileError` naming the place: `file:line:column: field.path: what was expected`. The
 * line and column come from whoever parsed the text (node/data-file.ts for YAML); JSON text parsed
 * here (`parseJsonData`, rule sync's default) names the field only.
 */
import type { z } from 'zod';
/** A bad data file. `code` is `MXLAB_DATA`; `file`, `line` (1-based, 0 if unknown) and `field` say where. */
export class DataFileError extends Error {
  readonly code = 'MXLAB_DATA';
  readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}${line ? `:${line}:${column}` : ''}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'DataFileError';
  }
}

/** Dotted field path as users write it: `rules[3].pattern`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Where a schema issue points and what it says: the field path and the message users read. */
export interface DataIssue {
  /** the path of the value the issue is about (for an unknown field: the object holding it) */
  path: readonly PropertyKey[];
  /** for an unknown field: its name (the message then names it and the allowed ones) */
  unknownKey: string | null;
  detail: string;
}

/** The first issue of a failed validation, as `DataFileError` words it. */
export function describeIssue(schema: z.ZodType, error: z.ZodError): DataIssue {
  const issue = error.issues[0]!;
  const path = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') {
    return {
      path,
      unknownKey: issue.keys[0]!,
      detail: `unknown field (allowed: ${allowedKeys(schema, path) ?? 'see the schema'})`,
    };
  }
  return { path, unknownKey: null, detail: issue.message };
}

/** Validates a value already read; `file` names the source in errors (no line: the value has none). */
export function validateData<S extends z.ZodType>(value: unknown, file: string, schema: S): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = describeIssue(schema, result.error);
  const path = issue.unknownKey === null ? issue.path : [...issue.path, issue.unknownKey];
  throw new DataFileError(file, 0, 0, fieldPath(path), issue.detail);
}

/** Parses JSON text and validates it; a syntax error is a `DataFileError` naming `file`. */
export function parseJsonData<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DataFileError(file, 0, 0, '', `syntax error: ${(err as Error).message.split('\n')[0]}`);
  }
  return validateData(value, file, schema);
}

/** Best effort: the keys an object schema accepts at `path`, for "unknown field" messages. */
function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[]): string | null {
  let s: unknown = schema;
  for (const key of path) {
    s = unwrap(s);
    const def = (s as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def;
    if (!def) return null;
    if (def.type === 'object' && def.shape && typeof key === 'string') s = def.shape[key];
    else if (def.type === 'array' && typeof key === 'number') s = def.element;
    else return null;
  }
  s = unwrap(s);
  const shape = (s as { def?: { shape?: Record<string, unknown> } }).def?.shape;
  return shape ? Object.keys(shape).join(', ') : null;
}

function unwrap(s: unknown): unknown {
  for (let i = 0; i < 10; i++) {
    const def = (s as { def?: { type?: string; innerType?: unknown; in?: unknown } }).def;
    if (!def) return s;
    if (
      def.type === 'optional' ||
      def.type === 'default' ||
      def.type === 'nullable' ||
      def.type === 'readonly'
    )
      s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else return s;
  }
  return s;
}
