/**
 * The fast core wired exactly as `runner/run-scenario.ts` wires it (same population, world,
 * qualifier, quarantine table, shaper, delivery log, MTA loop on the engine), but with an in-memory
 * sink instead of the DuckDB store: a real run costs 2-3 s of store setup, close and summary on this
 * machine, too much for 1,000 cases. The differential test checks on a few cases that this gives the
 * same tables as the real run (`runPlan`).
 */
import { DeliveryLog } from '../../core/delivery-log/index.ts';
import { computeKpis } from '../../core/delivery-log/kpis.ts';
import { createInMail } from '../../core/inmail/index.ts';
import { Mta, type MtaDelivery, type MtaSink } from '../../core/mta/index.ts';
import type { Qualifier } from '../../core/qualification/index.ts';
import { QualificationTable } from '../../core/qualification/qualification-table.ts';
import { QuarantineTable } from '../../core/quarantine/index.ts';
import { createRetryPolicy } from '../../core/retry/index.ts';
import { applyThroughputLevel, createShaper } from '../../core/shaping/index.ts';
import { ADDRESS_STATUS_NAMES, AddressStatus, LOG_STATUS_NAMES } from '../../core/types.ts';
import { RandomStreams, Simulation } from '../../engine/index.ts';
import {
  loadAdaptiveRules,
  loadMxRules,
  loadThroughputLevels,
  loadWarmup,
  retryPolicy,
} from '../../node/index.ts';
import { planPopulation, planProfiles } from '../../runner/plan-world.ts';
import type { RunPlan } from '../../runner/run-plan.ts';
import { createInProcessWorld, populationAddressBook } from '../../simulators/index.ts';
import type { Comparable } from './run-both.ts';

const MAX_EVENTS = 300_000;

