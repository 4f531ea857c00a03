/**
 * The shipped retry presets (`core/retry/presets.yaml`, SPEC §4) and user policy files on disk, read
 * through node/data-file.ts, so a bad entry names its file, line and field.
 */
import { fileURLToPath } from 'node:url';
import {
  namedRetryPolicy,
  type RetryPolicy,
  type RetryPolicySpec,
  retryPolicyFileSchema,
} from '../core/retry/index.ts';
import { loadDataFile } from './data-file.ts';

/** Path of the shipped presets file. */
export const RETRY_PRESETS_FILE = fileURLToPath(new URL('../core/retry/presets.yaml', import.meta.url));

let presets: Readonly<Record<string, RetryPolicySpec>> | null = null;

/** Loads a file of named policy specs (`policies: { name: spec }`). */
export function loadRetryPolicyFile(file: string): Record<string, RetryPolicySpec> {
  return loadDataFile(file, retryPolicyFileSchema).policies;
}

/** The shipped presets by name: legacy, enhanced, kumomta, momentum, sparkpost, haraka, postal, mailgun, powermta. */
export function retryPresets(): Readonly<Record<string, RetryPolicySpec>> {
  presets ??= Object.freeze(loadRetryPolicyFile(RETRY_PRESETS_FILE));
  return presets;
}

/** A policy from a preset name; an unknown name throws an error listing the known ones. */
export function retryPolicy(name: string): RetryPolicy {
  return namedRetryPolicy(retryPresets(), name);
}
