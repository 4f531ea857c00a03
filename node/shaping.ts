/**
 * The shaping data files on disk (SPEC §7): MX rules, throughput levels, warm-up curves and adaptive
 * rules, read and validated with node/data-file.ts and resolved by core/shaping. The shipped files
 * stay beside their schemas in core/shaping/data/.
 */
import { fileURLToPath } from 'node:url';
import {
  type AdaptiveRules,
  adaptiveRulesSchema,
  type LevelTable,
  type MxRuleSet,
  mxRuleFileSchema,
  resolveAdaptiveRules,
  resolveMxRules,
  resolveThroughputLevels,
  resolveWarmup,
  throughputLevelsSchema,
  type WarmupCurves,
  warmupSchema,
} from '../core/shaping/index.ts';
import { loadDataFile, parseDataText } from './data-file.ts';

const shipped = (name: string): string =>
  fileURLToPath(new URL(`../core/shaping/data/${name}`, import.meta.url));

/** Path of the MX rule set shipped with mxlab. */
export const DEFAULT_MX_RULES_FILE = shipped('mx-rules.default.yaml');
/** Path of the level presets shipped with mxlab. */
export const DEFAULT_LEVELS_FILE = shipped('throughput-levels.yaml');
/** Path of the warm-up curves shipped with mxlab. */
export const DEFAULT_WARMUP_FILE = shipped('warmup.default.yaml');
/** Path of the adaptive rules shipped with mxlab. */
export const DEFAULT_ADAPTIVE_RULES_FILE = shipped('adaptive-rules.default.yaml');

/** Loads and validates an MX rule file (YAML or JSON). Throws DataFileError naming file:line:col and field. */
export function loadMxRules(file: string = DEFAULT_MX_RULES_FILE): MxRuleSet {
  return resolveMxRules(loadDataFile(file, mxRuleFileSchema));
}

/** Parses MX rules from text; `file` names the source in errors. */
export function parseMxRules(text: string, file = '<mx-rules>'): MxRuleSet {
  return resolveMxRules(parseDataText(text, file, mxRuleFileSchema));
}

/** Loads the level presets (YAML/JSON). */
export function loadThroughputLevels(file: string = DEFAULT_LEVELS_FILE): LevelTable {
  return resolveThroughputLevels(loadDataFile(file, throughputLevelsSchema));
}

/** Parses level presets from text. */
export function parseThroughputLevels(text: string, file = '<throughput-levels>'): LevelTable {
  return resolveThroughputLevels(parseDataText(text, file, throughputLevelsSchema));
}

/** Loads and validates a warm-up file. */
export function loadWarmup(file: string = DEFAULT_WARMUP_FILE): WarmupCurves {
  return resolveWarmup(loadDataFile(file, warmupSchema));
}

/** Parses warm-up curves from text. */
export function parseWarmup(text: string, file = '<warmup>'): WarmupCurves {
  return resolveWarmup(parseDataText(text, file, warmupSchema));
}

/** Loads and validates an adaptive rule file. */
export function loadAdaptiveRules(file: string = DEFAULT_ADAPTIVE_RULES_FILE): AdaptiveRules {
  return resolveAdaptiveRules(loadDataFile(file, adaptiveRulesSchema));
}

/** Parses adaptive rules from text. */
export function parseAdaptiveRules(text: string, file = '<adaptive-rules>'): AdaptiveRules {
  return resolveAdaptiveRules(parseDataText(text, file, adaptiveRulesSchema));
}
