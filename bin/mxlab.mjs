#!/usr/bin/env node
// The `mxlab` command. Runs the TypeScript sources directly through tsx, so `npm ci` is the only setup step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
