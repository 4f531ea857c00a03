/**
 * The operator actions of a run (`actions:` in the scenario, action-schema.ts): each is an event of
 * the simulation at its time, applied to the MTA, the shaper, the qualifier or the qualification
 * table, and recorded as one row of the run store's `actions` table saying what it did.
 */
import type { Mta } from '../core/mta/index.ts';
import { deliverabilityUpdate } from '../core/qualification/deliverability-update.ts';
import type { SwitchableQualifier } from '../core/qualification/index.ts';
import type { QualificationTable } from '../core/qualification/qualification-table.ts';
import type { RuleSet } from '../core/qualification/rule-schema.ts';
import type { Shaper } from '../core/shaping/index.ts';
import type { Simulation } from '../engine/index.ts';
import type { IspProfile } from '../simulators/index.ts';
import type { ActionRow } from '../store/index.ts';
import type { PlannedAction } from './run-plan.ts';

/** The simulation event kind of an action (the MTA uses 1..7). */
export const ACTION_EVENT_KIND = 100;

/** The rule name a suspension added by an operator carries. */
export const OPERATOR_RULE = 'operator';

/** What an action acts on. */
export interface ActionTargets {
  mta: Mta;
  shaper: Shaper;
  qualifier: SwitchableQualifier;
  table: QualificationTable;
  /** the ISP profiles the world's brains read (their window objects: an action moves from/to) */
  profiles: readonly IspProfile[];
  /** `setMode`: applies the new mode to the deliveries not started yet; returns their names */
  setMode: (mode: 'legacy' | 'enhanced') => string[];
  /** builds a qualifier for `setRules` (the run's mode, bounce rules and uncounted reasons) */
  qualifierFor: (inbound: string | RuleSet) => Parameters<SwitchableQualifier['use']>[0];
}

/** Schedules every action on `sim`; `record` gets one row per action when it has run. */
export function scheduleActions(
  sim: Simulation,
  actions: readonly PlannedAction[],
  targets: ActionTargets,
  record: (row: ActionRow) => void,
): void {
  if (actions.length === 0) return;
  sim.on(ACTION_EVENT_KIND, (i) => record(applyAction(actions[i]!, sim.now, targets)));
  for (let i = 0; i < actions.length; i++) sim.schedule(actions[i]!.at, ACTION_EVENT_KIND, i);
}

/** Applies one action at `t`; returns its row. */
export function applyAction(a: PlannedAction, t: number, x: ActionTargets): ActionRow {
  const row = (target: string | null, outcome: string, affected: number, detail: string): ActionRow => ({
    t,
    kind: a.kind,
    target,
    outcome,
    affected,
    detail,
  });
  switch (a.kind) {
    case 'stopDelivery': {
      const results = new Set<string>();
      let cancelled = 0;
      for (const name of a.deliveries) {
        const o = x.mta.stopDelivery(x.mta.deliveryIndex(name));
        results.add(o.result);
        cancelled += o.cancelled;
      }
      const outcome = [...results].join('+');
      const why: Record<string, string> = {
        stopped: `stopped: ${cancelled} pending messages became Delivery cancelled`,
        handedOver: 'handed over to the Enhanced MTA: it cannot be stopped (seed 003)',
        notStarted: 'not started yet: it will not start',
        alreadyStopped: 'already stopped',
      };
      return row(a.delivery, outcome, cancelled, [...results].map((r) => why[r]).join('; '));
    }
    case 'addSuspension': {
      x.shaper.holdDomain(a.domain, t, t + a.duration, OPERATOR_RULE, a.text ?? 'suspended by an operator');
      return row(a.domain, 'applied', 1, `suspended until ${t + a.duration} ms`);
    }
    case 'cancelSuspension': {
      let n = 0;
      for (const s of x.shaper.suspensions(t))
        if (!s.cancelled && s.endMs > t && (a.domain === undefined || s.domain === a.domain.toLowerCase()))
          if (x.shaper.cancelSuspension(s.id, t)) n++;
      x.mta.resumeDomain(a.domain);
      return row(a.domain ?? null, n > 0 ? 'applied' : 'none', n, `${n} suspensions lifted`);
    }
    case 'setRules': {
      const q = x.qualifierFor(a.inbound);
      x.qualifier.use(q);
      return row(
        a.inbound,
        'applied',
        q.ruleSet.rules.length,
        `${q.ruleSet.rules.length} inbound rules in force`,
      );
    }
    case 'reviewEntry': {
      const found = x.table.review(
        a.text,
        a.status,
        a.type !== undefined && a.reason !== undefined ? { type: a.type, reason: a.reason } : undefined,
        a.occurrences,
      );
      return row(
        a.text,
        found ? 'applied' : 'notFound',
        found ? 1 : 0,
        found ? `entry set to ${a.status}` : 'no entry has this text yet',
      );
    }
    case 'deliverabilityUpdate': {
      const u = deliverabilityUpdate(x.table.list(), x.qualifier);
      if (u.added.length > 0) x.qualifier.use(x.qualifierFor(u.ruleSet));
      return row(
        null,
        u.added.length > 0 ? 'applied' : 'none',
        u.added.length,
        `${u.added.length} Keep entries became rules (${u.ruleSet.rules.length} inbound rules in force)`,
      );
    }
    case 'startWindow':
    case 'endWindow': {
      const w = x.profiles.find((p) => p.name === a.profile)?.windows.find((v) => v.name === a.window);
      const target = `${a.profile}/${a.window}`;
      if (!w) return row(target, 'notFound', 0, 'no such window');
      // the brains read each window's from/to at every reply
      if (a.kind === 'startWindow') {
        w.from = t;
        if (w.to <= t) w.to = Number.MAX_SAFE_INTEGER;
      } else if (w.to > t) w.to = Math.max(t, w.from);
      return row(
        target,
        'applied',
        1,
        `window ${w.from}..${w.to === Number.MAX_SAFE_INTEGER ? 'open' : w.to} ms`,
      );
    }
    case 'setMode': {
      // seed 003: once handed to the Enhanced MTA a delivery stays there
      const moved = x.mta.setHandover(a.mode === 'enhanced');
      const upcoming = x.setMode(a.mode);
      const parts = [`${upcoming.length} deliveries not started yet will start ${a.mode}`];
      if (moved.length > 0) parts.push(`handed over to the Enhanced MTA: ${moved.join(', ')}`);
      return row(a.mode, 'applied', moved.length + upcoming.length, parts.join('; '));
    }
    case 'runCleanup':
      x.mta.runCleanup();
      return row(null, 'applied', 0, 'database cleanup run');
    case 'skipCleanup':
      x.mta.skipCleanup();
      return row(null, 'applied', 0, 'the next scheduled cleanup will not run');
  }
}
