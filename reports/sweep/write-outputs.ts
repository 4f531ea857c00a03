/**
 * Writes what a sweep folder shows: `aggregate.json` (deterministic bytes), `aggregate.md`,
 * `aggregate.html` (SVG charts), `summaries.jsonl` (one row per run found) and, with Parquet on,
 * `summaries.parquet`. The outcomes are read from the run folders, never taken from memory.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Aggregate, aggregate, stringifyAggregate } from './aggregate.ts';
import type { RunOutcome, SweepLayout, SweepRun } from './layout.ts';
import { readOutcome } from './outcomes.ts';
import { renderAggregateHtml } from './render-html.ts';
import { renderAggregateMarkdown } from './render-markdown.ts';
import { summariesJsonl, writeSummariesParquet } from './summaries.ts';

/** Aggregate file names. */
export const OUTPUT_FILES = {
  json: 'aggregate.json',
  markdown: 'aggregate.md',
  html: 'aggregate.html',
  jsonl: 'summaries.jsonl',
  parquet: 'summaries.parquet',
} as const;

/** The outcomes of `runs`, each looked up in the first folder of `dirs` that holds it. */
export function collectOutcomes(dirs: readonly string[], runs: readonly SweepRun[]): RunOutcome[] {
  const out: RunOutcome[] = [];
  for (const run of runs)
    for (const dir of dirs) {
      const o = readOutcome(dir, run);
      if (o) {
        out.push(o);
        break;
      }
    }
  return out;
}

/** Collects the outcomes of the layout's runs listed in `runIndexes` from `dirs`, then writes the outputs to `out`. */
export async function collectAndWrite(
  out: string,
  layout: SweepLayout & { shardRuns: readonly number[] },
  dirs: readonly string[],
  parquet: boolean,
): Promise<{ aggregate: Aggregate; outcomes: RunOutcome[]; files: string[] }> {
  const wanted = new Set(layout.shardRuns);
  const outcomes = collectOutcomes(
    dirs,
    layout.runs.filter((r) => wanted.has(r.index)),
  );
  const agg = aggregate(layout, outcomes);
  writeFileSync(join(out, OUTPUT_FILES.json), stringifyAggregate(agg));
  writeFileSync(join(out, OUTPUT_FILES.markdown), renderAggregateMarkdown(agg));
  writeFileSync(join(out, OUTPUT_FILES.html), renderAggregateHtml(agg));
  const jsonl = join(out, OUTPUT_FILES.jsonl);
  writeFileSync(jsonl, summariesJsonl(layout, outcomes));
  const files: string[] = [OUTPUT_FILES.json, OUTPUT_FILES.markdown, OUTPUT_FILES.html, OUTPUT_FILES.jsonl];
  if (parquet && outcomes.length > 0) {
    await writeSummariesParquet(jsonl, join(out, OUTPUT_FILES.parquet));
    files.push(OUTPUT_FILES.parquet);
  }
  return { aggregate: agg, outcomes, files };
}
