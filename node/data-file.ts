/**
 * Data files on disk: reads a YAML or JSON file (rule sets, ISP profiles, MX rules, scenarios) and
 * validates it with core/data-file.ts against a zod schema. Every error names the place:
 * `file:line:column: field.path: what was expected`. JSON is parsed by the YAML parser (JSON is a
 * subset of YAML 1.2) so both get line numbers.
 */
import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { DataFileError, describeIssue, fieldPath } from '../core/data-file.ts';

/**
 * Reads and validates a data file from disk. A `FILE.parsed` sidecar (the file's value as JSON, which
 * the package build writes beside each shipped YAML file) is used instead of parsing when it is at
 * least as new as the file and passes the schema: YAML parsing is a third of `mxlab qualify`'s start
 * (decisions.md). Anything else, or any doubt, takes the YAML path with its located errors.
 */
export function loadDataFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  const parsed = parsedSidecar(file, schema);
  if (parsed.ok) return parsed.value;
  return parseDataText(readDataFile(file), file, schema);
}

/** The sidecar a package build writes beside a YAML data file. */
export const PARSED_SIDECAR = '.parsed';

function parsedSidecar<S extends z.ZodType>(
  file: string,
  schema: S,
): { ok: true; value: z.output<S> } | { ok: false } {
  try {
    const side = file + PARSED_SIDECAR;
    if (statSync(side).mtimeMs < statSync(file).mtimeMs) return { ok: false };
    const result = schema.safeParse(JSON.parse(readFileSync(side, 'utf8')));
    return result.success ? { ok: true, value: result.data } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** A data file's text; a missing or unreadable file is a `DataFileError` naming it (`what` not found). */
export function readDataFile(file: string, what = 'file'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DataFileError(
      file,
      0,
      0,
      '',
      e.code === 'ENOENT' ? `${what} not found` : `cannot read (${e.code ?? e.message})`,
    );
  }
}

/** Parses YAML/JSON text and validates it; `file` is only used in error messages. */
export function parseDataText<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    throw new DataFileError(file, pos.line, pos.col, '', `syntax error: ${e.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = describeIssue(schema, result.error);
  let path = issue.path;
  let node = nodeAt(doc.contents as YamlNode | null, path);
  if (issue.unknownKey !== null) {
    const keyNode = keyNodeAt(node, issue.unknownKey);
    if (keyNode) node = keyNode;
    path = [...path, issue.unknownKey];
  }
  const offset = node?.range?.[0];
  const pos = offset === undefined ? { line: 0, col: 0 } : lineCounter.linePos(offset);
  throw new DataFileError(file, pos.line, pos.col, fieldPath(path), issue.detail);
}

function nodeAt(root: YamlNode | null, path: readonly PropertyKey[]): YamlNode | null {
  let node: unknown = root;
  let last: YamlNode | null = root;
  for (const key of path) {
    if (node && typeof node === 'object' && 'get' in node && typeof node.get === 'function') {
      const next = (node as { get(k: unknown, keep: boolean): unknown }).get(key, true);
      if (next === undefined) break;
      node = next;
      if (next && typeof next === 'object' && 'range' in next) last = next as YamlNode;
    } else break;
  }
  return last;
}

function keyNodeAt(node: YamlNode | null, key: string): YamlNode | null {
  if (!node || !isMap(node)) return null;
  for (const pair of node.items) {
    if (isScalar(pair.key) && pair.key.value === key) return pair.key;
  }
  return null;
}
