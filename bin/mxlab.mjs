#!/usr/bin/env -S node --max-semi-space-size=64
// The `mxlab` command. Runs the TypeScript sources directly through tsx, so `npm ci` is the only setup step.
// The young generation may grow to 64 MB semi-spaces: a run keeps much of what it allocates for a
// while (addresses, queued messages), so with the default each scavenge copies survivors again
// (1M baseline: 11.0 -> 10.4 s, peak RSS 1.2 -> 1.27 GB; scripts/bench-run.ts reads these flags).
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
