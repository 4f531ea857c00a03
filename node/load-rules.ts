/**
 * Loading rule sets from data files on disk (the shipped ones live in core/qualification/rules/). A directory is the ordered union of its `*.yaml`, `*.yml` and
 * `*.json` files sorted by file name (KumoMTA style: `10-...`, `20-...`, `90-...`), so another module
 * can drop its own file in between without touching ours.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataFileError } from '../core/data-file.ts';
import {
  bounceRuleFileSchema,
  inboundRuleFileSchema,
  type RuleSet,
  toRule,
} from '../core/qualification/rule-schema.ts';
import { loadDataFile } from './data-file.ts';

/** Folder of the shipped rule files. */
export const RULES_DIR = fileURLToPath(new URL('../core/qualification/rules/', import.meta.url));
/** Folder of the default inbound email rules. */
export const DEFAULT_RULES_DIR = join(RULES_DIR, 'default');
/** The shipped Momentum bounce-class rules. */
export const MOMENTUM_BOUNCE_RULES_FILE = join(RULES_DIR, 'momentum-bounce-rules.yaml');

const DATA_EXT = /\.(ya?ml|json)$/i;

/** A directory's data files and subdirectories' files, in name order (a folder sorts as its name). */
function dataFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      // statSync follows symbolic links: a linked file or folder counts as what it points to
      if (statSync(path).isDirectory()) return dataFilesIn(path);
      return DATA_EXT.test(name) ? [path] : [];
    });
}

/**
 * The files a path stands for: itself, or a directory's data files sorted by name; a subdirectory
 * (`50-phrases/`, one file per reason) takes its place in that order with its own files sorted.
 */
export function ruleFiles(pathOrDir: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(pathOrDir);
  } catch {
    throw new DataFileError(pathOrDir, 0, 0, '', 'file or directory not found');
  }
  if (!st.isDirectory()) return [pathOrDir];
  const files = dataFilesIn(pathOrDir);
  if (files.length === 0)
    throw new DataFileError(pathOrDir, 0, 0, '', 'no rule files (*.yaml, *.yml, *.json) in directory');
  return files;
}

/**
 * Loads an inbound email rule set (or, with `kind: 'bounceClass'`, Momentum bounce-class rules) from
 * a file or a directory. Throws `DataFileError` naming file, line and `rules[i].field` on bad input.
 */
export function loadRuleSet(pathOrDir: string, kind: 'inbound' | 'bounceClass' = 'inbound'): RuleSet {
  const sources = ruleFiles(pathOrDir);
  const schema = kind === 'inbound' ? inboundRuleFileSchema : bounceRuleFileSchema;
  const rules = sources.flatMap((file) =>
    loadDataFile(file, schema).rules.map((r, i) => toRule(r, `${file}#rules[${i}]`)),
  );
  return { rules, sources };
}

let defaultSet: RuleSet | null = null;
let momentumSet: RuleSet | null = null;

/** The shipped inbound email rules (`rules/default/`), loaded once. */
export function defaultRuleSet(): RuleSet {
  defaultSet ??= loadRuleSet(DEFAULT_RULES_DIR);
  return defaultSet;
}

/** The shipped Momentum bounce-class rules, loaded once. */
export function defaultBounceRuleSet(): RuleSet {
  momentumSet ??= loadRuleSet(MOMENTUM_BOUNCE_RULES_FILE, 'bounceClass');
  return momentumSet;
}
