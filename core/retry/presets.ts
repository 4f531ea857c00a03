/**
 * Retry policies by name from a table of named specs (the shipped `presets.yaml`, SPEC §4, which
 * node/retry.ts reads, or a user's policy file).
 */
import type { RetryPolicy } from './policy.ts';
import { createRetryPolicy, type RetryPolicySpec } from './spec.ts';

/** A policy from a name in `presets`; an unknown name throws an error listing the known ones. */
export function namedRetryPolicy(
  presets: Readonly<Record<string, RetryPolicySpec>>,
  name: string,
): RetryPolicy {
  const spec = presets[name];
  if (!spec) {
    const err = new Error(`unknown retry policy "${name}" (known: ${Object.keys(presets).join(', ')})`);
    (err as Error & { code: string }).code = 'MXLAB_RETRY_POLICY';
    throw err;
  }
  return createRetryPolicy(spec, name);
}
