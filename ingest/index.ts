/** Production logs into a run store (`mxlab ingest`), and a run's attempts out as Postfix log lines. */
export { type BuildOptions, type BuildResult, buildStore, UNKNOWN_TRUTH } from './build-store.ts';
export { exportPostfixLog, postfixLine, runStartEpoch } from './export-postfix.ts';
export { readStoreLog, type StoreLog } from './from-store.ts';
export { type BadLine, type ReadResult, readFiles } from './read-files.ts';
export { FORMATS, type FormatName, type IngestRecord, type InitialStatus } from './record.ts';
