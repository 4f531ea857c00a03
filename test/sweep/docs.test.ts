/**
 * The sweep manifests in docs/ stay in step with the command: an Indexed Job whose shard flag uses the
 * completion index, a matrix whose shard list matches SHARDS, and grid arguments the parser accepts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseGrid } from '../../sweep/index.ts';

const doc = (f: string) => readFileSync(fileURLToPath(new URL(`../../docs/${f}`, import.meta.url)), 'utf8');
const grids = (cmd: string) => [...cmd.matchAll(/--grid\s+(\S+)/g)].map((m) => m[1]!);

describe('docs manifests', () => {
  it('k8s: an Indexed Job with one shard per completion, then a merge', () => {
    const [job, merge] = parseAllDocuments(doc('k8s-sweep-job.yaml')).map((d) => d.toJS());
    expect(job.spec.completionMode).toBe('Indexed');
    const env = job.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'SHARDS');
    expect(Number(env.value)).toBe(job.spec.completions);
    const cmd: string = job.spec.template.spec.containers[0].args[0];
    expect(cmd).toContain('--shard $JOB_COMPLETION_INDEX/$SHARDS');
    expect(parseGrid(grids(cmd))).toHaveLength(2);
    expect(merge.spec.template.spec.containers[0].args[0]).toMatch(/mxlab\.mjs merge .*--out /);
  });

  it('GitHub Actions: a matrix over every shard, then a merge job', () => {
    const wf = parseYaml(doc('github-actions-sweep.yml'));
    const shards: number[] = wf.jobs.shard.strategy.matrix.shard;
    expect(shards).toEqual(Array.from({ length: wf.env.SHARDS }, (_, i) => i));
    const run: string = wf.jobs.shard.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions, not a template
    expect(run).toContain('--shard ${{ matrix.shard }}/${{ env.SHARDS }}');
    expect(parseGrid(grids(run))).toHaveLength(2);
    expect(wf.jobs.merge.needs).toBe('shard');
  });
});
