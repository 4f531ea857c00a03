/**
 * What one run needs, resolved: every time in ms since the run start, every file an absolute path or
 * 'default'. The scenario loader produces a `Scenario`; `planOf` turns it into this, so the runner
 * depends on one small shape and the file format can grow without touching it.
 */

import type { QuarantineSettings } from '../core/quarantine/index.ts';
import type { RetryPolicySpec } from '../core/retry/index.ts';
import type { ThroughputLevel } from '../core/shaping/index.ts';
import type { QualificationMode } from '../core/types.ts';
import type { ScenarioAction } from '../scenarios/action-schema.ts';
import type { ScenarioRuleSync } from '../scenarios/rule-sync-schema.ts';
import type { ScenarioOverride } from '../scenarios/schema.ts';
import type { IspProfile, PopulationSettingsInput } from '../simulators/index.ts';

/** An operator action of the plan; `stopDelivery` lists the planned sends its name stands for. */
export type PlannedAction =
  | Exclude<ScenarioAction, { kind: 'stopDelivery' }>
  | (Extract<ScenarioAction, { kind: 'stopDelivery' }> & { deliveries: string[] });

export type ProfileWindow = IspProfile['windows'][number] & { profile: string };

/** A per-profile patch, as the scenario declares it: the listed fields replace the profile's own (null: off). */
export type ProfileOverride = ScenarioOverride;

export interface PlannedDelivery {
  name: string;
  atMs: number;
  validityMs: number;
  /** a retry preset name or an inline spec; null: the mode's default */
  retry: string | RetryPolicySpec | null;
  from: string;
  sizeBytes: number;
  maxMessages: number | null;
  targetShare: number;
}

export interface RunPlan {
  name: string;
  /** the scenario file, or '<inline>' */
  file: string;
  hash: string;
  seed: number;
  /** ISO date-time of day1 00:00, when the scenario sets one */
  start: string | null;
  horizonMs: number;
  mode: QualificationMode;
  population: { size: number; mix: string; settings: PopulationSettingsInput };
  isps: {
    profiles: 'all' | string[];
    files: string[];
    windows: ProfileWindow[];
    overrides: ProfileOverride[];
  };
  mta: {
    localIps: string[];
    ipAgeDays: number;
    mxRules: string;
    throughputLevel: ThroughputLevel;
    adaptiveRules: string;
    inmailEveryMs: number;
    cleanup: boolean;
    /** VERP return paths, and the async match's last resort (core/mta/settings.ts) */
    verp: boolean;
    asyncMatchLatest: boolean;
    cleanupAtMs: number;
    retry: string | RetryPolicySpec | null;
    /** enhanced mode: bounce classes through webhooks (default true); false: sync bounces use the inbound rules */
    webhooks?: boolean;
    /** the sender identifier of MX rules with a `senderIds` range (none: such rules never apply) */
    senderId?: number | null;
  };
  rules: { inbound: string; bounceRules: string };
  /** the daily rule refresh from a deliverability instance (none when absent) */
  ruleSync?: ScenarioRuleSync | null;
  quarantine: Partial<QuarantineSettings>;
  /** the qualification table's settings (default occurrence cap 100,000, SPEC §6.1) */
  qualificationTable?: { occurrenceCap: number };
  deliveries: PlannedDelivery[];
  /** operator actions in time order (none when absent) */
  actions?: PlannedAction[];
}

/** Local sending IPs `127.0.1.1`, `127.0.1.2`, … (loopback, so wire mode can bind them). */
export function localIps(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`);
  return out;
}
