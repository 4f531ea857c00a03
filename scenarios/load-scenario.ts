/**
 * Loading scenario files: structural validation (schema.ts), then resolution: times through the
 * scenario's calendar, paths relative to the scenario file, names checked against the shipped
 * profiles, mixes and retry presets, and the cross-field checks. Every problem is one
 * `DataFileError` line `file:line:col: field.path: what was expected` (code MXLAB_DATA, exit 2).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DataFileError } from '../core/data-file.ts';
import { Calendar } from '../engine/time.ts';
import { parseDataText, readDataFile, retryPresets } from '../node/index.ts';
import { ispProfileSchema } from '../simulators/isp/profile-schema.ts';
import { loadIspProfile, loadIspProfiles } from '../simulators/isp/profiles-load.ts';
import { shippedMixNames } from '../simulators/population/mix-schema.ts';
import { resolveActions } from './resolve-actions.ts';
import {
  MAX_POPULATION,
  type Scenario,
  type ScenarioDelivery,
  type ScenarioParsed,
  type ScenarioRetry,
  type ScenarioWindow,
  scenarioInputSchema,
} from './schema.ts';

/** Command-line overrides: `--seed` and `--recipients`. */
export interface ScenarioOverrides {
  seed?: number;
  recipients?: number;
}

/** Where relative paths start and how the source is named in errors. */
export interface ResolveOptions {
  /** directory relative paths are resolved against */
  baseDir: string;
  /** the file name put in `Scenario.file` */
  file: string;
}

type Path = (string | number)[];
type Body = Omit<Scenario, 'file' | 'hash'>;

const windowSchema = ispProfileSchema.shape.windows.unwrap().element;
let shippedProfiles: string[] | null = null;

/** Names of the shipped ISP profiles (simulators/isp/profiles), loaded once. */
export function shippedProfileNames(): string[] {
  shippedProfiles ??= loadIspProfiles().map((p) => p.name);
  return shippedProfiles;
}

