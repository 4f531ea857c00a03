/**
 * Scenarios written in TypeScript: `defineScenario` validates an object exactly as a YAML file is
 * validated (errors name `<inline>` and the field path), and `loadScenarioModule` / `loadAnyScenario`
 * load a `.ts` file whose default export is a scenario (or its input).
 */
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataFileError, fieldPath } from '../core/data-file.ts';
import {
  applyOverrides,
  loadScenario,
  type ScenarioOverrides,
  scenarioHash,
  scenarioSchema,
} from './load-scenario.ts';
import type { Scenario, ScenarioInput } from './schema.ts';

/** Options of {@link defineScenario}. */
export interface DefineOptions {
  /** directory relative paths are resolved against (default: the current directory) */
  baseDir?: string;
  /** the name errors and `Scenario.file` use (default `<inline>`) */
  file?: string;
}

/**
 * Validates a scenario written in TypeScript and returns the same {@link Scenario} a YAML file gives.
 * Throws `DataFileError` (`<inline>: deliveries[0].at: ...`) on bad input.
 */
export function defineScenario(input: ScenarioInput, options: DefineOptions = {}): Scenario {
  const file = options.file ?? '<inline>';
  const baseDir = options.baseDir ?? process.cwd();
  const result = scenarioSchema({ baseDir, file }).safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    let path = issue.path as PropertyKey[];
    let detail = issue.message;
    if (issue.code === 'unrecognized_keys') {
      path = [...path, issue.keys[0]!];
      detail = 'unknown field';
    }
    throw new DataFileError(file, 0, 0, fieldPath(path), detail);
  }
  return { ...result.data, file, hash: scenarioHash(input) };
}

/** True for a value `defineScenario` (or a loader) already produced. */
export function isScenario(value: unknown): value is Scenario {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<Scenario>;
  return typeof v.hash === 'string' && typeof v.horizon === 'number' && Array.isArray(v.deliveries);
}

/**
 * Loads a TypeScript (or JavaScript) scenario module by dynamic import. Its default export is either
 * a `defineScenario(...)` result or a plain scenario input, validated here with paths relative to the file.
 */
export async function loadScenarioModule(file: string, overrides?: ScenarioOverrides): Promise<Scenario> {
  const abs = resolve(file);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const what =
      e.code === 'ERR_MODULE_NOT_FOUND' ? 'scenario file not found' : `cannot import (${e.message})`;
    throw new DataFileError(abs, 0, 0, '', what);
  }
  const value = mod.default;
  if (value === undefined)
    throw new DataFileError(abs, 0, 0, '', 'no default export (export default defineScenario({...}))');
  const scenario = isScenario(value)
    ? value
    : defineScenario(value as ScenarioInput, { baseDir: dirname(abs), file: abs });
  return applyOverrides(scenario, overrides);
}

/** Loads a scenario of any kind: `.ts`/`.mts`/`.js`/`.mjs` by import, YAML or JSON by {@link loadScenario}. */
export async function loadAnyScenario(file: string, overrides?: ScenarioOverrides): Promise<Scenario> {
  if (/\.(m?ts|m?js)$/i.test(file)) return loadScenarioModule(file, overrides);
  return loadScenario(file, overrides);
}
