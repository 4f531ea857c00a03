/**
 * `runScenario`: one run end to end. Builds the simulated world (population with ground truth, ISP
 * brains), the real core (qualifier, inMail, quarantine, shaper, retry policies, delivery log, MTA loop)
 * on the engine's virtual clock, runs the deliveries to the horizon, and writes the run store and
 * `summary.json`. The core only sees the world through its ports; the ground truth goes to the store's
 * `recipients` table for the reports, never to the core.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeliveryLog } from '../core/delivery-log/index.ts';
import { createInMail } from '../core/inmail/index.ts';
import { effectiveValidity, Mta, type MtaDelivery } from '../core/mta/index.ts';
import type { MxResolver, Transport } from '../core/ports.ts';
import type { PreparationTarget } from '../core/preparation/index.ts';
import { SwitchableQualifier } from '../core/qualification/index.ts';
import { entriesFromCsv, QualificationTable } from '../core/qualification/qualification-table.ts';
import type { RuleSet } from '../core/qualification/rule-schema.ts';
import { QuarantineTable, resolveQuarantineSettings } from '../core/quarantine/index.ts';
import { createRetryPolicy, type RetryPolicy, type RetryPolicySpec } from '../core/retry/index.ts';
import { applyThroughputLevel, createShaper } from '../core/shaping/index.ts';
import { AddressStatus, LOG_STATUS_NAMES } from '../core/types.ts';
import { formatDayTime, RandomStreams, Simulation } from '../engine/index.ts';
import {
  createQualifier,
  loadAdaptiveRules,
  loadMxRules,
  loadThroughputLevels,
  loadWarmup,
  retryPolicy,
} from '../node/index.ts';
// the summary module alone: the reports barrel also loads the HTML renderer's echarts (0.85 s per process)
import { buildSummary, type Summary, stringifySummary } from '../reports/summary/summary.ts';
import {
  createInProcessWorld,
  createPopulation,
  type InProcessWorld,
  type IspProfile,
  loadDomainMix,
  type Population,
  populationAddressBook,
} from '../simulators/index.ts';
import {
  type ActionRow,
  createRunSink,
  createRunStore,
  type DeliveryLogRow,
  type DeliveryRow,
  openRunStore,
  type RecipientRow,
  type RunStore,
  type RunStoreWriter,
  TABLES,
  type TableName,
} from '../store/index.ts';
import { planProfiles } from './plan-world.ts';
import { scheduleActions } from './run-actions.ts';
import type { RunPlan } from './run-plan.ts';
import { scheduleRuleSync } from './run-rule-sync.ts';

/** Runs from this many recipients write their store on a worker thread by default. */
export const STORE_WORKER_MIN_RECIPIENTS = 100_000;

export interface RunOptions {
  /** output folder: run.duckdb and summary.json go there */
  out: string;
  /** progress callback (virtual time, messages, events/s), called a few times per second of wall time */
  onProgress?: (p: RunProgress) => void;
  /**
   * Replaces the world's ports (wire mode: SMTP to fake MX servers on 127.0.0.x, DNS over dns2). Called
   * once the in-process world exists (its ISP brains and mailbox are shared); `stop` runs after the run.
   */
  ports?: (world: InProcessWorld, plan: RunPlan) => Promise<WorldPorts>;
  /**
   * DuckDB threads for this run's store (default: as many as cores). A sweep runs one run per core,
   * so it gives each run one thread instead of letting every run's DuckDB compete for all cores.
   */
  storeThreads?: number;
  /**
   * Write the run store through DuckDB on a worker thread, beside the simulation (default: from
   * 100,000 recipients; below, the worker's start costs more than it saves).
   */
  storeWorker?: boolean;
  /**
   * A qualification table CSV (`mxlab run --table FILE`): loaded before the run when it exists, the
   * table saved to it after the run, so the table persists across runs and an operator can review it.
   */
  table?: string;
  /** keep the store open and return a query handle (default true) */
  openStore?: boolean;
  /**
   * Given the run's world and core objects once the simulation starts. A process that runs many
   * runs (a sweep worker) keeps the previous run's until then: V8 drops a class's hidden classes
   * when its last instance dies, and with them every optimized function that relied on them, so
   * each run of a sweep would re-optimize the core in the background (docs/decisions.md).
   */
  retain?: (objects: readonly object[]) => void;
}

