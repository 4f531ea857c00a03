/**
 * Rule sync (SPEC §6.1): fetches the inbound email rules from a central "deliverability instance"
 * over HTTP on a schedule, validates them with the rule-file schema and swaps the compiled qualifier
 * in atomically. The refresh replaces the whole rule set, user rules included, as Campaign does;
 * `custom` mode turns the refresh off. A failed refresh (unreachable server, HTTP error, timeout,
 * invalid payload) keeps the rules in force and says why in `status()`. The payload is JSON unless
 * the caller injects another text parser (the runner passes node/data-file.ts's YAML one).
 */
import { z } from 'zod';
import { DataFileError, parseJsonData } from '../data-file.ts';
import type { Clock } from '../ports.ts';
import { inboundRuleFileSchema, type RuleSet, toRule } from '../qualification/rule-schema.ts';
import { DAY, type Millis } from '../types.ts';

/** What the deliverability instance serves: a rule file plus a version label. */
export const syncPayloadSchema = inboundRuleFileSchema.extend({ version: z.string().min(1) });

/** Parses a payload's text and validates it with `schema`; throws `DataFileError` naming `source`. */
export type DataTextParser = <S extends z.ZodType>(text: string, source: string, schema: S) => z.output<S>;

/** `sync`: refresh on schedule; `custom`: never refresh (the user's rules stay). */
export type RuleSyncMode = 'sync' | 'custom';

/** Schedules one call after `ms` milliseconds; returns a cancel function. Injected so tests and virtual time drive it. */
export interface Timer {
  after(ms: Millis, fn: () => void): () => void;
}

/** The wall-clock timer (unref'd so it never keeps a process alive). */
export const realTimer: Timer = {
  after(ms, fn) {
    const h = setTimeout(fn, ms);
    h.unref?.();
    return () => clearTimeout(h);
  },
};

/** Holds the compiled rules the MTA reads; `current` is swapped in one assignment. */
export interface RuleHolder<Q> {
  readonly current: Q;
}

/** What the last refreshes did. */
export interface RuleSyncStatus {
  mode: RuleSyncMode;
  /** clock time of the last successful refresh, or null */
  lastSuccessAt: Millis | null;
  lastAttemptAt: Millis | null;
  /** why the last refresh failed; null after a success */
  lastError: string | null;
  /** version of the rules in force (`initial` until the first success) */
  version: string;
  /** number of rules in force from the last successful refresh, or null */
  ruleCount: number | null;
}

export interface RuleSyncOptions<Q> {
  /** URL of the deliverability instance's rule set (JSON; YAML too with a YAML `parse`) */
  url: string;
  /** reads the fetched text; default: JSON (`parseJsonData`) */
  parse?: DataTextParser;
  mode?: RuleSyncMode;
  /** the compiled rules in force before the first refresh */
  initial: Q;
  /** compiles a fetched rule set (e.g. `rules => createQualifier({ mode, rules })`); may throw on bad rules */
  build: (rules: RuleSet, version: string) => Q;
  clock: Clock;
  /** default: `realTimer` */
  timer?: Timer;
  /** time between refreshes; default one day (SPEC §6.1) */
  intervalMs?: Millis;
  /** time allowed for one fetch; default 30 s */
  timeoutMs?: Millis;
  /** default: the global fetch */
  fetch?: typeof fetch;
  /** version label of `initial`; default `local` */
  initialVersion?: string;
}

export const RULE_SYNC_DEFAULTS = Object.freeze({ intervalMs: DAY, timeoutMs: 30_000 });

/** A rule sync client. */
export interface RuleSync<Q> {
  readonly holder: RuleHolder<Q>;
  status(): RuleSyncStatus;
  /** one refresh now; resolves with the status (never rejects) */
  refresh(): Promise<RuleSyncStatus>;
  /** refresh now and then every `intervalMs` (no-op in custom mode) */
  start(): void;
  stop(): void;
}

