/**
 * Core's shared vocabulary, its public entry for callers outside core: failure types, reasons and
 * their names, SMTP phases, replies and qualifications, address and log statuses, time units
 * (`types.ts`). Each sub-system has its own public entry beside it: `qualification/index.ts`,
 * `inmail/index.ts`, `reply/index.ts`, `mta/index.ts`, ...
 */
export * from './types.ts';
