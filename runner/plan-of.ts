/** `planOf`: a validated scenario → the run plan the runner consumes (series of deliveries expanded). */
import { deliveryNamesOf } from '../scenarios/resolve-actions.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { PlannedAction, RunPlan } from './run-plan.ts';

export function planOf(s: Scenario): RunPlan {
  const deliveries: RunPlan['deliveries'] = [];
  for (const d of s.deliveries) {
    for (let k = 0; k < d.count; k++) {
      deliveries.push({
        name: d.count > 1 ? `${d.name}#${k + 1}` : d.name,
        atMs: d.at + k * (d.every ?? 0),
        validityMs: d.validity,
        retry: d.retry,
        from: d.from,
        sizeBytes: d.sizeBytes,
        maxMessages: d.maxMessages,
        targetShare: d.targetShare,
      });
    }
  }
  deliveries.sort((a, b) => a.atMs - b.atMs);
  return {
    name: s.name,
    file: s.file,
    hash: s.hash,
    seed: s.seed,
    start: s.start,
    horizonMs: s.horizon,
    mode: s.mode,
    population: { size: s.population.size, mix: s.population.mix, settings: s.population.settings },
    isps: {
      profiles: s.isps.profiles,
      files: s.isps.files,
      windows: s.isps.windows,
      overrides: s.isps.overrides,
    },
    mta: {
      localIps: s.mta.localIps,
      ipAgeDays: s.mta.ipAgeDays,
      mxRules: s.mta.mxRules,
      throughputLevel: s.mta.throughputLevel,
      adaptiveRules: s.mta.adaptiveRules,
      inmailEveryMs: s.mta.inmailEvery,
      cleanup: s.mta.cleanup,
      verp: s.mta.verp,
      asyncMatchLatest: s.mta.asyncMatchLatest,
      cleanupAtMs: s.mta.cleanupAt,
      retry: s.mta.retry,
      webhooks: s.mta.webhooks,
      senderId: s.mta.senderId,
    },
    rules: s.rules,
    ruleSync: s.ruleSync,
    quarantine: s.quarantine,
    qualificationTable: s.qualificationTable,
    deliveries,
    actions: (s.actions ?? []).map(
      (a): PlannedAction =>
        a.kind === 'stopDelivery' ? { ...a, deliveries: deliveryNamesOf(a.delivery, s.deliveries) ?? [] } : a,
    ),
  };
}
