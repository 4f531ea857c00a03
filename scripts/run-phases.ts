/**
 * A run's phases for the benchmarks, under one set of labels: from the runner's `RunResult.timing`
 * (what `mxlab run --timing FILE` writes), or from the `timing: setup N ms, simulation N ms, N events`
 * lines that trees before it (up to fe4c886) print under `MXLAB_TIMING=1`, so that
 * scripts/bench-compare.ts can set this tree beside such a reference.
 */
import type { RunTiming } from '../runner/index.ts';

/** `RunResult.timing` (runner/run-scenario.ts), as far as the benchmarks read it. */
export type RunTimingLike = Omit<RunTiming, 'wallMs'>;

/** Phases by label, in ms: setup, simulation, final tables, store close, summary. */
export type Phases = Record<string, number>;

export function phasesOfTiming(t: RunTimingLike): Phases {
  return {
    setup: t.setupMs,
    simulation: t.simulationMs,
    'final tables': t.finalTablesMs,
    'store close': t.storeCloseMs,
    summary: t.summaryMs,
  };
}

/** The phases and events of an older tree's `timing:` lines (its stderr, or one line at a time). */
export function phasesOfLog(text: string): { phases: Phases; events: number } {
  const phases: Phases = {};
  let events = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('timing:')) continue;
    const e = /, (\d+) events/.exec(line);
    if (e) events = Number(e[1]);
    for (const part of line.slice(7).split(',')) {
      const m = /^\s*([a-z][a-z ]*?)\s+(\d+)\s+ms\s*$/.exec(part);
      if (m) phases[m[1]!] = Number(m[2]);
    }
  }
  return { phases, events };
}
