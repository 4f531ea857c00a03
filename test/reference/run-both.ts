/**
 * Runs one plan twice: through the fast core (`runPlan`, the real run with its DuckDB store) and
 * through the reference model (`core/reference/`) over its own copy of the simulated world, and reads
 * both results in the same shape for the differential property.
 */
import { createInMail } from '../../core/inmail/index.ts';
import type { Qualifier } from '../../core/qualification/index.ts';
import { REF_MODES } from '../../core/reference/delivery-log.ts';
import type { RefMxRules } from '../../core/reference/mx-rules.ts';
import { REF_QUARANTINE_DEFAULTS, type RefStatus } from '../../core/reference/quarantine.ts';
import {
  type RefDelivery,
  type ReferenceOptions,
  type ReferenceResult,
  type RefTarget,
  runReference,
} from '../../core/reference/run.ts';
import { createQualifier } from '../../node/index.ts';
import { planPopulation, planProfiles } from '../../runner/plan-world.ts';
import type { RunPlan } from '../../runner/run-plan.ts';
import { runPlan } from '../../runner/run-scenario.ts';
import { createInProcessWorld } from '../../simulators/index.ts';

const DAY = 86_400_000;

/** One run's comparable tables. */
export interface Comparable {
  /** set when the run was stopped because it made no progress */
  stuck?: string;
  log: Record<string, unknown>[];
  attempts: Record<string, unknown>[];
  history: Record<string, unknown>[];
  kpi: Record<string, number>;
}

