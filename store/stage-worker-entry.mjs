// Entry of the run store's worker thread (worker-stage.ts): a worker's own entry cannot be
// TypeScript, so this one registers tsx (as bin/mxlab.mjs does) and loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./stage-worker.ts');
