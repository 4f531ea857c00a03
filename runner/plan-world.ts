/**
 * The simulated world a plan describes: its ISP profiles (shipped ones, extra files, the scenario's
 * windows and overrides) and its population. One place, so a run, wire mode and `mxlab serve` build
 * the same world from the same plan.
 */
import {
  createPopulation,
  type IspProfile,
  loadDomainMix,
  loadIspProfile,
  loadIspProfiles,
  type Population,
} from '../simulators/index.ts';
import type { RunPlan } from './run-plan.ts';

/**
 * The ISP profiles of a plan as a run uses them: the listed shipped profiles (or all) plus the
 * catch-all, the scenario's own profile files first, its windows appended and its overrides
 * applied.
 */
export function planProfiles(plan: RunPlan): IspProfile[] {
  const shipped = loadIspProfiles();
  let profiles =
    plan.isps.profiles === 'all'
      ? shipped
      : shipped.filter((p) => (plan.isps.profiles as string[]).includes(p.name) || p.catchAll);
  profiles = [...plan.isps.files.map((f) => loadIspProfile(f)), ...profiles];
  return profiles.map((p) => {
    const windows = plan.isps.windows.filter((w) => w.profile === p.name).map(({ profile: _, ...w }) => w);
    const patch = plan.isps.overrides.find((o) => o.profile === p.name);
    const { profile: _p, ...fields } = patch ?? { profile: '' };
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    return { ...p, ...defined, windows: [...p.windows, ...windows] };
  });
}

/** The population of a plan, as a run builds it (same seed, so the same addresses and truths). */
export function planPopulation(plan: RunPlan): Population {
  return createPopulation({
    seed: plan.seed,
    size: plan.population.size,
    mix: loadDomainMix(plan.population.mix),
    settings: plan.population.settings,
  });
}