/** Ports that replace the in-process ones (wire mode). */
export interface WorldPorts {
  transport?: Transport;
  resolver?: MxResolver;
  /** run sessions as concurrent two-phase engine steps (real I/O) */
  concurrentSessions?: boolean;
  stop(): Promise<void>;
}

export interface RunProgress {
  nowMs: number;
  now: string;
  horizonMs: number;
  events: number;
  eventsPerSecond: number;
  attempts: number;
  delivered: number;
  done: boolean;
}

export interface RunResult {
  summary: Summary;
  summaryJson: string;
  out: string;
  /** query handle on the run store (SQL); close it when done */
  store: RunStore | null;
  wallMs: number;
  /** where the wall time went (`mxlab run --timing FILE` writes it) */
  timing: RunTiming;
}

/** The wall time of each phase of a run, whole ms, and the engine events it processed. */
export interface RunTiming {
  /** from the start to the simulation's: population, world, core, rules, the store opened */
  setupMs: number;
  /** the simulation, to the horizon */
  simulationMs: number;
  /** engine events the simulation processed */
  events: number;
  /** the final tables handed to the store: deliveries, actions, delivery log, quarantine, qualification */
  finalTablesMs: number;
  /** the store's close: DuckDB builds and writes the tables */
  storeCloseMs: number;
  /** the store read back into summary.json */
  summaryMs: number;
  /** the whole run */
  wallMs: number;
}

const msSince = (t: number) => Math.round(performance.now() - t);

/** Runs a planned scenario and writes its run store and summary. */
export async function runPlan(plan: RunPlan, options: RunOptions): Promise<RunResult> {
  const wall0 = performance.now();
  const timing: RunTiming = {
    setupMs: 0,
    simulationMs: 0,
    events: 0,
    finalTablesMs: 0,
    storeCloseMs: 0,
    summaryMs: 0,
    wallMs: 0,
  };
  mkdirSync(options.out, { recursive: true });
  const { store, ports } = await simulatePlan(plan, options, wall0, timing);
  try {
    // the simulation's world, core and per-message arrays are garbage now: hand their memory back
    // before DuckDB builds the final tables, the run's peak (10M baseline: about 1.5 GB of typed arrays)
    collectGarbage();
    return await closeAndSummarize(store, options, wall0, timing);
  } finally {
    await ports?.stop();
  }
}

/**
 * Builds the world and the core, runs the simulation and writes the final tables; returns the store
 * to close and the ports to stop. Everything else it made is unreachable once it returns.
 */
async function simulatePlan(
  plan: RunPlan,
  options: RunOptions,
  wall0: number,
  timing: RunTiming,
): Promise<{ store: RunStoreWriter; ports: WorldPorts | null }> {
  const streams = new RandomStreams(plan.seed);
  let mta: Mta | null = null;
  const sim = new Simulation({
    initialCapacity: 1 << 16,
    progress: options.onProgress
      ? {
          everyWallMs: 250,
          onProgress: (p) =>
            options.onProgress!({
              nowMs: p.now,
              now: formatDayTime(p.now),
              horizonMs: plan.horizonMs,
              events: p.events,
              eventsPerSecond: p.wallMs > 0 ? Math.round((p.events / p.wallMs) * 1000) : 0,
              attempts: mta?.counters.attempts ?? 0,
              delivered: mta?.counters.delivered ?? 0,
              done: p.done,
            }),
        }
      : undefined,
  });

  // the store opens (on its worker thread, for a big run) while the world is built
  const opening = openStore(plan, options);
  opening.catch(() => undefined); // its error is thrown where it is awaited, not reported as unhandled
  // the world
  let population: Population;
  let world: InProcessWorld;
  // kept: the operator actions start and end their windows
  let profiles: IspProfile[];
  try {
    population = createPopulation({
      seed: plan.seed,
      size: plan.population.size,
      mix: loadDomainMix(plan.population.mix),
      settings: plan.population.settings,
    });
    profiles = planProfiles(plan);
    world = createInProcessWorld({
      population,
      profiles,
      seed: plan.seed,
      clock: sim.clock,
    });
  } catch (err) {
    await (await opening.catch(() => null))?.abort();
    throw err;
  }
  let ports: WorldPorts | null = null;
  let store: RunStoreWriter | null = null;
  try {
    ports = options.ports ? await options.ports(world, plan) : null;
    store = await opening;
    await runWorld({
      plan,
      options,
      sim,
      streams,
      population,
      world,
      profiles,
      store,
      ports,
      wall0,
      timing,
      onMta: (m) => {
        mta = m;
      },
    });
    return { store, ports };
  } catch (err) {
    await (store ?? (await opening.catch(() => null)))?.abort();
    await ports?.stop();
    throw err;
  }
}

