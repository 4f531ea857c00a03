/**
 * Facts about the run from `run_meta` (seed, scenario name and hash, mode, schema version). Key
 * names are looked up leniently (`scenario_name`, `scenario.name`, `scenarioName`, `scenario`).
 */
import { type ReportStore, rows } from '../store-port.ts';

export interface RunFacts {
  seed: string | null;
  scenario: { name: string | null; hash: string | null };
  mode: string | null;
  schemaVersion: string | null;
  /** every key/value, sorted by key */
  all: Record<string, string>;
}

function pick(meta: Record<string, string>, ...keys: string[]): string | null {
  for (const k of keys) if (meta[k] !== undefined) return meta[k]!;
  return null;
}

/** Reads run_meta. */
export async function runFacts(store: ReportStore): Promise<RunFacts> {
  const r = await rows<{ key: string; value: string }>(store, 'SELECT key, value FROM run_meta ORDER BY key');
  const all: Record<string, string> = {};
  for (const x of r) all[x.key] = x.value;
  return {
    seed: pick(all, 'seed'),
    scenario: {
      name: pick(all, 'scenario_name', 'scenario.name', 'scenarioName', 'scenario'),
      hash: pick(all, 'scenario_hash', 'scenario.hash', 'scenarioHash', 'hash'),
    },
    mode: pick(all, 'mode'),
    schemaVersion: pick(all, 'schema_version', 'schemaVersion'),
    all,
  };
}
