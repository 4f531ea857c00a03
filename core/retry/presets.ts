/**
 * The shipped retry presets (`presets.yaml`, SPEC §4) and loading user policy files. Both go through
 * core/data-file.ts, so a bad entry names its file, line and field.
 */
import { fileURLToPath } from 'node:url';
import { loadDataFile } from '../data-file.ts';
import type { RetryPolicy } from './policy.ts';
import { createRetryPolicy, type RetryPolicySpec, retryPolicyFileSchema } from './spec.ts';

/** Path of the shipped presets file. */
export const RETRY_PRESETS_FILE = fileURLToPath(new URL('./presets.yaml', import.meta.url));

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
  const spec = retryPresets()[name];
  if (!spec) {
    const err = new Error(
      `unknown retry policy "${name}" (known: ${Object.keys(retryPresets()).join(', ')})`,
    );
    (err as Error & { code: string }).code = 'MXLAB_RETRY_POLICY';
    throw err;
  }
  return createRetryPolicy(spec, name);
}