/** Creates the run's store with the plan's facts in run_meta. */
function openStore(plan: RunPlan, options: RunOptions): Promise<RunStoreWriter> {
  return createRunStore(
    options.out,
    {
      scenario: plan.name,
      scenario_file: plan.file,
      scenario_hash: plan.hash,
      seed: plan.seed,
      mode: plan.mode,
      start: plan.start ?? '',
      horizon_ms: plan.horizonMs,
      recipients: plan.population.size,
    },
    {
      threads: options.storeThreads,
      worker: options.storeWorker ?? plan.population.size >= STORE_WORKER_MIN_RECIPIENTS,
      // recipients come in the setup faster than a DuckDB thread builds them (10M: setup 7 -> 12.5 s
      // in parts); sealed at the end of the setup, they are built beside the simulation instead
      partTables: (Object.keys(TABLES) as TableName[]).filter((t) => t !== 'recipients'),
    },
  );
}

/** What `runWorld` builds the core on and runs: the world, its engine, its store. */
interface WorldRun {
  plan: RunPlan;
  options: RunOptions;
  sim: Simulation;
  streams: RandomStreams;
  population: Population;
  world: InProcessWorld;
  /** the world's ISP profiles (the operator actions start and end their windows) */
  profiles: IspProfile[];
  store: RunStoreWriter;
  /** wire mode's ports, or null for the world's in-process ones */
  ports: WorldPorts | null;
  /** the run's start (performance.now()), for the setup phase */
  wall0: number;
  /** filled: setupMs, simulationMs, events, finalTablesMs */
  timing: RunTiming;
  /** given the core's MTA once it exists (progress reads its counters) */
  onMta: (m: Mta) => void;
}