function plain(v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

function rowsOf(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
}

/** The qualifier of a plan's mode and rules (the core's; qualification is tested on its own corpus). */
export function qualifierOf(plan: RunPlan): Qualifier {
  return createQualifier({
    mode: plan.mode,
    rules: plan.rules.inbound === 'default' ? undefined : plan.rules.inbound,
    bounceRules: plan.rules.bounceRules === 'default' ? undefined : plan.rules.bounceRules,
  });
}

/** The fast core: the real run, read back from its store and summary. */
export async function runCore(plan: RunPlan, out: string): Promise<Comparable> {
  const r = await runPlan(plan, { out, storeThreads: 1 });
  const store = r.store!;
  try {
    const log = rowsOf(
      await store.all(
        `SELECT delivery_id, recipient_id, address, status::VARCHAR AS status, excluded, type::VARCHAR AS type, reason,
                text, attempts, first_attempt_ms, last_attempt_ms, delivered_ms
         FROM delivery_log ORDER BY delivery_id, recipient_id`,
      ),
    );
    const attempts = rowsOf(
      await store.all(
        `SELECT t, delivery_id, recipient_id, attempt, domain, phase::VARCHAR AS phase, text,
                type::VARCHAR AS type, reason, outcome::VARCHAR AS outcome
         FROM attempts ORDER BY t, delivery_id, recipient_id, attempt`,
      ),
    );
    const history = rowsOf(
      await store.all(
        `SELECT t, address, old_status::VARCHAR AS old_status, new_status::VARCHAR AS new_status, reason,
                cause::VARCHAR AS cause
         FROM quarantine_history ORDER BY t, address, old_status, new_status`,
      ),
    );
    const k = r.summary.kpi as unknown as {
      processed: number;
      legacy: number;
      enhanced: number;
      efs: number;
    };
    return {
      log,
      attempts,
      history,
      kpi: {
        processed: k.processed,
        'legacy.success': k.legacy,
        'enhanced.success': k.enhanced,
        'efs.success': k.efs,
      },
    };
  } finally {
    await store.close();
  }
}

/** The reference model over its own copy of the plan's world. */
export async function runRef(
  plan: RunPlan,
  mxRules: RefMxRules,
  shared?: Qualifier,
  extra: Partial<ReferenceOptions> = {},
): Promise<ReferenceResult> {
  const population = planPopulation(plan);
  const clock = { t: 0, now: () => clock.t };
  const world = createInProcessWorld({ population, profiles: planProfiles(plan), seed: plan.seed, clock });
  const qualifier = shared ?? qualifierOf(plan);
  const inmail = createInMail({ qualifier });
  const targets: RefTarget[] = [];
  const initial: { address: string; status: RefStatus }[] = [];
  for (let i = 0; i < population.size; i++) {
    const owner = population.ownerOf(i);
    const address = population.addressOf(i);
    targets.push({ recipientId: i, address, controlGroup: population.inControlGroup(owner) });
    const status = population.initialStatusOf(owner);
    if (address !== '' && owner === i && status !== 'valid') initial.push({ address, status });
  }
  const deliveries: RefDelivery[] = plan.deliveries.map((d, i) => ({
    id: i + 1,
    startAt: d.atMs,
    validityMs: d.validityMs,
    from: d.from,
    sizeBytes: d.sizeBytes,
    targets: targets.slice(0, Math.round(population.size * d.targetShare)),
  }));
  return runReference({
    mode: plan.mode,
    localIps: plan.mta.localIps,
    mxRules,
    quarantine: { ...REF_QUARANTINE_DEFAULTS, ...plan.quarantine } as typeof REF_QUARANTINE_DEFAULTS,
    deliveries,
    initial,
    inmailEveryMs: plan.mta.inmailEveryMs,
    cleanup: plan.mta.cleanup,
    cleanupAtMs: plan.mta.cleanupAtMs,
    cleanupEveryMs: DAY,
    horizonMs: plan.horizonMs,
    transport: world.transport,
    resolver: world.resolver,
    mailbox: world.mailbox,
    setNow: (t) => {
      clock.t = t;
    },
    qualify: (reply, domain) => qualifier.qualify(reply, { phase: reply.phase, domain }),
    readMail: (raw) => inmail.process(raw),
    ...extra,
  });
}

/** The reference result in the core's column names. */
export function comparableRef(r: ReferenceResult): Comparable {
  const by = <T>(xs: T[], key: (x: T) => (number | string)[]) =>
    [...xs].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
      return 0;
    });
  return {
    log: by(r.log, (x) => [x.deliveryId, x.recipientId]).map((x) => ({
      delivery_id: x.deliveryId,
      recipient_id: x.recipientId,
      address: x.address,
      status: x.status,
      excluded: x.excluded,
      type: x.type,
      reason: x.reason,
      text: x.text,
      attempts: x.attempts,
      first_attempt_ms: x.firstAttemptMs,
      last_attempt_ms: x.lastAttemptMs,
      delivered_ms: x.deliveredMs,
    })),
    attempts: by(r.attempts, (x) => [x.t, x.deliveryId, x.recipientId, x.attempt]).map((x) => ({
      t: x.t,
      delivery_id: x.deliveryId,
      recipient_id: x.recipientId,
      attempt: x.attempt,
      domain: x.domain,
      phase: x.phase,
      text: x.text,
      type: x.type,
      reason: x.reason,
      outcome: x.outcome,
    })),
    history: by(r.history, (x) => [x.t, x.address, x.oldStatus, x.newStatus]).map((x) => ({
      t: x.t,
      address: x.address,
      old_status: x.oldStatus,
      new_status: x.newStatus,
      reason: x.reason,
      cause: x.cause,
    })),
    kpi: refKpis(r),
  };
}

/** The reference's KPIs: processed, and per mode its success and how many messages show each status. */
function refKpis(r: ReferenceResult): Record<string, number> {
  const out: Record<string, number> = { processed: r.kpis.processed };
  for (const mode of REF_MODES) {
    out[`${mode}.success`] = r.kpis.success[mode];
    for (const status of ['pending', 'sent', 'failed', 'ignored', 'takenIntoAccount'])
      out[`${mode}.${status}`] = r.statuses[mode][status] ?? 0;
  }
  return out;
}