/** Runs the plan through the fast core in memory; returns its tables as the store would hold them. */
export async function runCoreInMemory(plan: RunPlan, qualifier: Qualifier): Promise<Comparable> {
  const mode = plan.mode;
  const streams = new RandomStreams(plan.seed);
  // a run of these sizes takes a few thousand events; far more means it makes no progress (issue #19
  // defect 1: a retry rescheduled at the same time forever), so it is stopped and reported
  let events = 0;
  let stuckAt = -1;
  const sim: Simulation = new Simulation({
    initialCapacity: 1 << 10,
    trace: (time) => {
      if (++events === MAX_EVENTS) {
        stuckAt = time;
        sim.stop();
      }
    },
  });
  const population = planPopulation(plan);
  const world = createInProcessWorld({
    population,
    profiles: planProfiles(plan),
    seed: plan.seed,
    clock: sim.clock,
  });
  const quarantine = new QuarantineTable(plan.quarantine, null, 1024, populationAddressBook(population));
  const mxRules = loadMxRules(plan.mta.mxRules === 'default' ? undefined : plan.mta.mxRules);
  const ipAges: Record<string, number> = {};
  for (const ip of plan.mta.localIps) ipAges[ip] = plan.mta.ipAgeDays;
  const attempts: Record<string, unknown>[] = [];
  const history: Record<string, unknown>[] = [];
  const sink: MtaSink = {
    attempt(e) {
      attempts.push({
        t: e.t,
        delivery_id: e.deliveryId,
        recipient_id: e.recipientId,
        attempt: e.attempt,
        domain: e.domain,
        phase: e.phase,
        text: e.text,
        type: e.q?.type ?? null,
        reason: e.q?.reason ?? null,
        outcome: e.outcome,
      });
    },
    inmail() {},
    quarantine(e) {
      history.push({
        t: e.t,
        address: e.address,
        old_status: ADDRESS_STATUS_NAMES[e.oldStatus],
        new_status: ADDRESS_STATUS_NAMES[e.newStatus],
        reason: e.reason,
        cause: e.cause,
      });
    },
    suspension() {},
    throughput() {},
  };
  const shaper = createShaper({
    mode,
    mxRules: applyThroughputLevel(mxRules, plan.mta.throughputLevel, loadThroughputLevels()),
    adaptiveRules:
      mode === 'enhanced' && plan.mta.adaptiveRules !== 'none'
        ? loadAdaptiveRules(plan.mta.adaptiveRules === 'default' ? undefined : plan.mta.adaptiveRules)
        : undefined,
    warmup: mode === 'enhanced' ? loadWarmup() : undefined,
    ipAges,
  });
  const log = new DeliveryLog(mode === 'enhanced' ? 'enhanced' : 'legacy', 1024);
  const initial = {
    quarantine: AddressStatus.Quarantine,
    denylisted: AddressStatus.Denylisted,
    allowlisted: AddressStatus.Allowlisted,
  } as const;
  // the quarantine table before the run, as run-scenario's writeRecipients sets it (its listener is
  // set by the MTA below, so these rows reach the history exactly as in a real run: not at all)
  for (let i = 0; i < population.size; i++) {
    const owner = population.ownerOf(i);
    const address = population.isMissing(i) ? '' : population.canonicalAddress(owner);
    const status = population.initialStatusOf(owner);
    if (address !== '' && owner === i && status !== 'valid')
      quarantine.setInitial(quarantine.idOf(address), initial[status], 0);
  }
  const mta = new Mta({
    scheduler: sim,
    transport: world.transport,
    resolver: world.resolver,
    qualifier,
    quarantine,
    shaper,
    log,
    localIps: plan.mta.localIps,
    random: streams.stream('retry-jitter'),
    sink,
    mailbox: world.mailbox,
    inmail: createInMail({ qualifier }),
    qualificationTable: new QualificationTable(),
    settings: {
      inmailEveryMs: plan.mta.inmailEveryMs,
      cleanup: plan.mta.cleanup,
      cleanupFirstAt: plan.mta.cleanupAtMs,
    },
  });
  for (let i = 0; i < plan.deliveries.length; i++) {
    const d = plan.deliveries[i]!;
    const spec = d.retry ?? plan.mta.retry;
    const policy =
      spec === null
        ? retryPolicy(mode === 'enhanced' ? 'enhanced' : 'legacy')
        : typeof spec === 'string'
          ? retryPolicy(spec)
          : createRetryPolicy(spec, 'custom');
    const n = Math.round(population.size * d.targetShare);
    const delivery: MtaDelivery = {
      id: i + 1,
      name: d.name,
      startAt: d.atMs,
      validityMs: d.validityMs,
      retry: policy,
      from: d.from,
      sizeBytes: d.sizeBytes,
      maxMessages: d.maxMessages,
      targets: function* () {
        for (let r = 0; r < n; r++) {
          const owner = population.ownerOf(r);
          const missing = population.isMissing(r);
          yield {
            recipientId: r,
            address: missing ? '' : population.canonicalAddress(owner),
            addressId: missing ? undefined : owner,
            inControlGroup: population.inControlGroup(owner),
          };
        }
      },
    };
    mta.addDelivery(delivery);
  }
  mta.startJobs(0, plan.horizonMs);
  await sim.runAsyncUntil(plan.horizonMs);
  mta.finish();
  const rows: Record<string, unknown>[] = [];
  for (const r of log.rows()) {
    rows.push({
      delivery_id: r.deliveryId,
      recipient_id: r.recipientId,
      address: mta.messageAddress(r.messageId),
      status: LOG_STATUS_NAMES[r.status],
      excluded: r.excluded,
      type: r.type,
      reason: r.reason,
      text: r.text,
      attempts: r.attempts,
      first_attempt_ms: r.firstAttemptMs,
      last_attempt_ms: r.lastAttemptMs,
      delivered_ms: r.deliveredMs,
    });
  }
  rows.sort(
    (a, b) =>
      (a.delivery_id as number) - (b.delivery_id as number) ||
      (a.recipient_id as number) - (b.recipient_id as number),
  );
  const key = (r: Record<string, unknown>) => [
    r.t as number,
    r.delivery_id as number,
    r.recipient_id as number,
    r.attempt as number,
  ];
  attempts.sort((a, b) => cmp(key(a), key(b)));
  history.sort((a, b) =>
    cmp(
      [a.t as number, a.address as string, a.old_status as string, a.new_status as string],
      [b.t as number, b.address as string, b.old_status as string, b.new_status as string],
    ),
  );
  // per mode: how many messages show each status, and success for legacy and Enhanced. computeKpis's
  // EFS success is sent / processed, which is not SPEC §8's (a hard bounce leaves EFS success
  // unchanged): the report's figure (summary.kpi) is compared in the real-run test instead.
  const kpi: Record<string, number> = { processed: computeKpis(log).processed };
  for (const m of ['legacy', 'enhanced', 'efs'] as const) {
    const x = computeKpis(log, m);
    if (m !== 'efs') kpi[`${m}.success`] = x.processed === 0 ? 0 : x.sent / x.processed;
    kpi[`${m}.pending`] = x.ready;
    kpi[`${m}.sent`] = x.sent;
    kpi[`${m}.failed`] = x.failed;
    kpi[`${m}.ignored`] = x.ignored;
    kpi[`${m}.takenIntoAccount`] = x.takenIntoAccount;
  }
  return {
    ...(stuckAt >= 0
      ? { stuck: `the core's run did not end: ${MAX_EVENTS} events, the last at t=${stuckAt}` }
      : {}),
    log: rows,
    attempts,
    history,
    kpi,
  };
}

function cmp(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}