/** Builds the core on the world, runs the simulation to the horizon and writes the final tables. */
async function runWorld(run: WorldRun): Promise<void> {
  const { plan, options, sim, streams, population, world, profiles, store, ports, timing } = run;
  const transport = ports?.transport ?? world.transport;
  const resolver = ports?.resolver ?? world.resolver;

  // the core
  const mode = plan.mode;
  const qualifierFor = (inbound: string | RuleSet) =>
    createQualifier({
      mode,
      rules: inbound === 'default' ? undefined : inbound,
      bounceRules: plan.rules.bounceRules === 'default' ? undefined : plan.rules.bounceRules,
      // SPEC §5: which Soft errors count is a quarantine setting; the qualifier applies it where a rule is silent
      noImpactReasons: resolveQuarantineSettings(plan.quarantine).uncountedSoftReasons,
      // SPEC §6.2: without webhooks the Enhanced MTA's sync bounces go through the inbound rules
      syncBounceClasses: plan.mta.webhooks ?? true,
    });
  // switchable: an action or a rule refresh may change the rules during the run
  const qualifier = new SwitchableQualifier(qualifierFor(plan.rules.inbound));
  // sized up front: growing by doubling leaves up to half of each per-message array unused and copies it
  const expectedMessages = plan.deliveries.reduce(
    (n, d) => n + Math.round(plan.population.size * d.targetShare),
    0,
  );
  // the population numbers its addresses: the table keeps ids, not 10 million strings
  const quarantine = new QuarantineTable(plan.quarantine, null, 1024, populationAddressBook(population));
  const qualificationTable = new QualificationTable({
    occurrenceCap: plan.qualificationTable?.occurrenceCap,
  });
  // --table FILE: the table of earlier runs, as an operator left it (saved back at the end)
  if (options.table && existsSync(options.table))
    qualificationTable.load(entriesFromCsv(readFileSync(options.table, 'utf8'), options.table));
  const levels = loadThroughputLevels();
  const mxRules = loadMxRules(plan.mta.mxRules === 'default' ? undefined : plan.mta.mxRules);
  const ipAges: Record<string, number> = {};
  for (const ip of plan.mta.localIps) ipAges[ip] = plan.mta.ipAgeDays;

  const sink = createRunSink(store);
  const shaper = createShaper({
    mode,
    mxRules: applyThroughputLevel(mxRules, plan.mta.throughputLevel, levels),
    adaptiveRules:
      mode === 'enhanced' && plan.mta.adaptiveRules !== 'none'
        ? loadAdaptiveRules(plan.mta.adaptiveRules === 'default' ? undefined : plan.mta.adaptiveRules)
        : undefined,
    warmup: mode === 'enhanced' ? loadWarmup() : undefined,
    ipAges,
    // MX rules scoped to a sender-id range apply only to this instance's sender id
    senderId: plan.mta.senderId ?? undefined,
    listener: (s) => sink.suspension(s),
  });
  const log = new DeliveryLog(mode === 'enhanced' ? 'enhanced' : 'legacy', Math.max(1024, expectedMessages));

  writeRecipients(store, population, quarantine);
  // complete: a store on a worker thread builds the recipients table on the other core during the run
  store.seal('recipients');

  const mta = new Mta({
    scheduler: sim,
    transport,
    resolver,
    concurrentSessions: ports?.concurrentSessions ?? false,
    qualifier,
    quarantine,
    shaper,
    log,
    localIps: plan.mta.localIps,
    random: streams.stream('retry-jitter'),
    sink,
    mailbox: world.mailbox,
    inmail: createInMail({ qualifier }),
    qualificationTable,
    expectedMessages,
    settings: {
      inmailEveryMs: plan.mta.inmailEveryMs,
      cleanup: plan.mta.cleanup,
      cleanupFirstAt: plan.mta.cleanupAtMs,
      verp: plan.mta.verp,
      asyncMatchLatest: plan.mta.asyncMatchLatest,
      // SPEC §4, seed 003: a delivery handed to the Enhanced MTA cannot be stopped
      stopAfterHandover: mode !== 'enhanced',
    },
  });
  run.onMta(mta);
  const deliveryRows: DeliveryRow[] = [];
  const mtaDeliveries: MtaDelivery[] = [];
  for (let i = 0; i < plan.deliveries.length; i++) {
    const d = plan.deliveries[i]!;
    const policy = policyOf(d.retry ?? plan.mta.retry, mode);
    const delivery: MtaDelivery = {
      id: i + 1,
      name: d.name,
      startAt: d.atMs,
      validityMs: d.validityMs,
      retry: policy,
      from: d.from,
      sizeBytes: d.sizeBytes,
      maxMessages: d.maxMessages,
      targets: () => targetsOf(population, Math.round(population.size * d.targetShare)),
    };
    mta.addDelivery(delivery);
    mtaDeliveries.push(delivery);
    deliveryRows.push({
      id: delivery.id,
      name: d.name,
      start_ms: d.atMs,
      validity_ms: effectiveValidity(delivery),
      retry_policy: policy.name,
      mode,
    });
  }
  mta.startJobs(0, plan.horizonMs);
  const actionRows: ActionRow[] = [];
  scheduleActions(
    sim,
    plan.actions ?? [],
    {
      mta,
      shaper,
      qualifier,
      table: qualificationTable,
      qualifierFor,
      profiles,
      // setMode: a delivery not started yet whose policy is the mode's preset (the default: the
      // loader names it after the run's mode) takes the new mode's preset (and validity cap); any
      // other policy stays. The qualifier, shaper and delivery log keep the run's mode.
      setMode: (m) => {
        const names: string[] = [];
        plan.deliveries.forEach((d, i) => {
          const spec = d.retry ?? plan.mta.retry;
          const policy = policyOf(spec === null || spec === mode ? m : spec, m);
          if (!mta.setRetry(i, policy)) return;
          const row = deliveryRows[i]!;
          row.mode = m;
          row.retry_policy = policy.name;
          row.validity_ms = effectiveValidity({ ...mtaDeliveries[i]!, retry: policy });
          names.push(d.name);
        });
        return names;
      },
    },
    (r) => actionRows.push(r),
  );
  if (plan.ruleSync)
    scheduleRuleSync(sim, plan.ruleSync, plan.horizonMs, qualifier, qualifierFor, (r) => actionRows.push(r), {
      shaper,
      level: plan.mta.throughputLevel,
      levels,
    });
  options.retain?.([
    sim,
    streams,
    population,
    world,
    qualifier,
    quarantine,
    qualificationTable,
    shaper,
    log,
    sink,
    mta,
  ]);
  const tSim = performance.now();
  timing.setupMs = Math.round(tSim - run.wall0);
  await sim.runAsyncUntil(plan.horizonMs);
  mta.finish();
  sink.writeSuspensions();
  // the simulation's tables are complete: a worker store builds them beside the final tables, with
  // every core (the rest of the run mostly waits for the store: 10M final tables + close 25 -> 16 s)
  store.seal('attempts', 'quarantine_history', 'inmail', 'suspensions', 'throughput');
  store.useAllThreads();
  timing.simulationMs = msSince(tSim);
  timing.events = sim.eventsProcessed;

  // final tables
  const tFinal = performance.now();
  store.insertRows('deliveries', deliveryRows);
  store.insertRows('actions', actionRows);
  writeDeliveryLog(store, log, mta, population);
  store.seal('delivery_log');
  sink.writeQuarantine(quarantine);
  if (options.table) writeFileSync(options.table, qualificationTable.toCsv());
  sink.writeQualification(qualificationTable);
  timing.finalTablesMs = msSince(tFinal);
}