/** Creates a rule sync client around the inbound email rules in force. */
export function createRuleSync<Q>(options: RuleSyncOptions<Q>): RuleSync<Q> {
  const parse = options.parse ?? parseJsonData;
  return createSyncClient<RuleSet, Q>({
    ...options,
    decode(text, url) {
      const payload = parse(text, url, syncPayloadSchema);
      const rules: RuleSet = {
        rules: payload.rules.map((r, i) => toRule(r, `${url}#${i}`)),
        sources: [url],
      };
      return { value: rules, version: payload.version, count: rules.rules.length };
    },
  });
}

/**
 * What a sync client needs besides {@link RuleSyncOptions}: how a payload's text becomes the value
 * to build from (throws DataFileError on an invalid payload), and the build itself.
 */
export interface SyncClientOptions<T, Q> extends Omit<RuleSyncOptions<Q>, 'build'> {
  decode: (text: string, url: string) => { value: T; version: string; count: number };
  build: (value: T, version: string) => Q;
}

/**
 * The fetch, validate, build and swap loop shared by the inbound email rules and the MX rules
 * (mx-rule-sync.ts): a failure of any step keeps what is in force and says why in `status()`.
 */
export function createSyncClient<T, Q>(options: SyncClientOptions<T, Q>): RuleSync<Q> {
  const mode = options.mode ?? 'sync';
  const timer = options.timer ?? realTimer;
  const intervalMs = options.intervalMs ?? RULE_SYNC_DEFAULTS.intervalMs;
  const timeoutMs = options.timeoutMs ?? RULE_SYNC_DEFAULTS.timeoutMs;
  const doFetch = options.fetch ?? globalThis.fetch;
  const holder: { current: Q } = { current: options.initial };
  const state: RuleSyncStatus = {
    mode,
    lastSuccessAt: null,
    lastAttemptAt: null,
    lastError: null,
    version: options.initialVersion ?? 'local',
    ruleCount: null,
  };
  let cancel: (() => void) | null = null;
  let running = false;
  let inFlight: Promise<RuleSyncStatus> | null = null;

  async function fetchOnce(): Promise<{ value: T; version: string; count: number }> {
    const controller = new AbortController();
    // the fetch timeout is real time (a network wait), whatever drives the schedule
    const stopTimeout = realTimer.after(timeoutMs, () => controller.abort());
    try {
      let res: Response;
      try {
        res = await doFetch(options.url, {
          signal: controller.signal,
          headers: { accept: 'application/json, application/yaml' },
        });
      } catch (err) {
        if (controller.signal.aborted) throw new Error(`timeout after ${timeoutMs} ms`);
        throw new Error(
          `unreachable: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`,
        );
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        if (controller.signal.aborted) throw new Error(`timeout after ${timeoutMs} ms`);
        throw err;
      }
      return options.decode(text, options.url);
    } finally {
      stopTimeout();
    }
  }

  async function refreshNow(): Promise<RuleSyncStatus> {
    state.lastAttemptAt = options.clock.now();
    if (mode === 'custom') {
      state.lastError = 'custom mode: rule sync is off';
      return { ...state };
    }
    try {
      const { value, version, count } = await fetchOnce();
      const compiled = options.build(value, version); // may throw: then nothing is swapped
      holder.current = compiled;
      state.lastSuccessAt = options.clock.now();
      state.lastError = null;
      state.version = version;
      state.ruleCount = count;
    } catch (err) {
      state.lastError =
        err instanceof DataFileError
          ? `invalid rule set: ${err.message}`
          : err instanceof Error
            ? err.message
            : String(err);
    }
    return { ...state };
  }

  function refresh(): Promise<RuleSyncStatus> {
    if (!inFlight) inFlight = refreshNow().finally(() => (inFlight = null));
    return inFlight;
  }

  function loop(): void {
    if (!running) return;
    void refresh().then(() => {
      if (running) cancel = timer.after(intervalMs, loop);
    });
  }

  return {
    holder,
    status: () => ({ ...state }),
    refresh,
    start() {
      if (running || mode === 'custom') return;
      running = true;
      loop();
    },
    stop() {
      running = false;
      cancel?.();
      cancel = null;
    },
  };
}
