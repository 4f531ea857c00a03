import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../core/data-file.ts';
import { DAY, HOUR, MINUTE } from '../core/types.ts';
import { defineScenario, isScenario, loadAnyScenario, loadScenarioModule } from './define-scenario.ts';
import { canonicalJson, localIpList, parseScenario, scenarioHash } from './load-scenario.ts';
import type { ScenarioInput } from './schema.ts';

const INPUT: ScenarioInput = {
  name: 'inline-test',
  seed: 3,
  horizon: '3d',
  population: { size: 1000, mix: 'b2b' },
  isps: {
    windows: [
      {
        profile: 'gmail',
        from: 'day1 07:00',
        to: 'day1 08:30',
        reply: '421 4.7.0 try later',
      },
    ],
  },
  deliveries: [{ name: 'weekly', at: 'day1 06:00', every: '1d', count: 3, retry: 'mailgun' }],
};

describe('defineScenario', () => {
  it('validates and resolves like a file', () => {
    const s = defineScenario(INPUT);
    expect(isScenario(s)).toBe(true);
    expect(s.file).toBe('<inline>');
    expect(s.horizon).toBe(3 * DAY);
    expect(s.isps.windows).toEqual([
      expect.objectContaining({
        profile: 'gmail',
        from: 7 * HOUR,
        to: 8 * HOUR + 30 * MINUTE,
        phase: 'rcpt',
      }),
    ]);
    expect(s.deliveries[0]).toMatchObject({ at: 6 * HOUR, every: DAY, count: 3, retry: 'mailgun' });
    expect(s.hash).toBe(scenarioHash(INPUT));
  });

  it('gives the same scenario and hash as the same content in a file', () => {
    const fromText = parseScenario(JSON.stringify(INPUT), '<text>');
    expect({ ...fromText, file: '' }).toEqual({ ...defineScenario(INPUT), file: '' });
  });

  it('names <inline> and the field on bad input', () => {
    const bad = { ...INPUT, deliveries: [{ name: 'x', at: 'day9 00:00' }] };
    expect(() => defineScenario(bad)).toThrow(DataFileError);
    expect(() => defineScenario(bad)).toThrow(/^<inline>: deliveries\[0\]\.at: starts at day9 00:00/);
    expect(() => defineScenario({ ...INPUT, colour: 'red' } as ScenarioInput)).toThrow(
      /^<inline>: colour: unknown field$/,
    );
  });

  it('loads a .ts scenario module (plain input as default export), paths relative to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlab-ts-scenario-'));
    writeFileSync(join(dir, 'mx.yaml'), 'version: 1\nrules: []\n');
    const f = join(dir, 'my-scenario.ts');
    writeFileSync(f, `export default ${JSON.stringify({ ...INPUT, mta: { mxRules: 'mx.yaml' } })};\n`);
    const s = await loadAnyScenario(f, { recipients: 10 });
    expect(s.file).toBe(f);
    expect(s.mta.mxRules).toBe(join(dir, 'mx.yaml'));
    expect(s.population.size).toBe(10);
    const none = join(dir, 'none.ts');
    writeFileSync(none, 'export const x = 1;\n');
    await expect(loadScenarioModule(none)).rejects.toThrow(/none\.ts: no default export/);
  });
});

describe('invariants', () => {
  const json = fc.jsonValue();

  test.prop([json])('the hash does not depend on key order', (v) => {
    const reversed = JSON.parse(canonicalJson(v), (_k, x: unknown) =>
      x && typeof x === 'object' && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x as Record<string, unknown>).reverse())
        : x,
    ) as unknown;
    expect(scenarioHash(reversed)).toBe(scenarioHash(v));
    expect(scenarioHash(v)).toMatch(/^[0-9a-f]{16}$/);
  });

  test.prop([fc.integer({ min: 1, max: 1000 })])('local IP lists are distinct dotted quads', (n) => {
    const ips = localIpList(n);
    expect(ips).toHaveLength(n);
    expect(new Set(ips).size).toBe(n);
    for (const ip of ips) expect(ip).toMatch(/^127\.0\.\d{1,3}\.\d{1,3}$/);
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 1, max: 40 }),
    ],
    { numRuns: 60 },
  )('a delivery time is accepted exactly when it is before the horizon', (day, h, m, horizonDays) => {
    const at = `day${day} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    const ms = (day - 1) * DAY + h * HOUR + m * MINUTE;
    const input: ScenarioInput = { ...INPUT, horizon: `${horizonDays}d`, deliveries: [{ name: 'd', at }] };
    if (ms < horizonDays * DAY) expect(defineScenario(input).deliveries[0]!.at).toBe(ms);
    else expect(() => defineScenario(input)).toThrow(/deliveries\[0\]\.at: starts at/);
  });

  test.prop([fc.integer({ min: 0, max: 10 * DAY }), fc.integer({ min: 1, max: 10 * DAY })], { numRuns: 60 })(
    'a window is accepted exactly when to is after from, both in ms',
    (from, to) => {
      const input: ScenarioInput = {
        ...INPUT,
        isps: { windows: [{ profile: 'gmail', from, to, reply: '421 4.7.0 later' }] },
      };
      if (to > from) expect(defineScenario(input).isps.windows[0]).toMatchObject({ from, to });
      else expect(() => defineScenario(input)).toThrow(/isps\.windows\[0\]\.to: to must be after from/);
    },
  );
});