/** Closes the store (final tables built by DuckDB), then reads it back for summary.json. */
async function closeAndSummarize(
  store: RunStoreWriter,
  options: RunOptions,
  wall0: number,
  timing: RunTiming,
): Promise<RunResult> {
  const tClose = performance.now();
  await store.close();
  timing.storeCloseMs = msSince(tClose);
  const tSum = performance.now();

  const reader = await openRunStore(options.out, { readonly: true, threads: options.storeThreads });
  const summary = await buildSummary(reader);
  const summaryJson = stringifySummary(summary);
  writeFileSync(join(options.out, 'summary.json'), summaryJson);
  timing.summaryMs = msSince(tSum);
  const keep = options.openStore ?? true;
  if (!keep) await reader.close();
  const wallMs = performance.now() - wall0;
  timing.wallMs = Math.round(wallMs);
  return { summary, summaryJson, out: options.out, store: keep ? reader : null, wallMs, timing };
}

/**
 * A full garbage collection, so memory the run no longer references is returned before the next
 * phase: V8 collects only when JavaScript allocates, and DuckDB's close allocates outside its heap.
 * Only when node runs with --expose-gc (`mxlab` and the sweep's worker processes do): a library sets
 * no process-wide V8 flag behind its caller's back; without it the run's results are the same.
 */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}

function policyOf(spec: string | RetryPolicySpec | null, mode: 'legacy' | 'enhanced'): RetryPolicy {
  if (spec === null) return retryPolicy(mode === 'enhanced' ? 'enhanced' : 'legacy');
  if (typeof spec === 'string') return retryPolicy(spec);
  return createRetryPolicy(spec, 'custom');
}