/** Local sending IPs `127.0.1.1`, `127.0.1.2`, … `127.0.1.250`, `127.0.2.1`, … */
export function localIpList(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`);
  return out;
}

/** The scenario schema with resolution against `options` (paths, names, times, cross-field checks). */
export function scenarioSchema(options: ResolveOptions) {
  return scenarioInputSchema.transform((input, ctx): Body => {
    const issue = (path: Path, message: string): void => {
      ctx.addIssue({ code: 'custom', path, message, input: undefined });
    };
    const out = resolveScenario(input, options, issue);
    return out ?? z.NEVER;
  });
}

function resolveScenario(
  input: ScenarioParsed,
  options: ResolveOptions,
  issue: (path: Path, message: string) => void,
): Body | null {
  let failed = false;
  const fail = (path: Path, message: string): void => {
    if (!failed) issue(path, message);
    failed = true;
  };
  const path = (p: Path, value: string, keywords: readonly string[]): string => {
    if (keywords.includes(value)) return value;
    const abs = isAbsolute(value) ? value : resolve(options.baseDir, value);
    if (!existsSync(abs)) fail(p, `file not found: ${abs}`);
    return abs;
  };

  let calendar = new Calendar();
  if (input.start !== undefined) {
    try {
      calendar = new Calendar(input.start);
    } catch (err) {
      fail(['start'], `${why(err)} (expected an ISO 8601 date-time like 2021-04-26T00:00:00-04:00)`);
    }
  }
  const time = (p: Path, v: number | string): number => {
    if (typeof v === 'number') return v;
    try {
      return calendar.parse(v);
    } catch (err) {
      fail(p, why(err));
      return 0;
    }
  };

  // population
  const mixIsPath = /[\\/]|\.(ya?ml|json)$/i.test(input.population.mix);
  const mix = mixIsPath ? path(['population', 'mix'], input.population.mix, []) : input.population.mix;
  if (!mixIsPath && !shippedMixNames().includes(mix))
    fail(['population', 'mix'], `unknown mix "${mix}" (shipped: ${shippedMixNames().join(', ')}; or a path)`);

  // ISPs: known profile names are the selected shipped ones plus those of the extra files
  const shipped = shippedProfileNames();
  const { isps } = input;
  if (isps.profiles !== 'all')
    isps.profiles.forEach((n, i) => {
      if (!shipped.includes(n))
        fail(['isps', 'profiles', i], `unknown profile "${n}" (shipped: ${shipped.join(', ')})`);
    });
  const known = new Set(isps.profiles === 'all' ? shipped : isps.profiles);
  const files = isps.files.map((f, i) => path(['isps', 'files', i], f, []));
  if (!failed) for (const f of files) known.add(loadIspProfile(f).name);
  const knownList = (): string => [...known].join(', ');
  const windows: ScenarioWindow[] = [];
  isps.windows.forEach((w, i) => {
    const at: Path = ['isps', 'windows', i];
    if (!known.has(w.profile))
      fail([...at, 'profile'], `unknown profile "${w.profile}" (known: ${knownList()})`);
    const { profile, ...rest } = w;
    const from = time([...at, 'from'], w.from);
    const to = time([...at, 'to'], w.to);
    const checked = windowSchema.safeParse({ ...rest, from, to });
    if (!checked.success) {
      const first = checked.error.issues[0]!;
      fail([...at, ...(first.path as Path)], first.message);
    } else windows.push({ profile, ...checked.data });
  });
  isps.overrides.forEach((o, i) => {
    if (!known.has(o.profile))
      fail(['isps', 'overrides', i, 'profile'], `unknown profile "${o.profile}" (known: ${knownList()})`);
  });

  // MTA
  const presets = retryPresets();
  const retry = (p: Path, r: ScenarioRetry): ScenarioRetry => {
    if (typeof r === 'string' && !(r in presets))
      fail(p, `unknown retry policy "${r}" (presets: ${Object.keys(presets).join(', ')}; or an inline spec)`);
    return r;
  };
  const { mta } = input;
  const defaultRetry = retry(['mta', 'retry'], mta.retry ?? input.mode);
  let localIps: string[];
  if (typeof mta.localIps === 'number') localIps = localIpList(mta.localIps);
  else {
    localIps = mta.localIps;
    const dup = localIps.findIndex((ip, i) => localIps.indexOf(ip) !== i);
    if (dup >= 0) fail(['mta', 'localIps', dup], `duplicate IP ${localIps[dup]}`);
  }
  const [hh, mm] = mta.cleanupAt.split(':').map(Number) as [number, number];

  // deliveries
  const names = new Set<string>();
  const deliveries: ScenarioDelivery[] = input.deliveries.map((d, i) => {
    const at: Path = ['deliveries', i];
    if (names.has(d.name)) fail([...at, 'name'], `duplicate delivery name "${d.name}"`);
    names.add(d.name);
    const start = time([...at, 'at'], d.at);
    if (!failed && start >= input.horizon)
      fail(
        [...at, 'at'],
        `starts at ${calendar.format(start)}, not before the horizon (${calendar.format(input.horizon)})`,
      );
    if (d.count > 1 && d.every === undefined)
      fail([...at, 'every'], `required when count > 1 (count is ${d.count})`);
    const every = d.every ?? null;
    const last = start + (d.count - 1) * (every ?? 0);
    if (!failed && last >= input.horizon)
      fail(
        [...at, 'count'],
        `send ${d.count} would start at ${calendar.format(last)}, not before the horizon (${calendar.format(input.horizon)})`,
      );
    return {
      name: d.name,
      at: start,
      every,
      count: d.count,
      validity: d.validity,
      retry: d.retry === undefined ? defaultRetry : retry([...at, 'retry'], d.retry),
      from: d.from,
      sizeBytes: d.sizeBytes,
      maxMessages: d.maxMessages,
      targetShare: d.targetShare,
    };
  });

  let ruleSync: Body['ruleSync'] = null;
  if (input.ruleSync) {
    const rs = input.ruleSync;
    const [rh, rm] = rs.refreshAt.split(':').map(Number) as [number, number];
    // an in-process instance serves the MX rules endpoint only with the MX rules to serve
    if (rs.mxUrl && rs.instance && rs.instance.mxRules === undefined)
      fail(
        ['ruleSync', 'instance'],
        'mxRules is required when ruleSync.mxUrl is set (an MX rule file or default)',
      );
    // one instance answers both: the same URL would serve the MX rules to the inbound rules' refresh
    if (rs.mxUrl !== undefined && rs.mxUrl === rs.url)
      fail(['ruleSync', 'mxUrl'], 'must differ from ruleSync.url (the inbound rules endpoint)');
    if (!rs.mxUrl && rs.instance?.mxRules !== undefined)
      fail(['ruleSync', 'instance', 'mxRules'], 'served at ruleSync.mxUrl: set mxUrl too');
    ruleSync = {
      url: rs.url,
      mxUrl: rs.mxUrl ?? null,
      mode: rs.mode,
      refreshAtMs: (rh * 60 + rm) * 60_000,
      timeoutMs: rs.timeout,
      instance: rs.instance
        ? {
            rules: path(['ruleSync', 'instance', 'rules'], rs.instance.rules, ['default']),
            mxRules:
              rs.instance.mxRules === undefined
                ? null
                : path(['ruleSync', 'instance', 'mxRules'], rs.instance.mxRules, ['default']),
            version: rs.instance.version,
            outages: rs.instance.outages.map((o, i) => {
              const at: Path = ['ruleSync', 'instance', 'outages', i];
              const from = time([...at, 'from'], o.from);
              const to = time([...at, 'to'], o.to);
              if (!failed && to <= from)
                fail([...at, 'to'], `${calendar.format(to)} is not after from (${calendar.format(from)})`);
              return { from, to, reply: o.reply };
            }),
          }
        : null,
    };
  }
  const actions = resolveActions(input, deliveries, {
    time,
    path,
    fail,
    format: (ms) => calendar.format(ms),
  });

  const body: Body = {
    name: input.name,
    description: input.description,
    seed: input.seed,
    start: input.start ?? null,
    startEpochMs: calendar.startEpochMs ?? null,
    horizon: input.horizon,
    mode: input.mode,
    population: { size: input.population.size, mix, settings: input.population.settings },
    isps: { profiles: isps.profiles, files, windows, overrides: isps.overrides },
    mta: {
      localIps,
      ipAgeDays: mta.ipAgeDays,
      mxRules: path(['mta', 'mxRules'], mta.mxRules, ['default']),
      throughputLevel: mta.throughputLevel,
      adaptiveRules: path(['mta', 'adaptiveRules'], mta.adaptiveRules, ['default', 'none']),
      inmailEvery: mta.inmailEvery,
      cleanup: mta.cleanup,
      verp: mta.verp,
      asyncMatchLatest: mta.asyncMatchLatest,
      cleanupAt: (hh * 60 + mm) * 60_000,
      retry: defaultRetry,
      webhooks: mta.webhooks,
      senderId: mta.senderId ?? null,
    },
    rules: {
      inbound: path(['rules', 'inbound'], input.rules.inbound, ['default']),
      bounceRules: path(['rules', 'bounceRules'], input.rules.bounceRules, ['default']),
    },
    ruleSync,
    quarantine: input.quarantine,
    qualificationTable: input.qualificationTable,
    deliveries,
    actions,
  };
  return failed ? null : body;
}

function why(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/^MXLAB_\w+:\s*/, '');
}

/** sha256 of the canonical JSON (object keys sorted) of a value, hex, first 16 characters. */
export function scenarioHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, o[k]]),
      );
    }
    return v;
  });
}

/** Applies `--seed` / `--recipients` to a validated scenario (a new object; the input is unchanged). */
export function applyOverrides(s: Scenario, overrides: ScenarioOverrides = {}): Scenario {
  const { seed, recipients } = overrides;
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0))
    throw new DataFileError(s.file, 0, 0, 'seed', `--seed: expected a non-negative integer, got ${seed}`);
  if (
    recipients !== undefined &&
    !(Number.isSafeInteger(recipients) && recipients > 0 && recipients <= MAX_POPULATION)
  )
    throw new DataFileError(
      s.file,
      0,
      0,
      'population.size',
      `--recipients: expected an integer from 1 to ${MAX_POPULATION.toLocaleString('en-US')}, got '${recipients}'`,
    );
  return {
    ...s,
    seed: seed ?? s.seed,
    population: { ...s.population, size: recipients ?? s.population.size },
  };
}

/** Validates scenario text (YAML or JSON); `file` names it in errors and anchors relative paths. */
export function parseScenario(text: string, file: string, overrides?: ScenarioOverrides): Scenario {
  const abs = file.startsWith('<') ? file : resolve(file);
  const baseDir = file.startsWith('<') ? process.cwd() : dirname(abs);
  const body = parseDataText(text, file, scenarioSchema({ baseDir, file: abs }));
  const hash = scenarioHash(parseYaml(text) as unknown);
  return applyOverrides({ ...body, file: abs, hash } as Scenario, overrides);
}

/**
 * Loads a YAML or JSON scenario file: validated, paths absolute, times in ms, with its `hash`.
 * Throws `DataFileError` (code MXLAB_DATA, exitCode 2) whose one-line message names file, line and field.
 * For `.ts` scenarios use `loadScenarioModule` (define-scenario.ts), which is async.
 */
export function loadScenario(file: string, overrides?: ScenarioOverrides): Scenario {
  return parseScenario(readDataFile(file, 'scenario file'), file, overrides);
}
