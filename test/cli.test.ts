/**
 * The `mxlab` command as a user runs it: help and version, exit codes, and one clear line naming the
 * place for every kind of malformed scenario (wrong type, unknown field, bad time window, missing rule
 * file, YAML syntax error).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHarness } from './cli-harness.ts';

const { dir, mxlab } = cliHarness('mxlab-cli-');

const GOOD = `name: tiny
seed: 1
horizon: 2d
population:
  size: 50
  mix: consumer-us
deliveries:
  - name: d
    at: day1 06:00
`;

function scenario(name: string, text: string): string {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, text);
  return f;
}

describe('mxlab', () => {
  it('--help lists the subcommands and exits 0', async () => {
    const r = await mxlab('--help');
    expect(r.code).toBe(0);
    for (const c of ['run', 'qualify', 'inmail', 'report', 'compare', 'remediate', 'check'])
      expect(r.stdout).toContain(c);
  });

  it('--version prints the package version', async () => {
    const r = await mxlab('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown subcommand is bad usage: exit 2', async () => {
    expect((await mxlab('frobnicate')).code).toBe(2);
  });

  it('runs a tiny scenario and prints the headline', async () => {
    const r = await mxlab('run', scenario('good', GOOD), '--out', join(dir, 'out'), '--no-progress');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/50 targeted/);
    // its store is consistent, by `mxlab check` as a user would check it
    const c = await mxlab('check', join(dir, 'out'));
    expect(c.stdout).toBe('0 violation(s)\n');
    expect(c.code).toBe(0);
  }, 120_000); // two mxlab processes

  it('run --timing FILE writes the phase profile as JSON, and logs nothing', async () => {
    const file = join(dir, 'timing', 'tiny.json');
    const r = await mxlab(
      'run',
      scenario('timed', GOOD),
      '--out',
      join(dir, 'timed'),
      '--no-progress',
      '--timing',
      file,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
    const phases = ['setupMs', 'simulationMs', 'finalTablesMs', 'storeCloseMs', 'summaryMs'];
    expect(Object.keys(t).sort()).toEqual([...phases, 'events', 'wallMs'].sort());
    for (const v of Object.values(t)) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
    expect(t.events).toBeGreaterThan(50); // 50 recipients: at least a send each
    expect(t.wallMs).toBeGreaterThan(0);
    // the phases are parts of the run (each rounded to a whole ms)
    expect(phases.reduce((n, k) => n + t[k]!, 0)).toBeLessThanOrEqual(t.wallMs + phases.length);
    // a folder is not a file: one line naming the flag, exit 2, before the run
    const bad = await mxlab('run', scenario('timed2', GOOD), '--no-progress', '--timing', dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`mxlab: --timing: ${dir} is a folder; expected a file`);
  });

  it('check names a tampered summary figure and exits 1', async () => {
    await mxlab('run', scenario('good3', GOOD), '--out', join(dir, 'tampered'), '--no-progress');
    const f = join(dir, 'tampered', 'summary.json');
    const summary = JSON.parse(readFileSync(f, 'utf8'));
    summary.messages.delivered += 1;
    writeFileSync(f, JSON.stringify(summary));
    const c = await mxlab('check', join(dir, 'tampered'));
    expect(c.stdout).toMatch(
      /^summary: summary\.json messages\.delivered: says \d+, the tables give \d+\n1 violation\(s\)\n$/,
    );
    expect(c.code).toBe(1);
    expect((await mxlab('check', join(dir, 'no-such-run'))).code).toBe(2);
  }, 180_000); // three mxlab processes

  const bad: [string, string, RegExp][] = [
    [
      'wrong-type',
      GOOD.replace('size: 50', 'size: fifty'),
      /wrong-type\.yaml:5:\d+: population\.size: .*number/,
    ],
    [
      'unknown-field',
      GOOD.replace('seed: 1', 'seed: 1\ncolour: blue'),
      /unknown-field\.yaml:3:\d+: colour: unknown field/,
    ],
    [
      'bad-window',
      `${GOOD}isps:\n  windows:\n    - profile: gmail\n      from: day1 09:00\n      to: day1 07:00\n      reply: '550 5.1.1 no'\n`,
      /bad-window\.yaml:\d+:\d+: isps\.windows\[0\]\.to: /,
    ],
    [
      'missing-rules',
      `${GOOD}rules:\n  inbound: no-such-rules.yaml\n`,
      /missing-rules\.yaml:\d+:\d+: rules\.inbound: .*no-such-rules\.yaml/,
    ],
    ['yaml-syntax', GOOD.replace('horizon: 2d', 'horizon: [2d'), /yaml-syntax\.yaml:\d+:\d+: syntax error/],
  ];
  for (const [name, text, message] of bad) {
    it(`a malformed scenario (${name}) exits 2 with one line naming the place`, async () => {
      const r = await mxlab('run', scenario(name, text), '--out', join(dir, name), '--no-progress');
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^mxlab: /);
      expect(lines[0]).toMatch(message);
    });
  }

  it('a scenario that does not exist, and a bad --recipients, exit 2', async () => {
    expect((await mxlab('run', 'no-such-scenario', '--no-progress')).code).toBe(2);
    const r = await mxlab('run', scenario('good2', GOOD), '--recipients', 'many', '--no-progress');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--recipients/);
  });

  it('compare --rules runs the scenario with both rule sets and gates on the new one', async () => {
    const root = join(import.meta.dirname, '..');
    const fix = join(root, 'scenarios/catalog/rules/apple-outage-fix');
    const defaults = join(root, 'core/qualification/rules/default');
    const out = join(dir, 'rules-compare');
    const r = await mxlab(
      'compare',
      '--rules',
      fix,
      defaults,
      'isp-outage',
      '--recipients',
      '6000',
      '--out',
      out,
      '--fail-on',
      'falseQuarantines>0',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Quarantined in B, not in A: [1-9]/);
    expect((await mxlab('compare', '--rules', fix, defaults)).code).toBe(2);
  });
});