function* targetsOf(population: Population, n: number): Generator<PreparationTarget> {
  const target: PreparationTarget = {
    recipientId: 0,
    address: '',
    inControlGroup: false,
    typologyExcluded: null,
    addressId: undefined,
  };
  // what population.recipient(i) gives, without its truth object (only the control-group draw is needed)
  for (let i = 0; i < n; i++) {
    const owner = population.ownerOf(i);
    target.recipientId = i;
    const missing = population.isMissing(i);
    target.address = missing ? '' : population.canonicalAddress(owner);
    // the address book's id of that address (populationAddressBook: the owner's index)
    target.addressId = missing ? undefined : owner;
    target.inControlGroup = population.inControlGroup(owner);
    // a typology rule excludes the recipient (SPEC §3 reasons 11, 12, 14, 15, 16)
    target.typologyExcluded = population.typologyOf(i);
    yield target;
  }
}

/** Recipients with their ground truth (for reports), and the quarantine table as it was before the run. */
function writeRecipients(store: RunStoreWriter, population: Population, quarantine: QuarantineTable): void {
  const initial = {
    valid: AddressStatus.Valid,
    quarantine: AddressStatus.Quarantine,
    denylisted: AddressStatus.Denylisted,
    allowlisted: AddressStatus.Allowlisted,
  } as const;
  // population.recipients() field by field, without a Recipient and truth object per entry
  const w = store.recipients;
  // one row filled again per recipient (push copies it into the column buffers): an object literal
  // per recipient cost +0.3 s of setup CPU at 1M (bench-compare against fe4c886, docs/decisions.md)
  const row: Omit<RecipientRow, 'domain'> = {
    id: 0,
    address: '',
    truth: 'valid',
    complainer: false,
    initial_status: 'valid',
    control_group: false,
  };
  for (let i = 0; i < population.size; i++) {
    const missing = population.isMissing(i);
    const owner = population.ownerOf(i);
    const address = missing ? '' : population.canonicalAddress(owner);
    const status = population.initialStatusOf(owner);
    // domain: address.slice(address.lastIndexOf('@') + 1), '' when missing, computed by the store
    row.id = i;
    row.address = address;
    row.truth = population.kindOf(owner);
    row.complainer = population.isComplainer(owner);
    row.initial_status = status;
    row.control_group = population.inControlGroup(owner);
    w.pushDomainFromAddress(row);
    if (address !== '' && owner === i && status !== 'valid')
      quarantine.setInitial(quarantine.idOf(address), initial[status], 0);
  }
}

function writeDeliveryLog(store: RunStoreWriter, log: DeliveryLog, mta: Mta, population: Population): void {
  // accessors, not log.row(id): one object per message would cost more than the push itself
  const w = store.deliveryLog;
  // one row filled again per message (push copies it into the column buffers)
  const row: DeliveryLogRow = {
    delivery_id: 0,
    recipient_id: 0,
    address: '',
    domain: '',
    status: 'pending',
    type: null,
    reason: null,
    excluded: false,
    text: null,
    attempts: 0,
    first_attempt_ms: null,
    last_attempt_ms: null,
    delivered_ms: null,
  };
  for (let id = 0; id < log.size; id++) {
    const recipientId = log.recipientId(id);
    const addressId = mta.messageAddressId(id);
    // the address book's id is the owner's index (targetsOf): when it is the recipient's, the address
    // is the recipients row's one, filled by the store at close instead of a string rebuilt per row
    const sameAsRecipient =
      recipientId >= 0 &&
      recipientId < population.size &&
      (population.isMissing(recipientId) ? addressId < 0 : addressId === population.ownerOf(recipientId));
    row.delivery_id = log.deliveryId(id);
    row.recipient_id = recipientId;
    row.domain = mta.messageDomain(id);
    row.status = LOG_STATUS_NAMES[log.status(id)];
    row.type = log.type(id);
    row.reason = log.reason(id);
    row.excluded = log.excluded(id);
    row.text = log.text(id);
    row.attempts = log.attempts(id);
    row.first_attempt_ms = log.firstAttemptMs(id);
    row.last_attempt_ms = log.lastAttemptMs(id);
    row.delivered_ms = log.deliveredMs(id);
    if (sameAsRecipient) w.pushFromRecipient(row);
    else {
      row.address = mta.messageAddress(id);
      w.push(row);
    }
  }
}
