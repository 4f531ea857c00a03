import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../core/data-file.ts';
import { DAY, HOUR, MINUTE } from '../core/types.ts';
import { loadScenario, parseScenario } from './load-scenario.ts';

const dir = mkdtempSync(join(tmpdir(), 'mxlab-scenario-'));
let n = 0;

/** Writes `text` to a fresh file and returns its path. */
function write(text: string): string {
  const f = join(dir, `s${++n}.yaml`);
  writeFileSync(f, text);
  return f;
}

const BASE = `name: t
seed: 7
horizon: 2d
population:
  size: 100
deliveries:
  - name: d
    at: day1 06:00
`;

/** Loads `text` from a file and returns the DataFileError it must throw. */
function errorOf(text: string): { err: DataFileError; file: string } {
  const file = write(text);
  try {
    loadScenario(file);
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    const e = err as DataFileError;
    expect(e.code).toBe('MXLAB_DATA');
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain('\n');
    return { err: e, file };
  }
  throw new Error('expected a DataFileError');
}

describe('loadScenario: a valid file', () => {
  it('applies defaults and converts times and durations to ms', () => {
    const s = loadScenario(write(BASE));
    expect(s.name).toBe('t');
    expect(s.seed).toBe(7);
    expect(s.horizon).toBe(2 * DAY);
    expect(s.mode).toBe('legacy');
    expect(s.population).toMatchObject({ size: 100, mix: 'consumer-us' });
    expect(s.population.settings.truth.valid).toBe(0.9);
    expect(s.mta).toMatchObject({
      localIps: ['127.0.1.1', '127.0.1.2'],
      ipAgeDays: 365,
      mxRules: 'default',
      throughputLevel: 'normal',
      adaptiveRules: 'default',
      inmailEvery: 15 * MINUTE,
      cleanup: true,
      cleanupAt: 2 * HOUR,
      retry: 'legacy',
    });
    expect(s.rules).toEqual({ inbound: 'default', bounceRules: 'default' });
    expect(s.deliveries).toEqual([
      {
        name: 'd',
        at: 6 * HOUR,
        every: null,
        count: 1,
        validity: 5 * DAY,
        retry: 'legacy',
        from: 'news@sender.example',
        sizeBytes: 20_000,
        maxMessages: null,
        targetShare: 1,
      },
    ]);
    expect(s.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(s.file).toMatch(/s\d+\.yaml$/);
  });

  it('defaults the retry policy to the mode', () => {
    const s = loadScenario(write(BASE.replace('horizon: 2d', 'horizon: 2d\nmode: enhanced')));
    expect(s.mta.retry).toBe('enhanced');
    expect(s.deliveries[0]!.retry).toBe('enhanced');
  });

  it('reads JSON too, with the same hash as the equivalent YAML', () => {
    const yaml = loadScenario(write(BASE));
    const f = join(dir, 'same.json');
    writeFileSync(
      f,
      JSON.stringify({
        deliveries: [{ at: 'day1 06:00', name: 'd' }],
        population: { size: 100 },
        horizon: '2d',
        seed: 7,
        name: 't',
      }),
    );
    const json = loadScenario(f);
    expect(json.hash).toBe(yaml.hash);
    expect({ ...json, file: '' }).toEqual({ ...yaml, file: '' });
  });

  it('accepts ISO date-times when start is set, relative to day1 00:00', () => {
    const s = loadScenario(
      write(
        BASE.replace('seed: 7', "seed: 7\nstart: '2021-04-26T00:00:00-04:00'").replace(
          'at: day1 06:00',
          "at: '2021-04-26T07:30:00-04:00'",
        ),
      ),
    );
    expect(s.deliveries[0]!.at).toBe(7 * HOUR + 30 * MINUTE);
    expect(s.startEpochMs).toBe(Date.parse('2021-04-26T04:00:00Z'));
  });

  it('resolves paths relative to the scenario file', () => {
    const sub = join(dir, 'sub');
    mkdirSync(join(sub, 'rules'), { recursive: true });
    writeFileSync(join(sub, 'rules', 'r.yaml'), 'rules: []\n');
    const f = join(sub, 'x.yaml');
    writeFileSync(f, `${BASE}rules:\n  inbound: rules/r.yaml\n`);
    expect(loadScenario(f).rules.inbound).toBe(join(sub, 'rules', 'r.yaml'));
  });

  it('expands a local IP count and keeps a list', () => {
    const s = loadScenario(write(`${BASE}mta:\n  localIps: [10.0.0.1, 10.0.0.2]\n`));
    expect(s.mta.localIps).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('applies --seed and --recipients overrides without changing the hash', () => {
    const f = write(BASE);
    const s = loadScenario(f, { seed: 99, recipients: 5 });
    expect(s.seed).toBe(99);
    expect(s.population.size).toBe(5);
    expect(s.hash).toBe(loadScenario(f).hash);
    expect(() => loadScenario(f, { recipients: 0 })).toThrow(/population\.size: --recipients/);
  });
});

describe('loadScenario: errors name file, line and field', () => {
  it('wrong type', () => {
    const { err, file } = errorOf(BASE.replace('seed: 7', 'seed: seven'));
    expect(err.line).toBe(2);
    expect(err.field).toBe('seed');
    expect(err.message).toMatch(new RegExp(`^${file}:2:7: seed: .*number`));
  });

  it('unknown field', () => {
    const { err } = errorOf(BASE.replace('  size: 100', '  size: 100\n  colour: red'));
    expect(err.line).toBe(6);
    expect(err.field).toBe('population.colour');
    expect(err.message).toMatch(/:6:3: population\.colour: unknown field \(allowed: size, mix, settings\)/);
  });

  it('unknown field in a delivery', () => {
    const { err } = errorOf(`${BASE}    when: later\n`);
    expect(err.field).toBe('deliveries[0].when');
    expect(err.line).toBe(9);
  });

  it('bad time window: to before from', () => {
    const { err, file } = errorOf(
      `${BASE}isps:\n  windows:\n    - profile: apple-icloud\n      from: day1 07:00\n      to: day1 05:00\n      reply: '550 5.1.1 no'\n`,
    );
    expect(err.field).toBe('isps.windows[0].to');
    expect(err.line).toBe(13);
    expect(err.message).toBe(`${file}:13:11: isps.windows[0].to: to must be after from`);
  });

  it('bad time window: bad notation', () => {
    const { err } = errorOf(
      `${BASE}isps:\n  windows:\n    - profile: apple-icloud\n      from: day0 07:00\n      to: day1 08:00\n      reply: '550 5.1.1 no'\n`,
    );
    expect(err.field).toBe('isps.windows[0].from');
    expect(err.line).toBe(12);
    expect(err.message).toMatch(/day numbers start at 1/);
  });

  it('bad time window: unknown phase', () => {
    const { err } = errorOf(
      `${BASE}isps:\n  windows:\n    - profile: apple-icloud\n      from: day1 07:00\n      to: day1 08:00\n      phase: helo\n      reply: '550 5.1.1 no'\n`,
    );
    expect(err.field).toBe('isps.windows[0].phase');
    expect(err.line).toBe(14);
    expect(err.message).toMatch(/rcpt/);
  });

  it('bad time window: unknown profile', () => {
    const { err } = errorOf(
      `${BASE}isps:\n  windows:\n    - profile: apple\n      from: day1 07:00\n      to: day1 08:00\n      reply: '550 5.1.1 no'\n`,
    );
    expect(err.field).toBe('isps.windows[0].profile');
    expect(err.line).toBe(11);
    expect(err.message).toMatch(/unknown profile "apple" \(known: .*apple-icloud/);
  });

  it('missing rule file', () => {
    const { err } = errorOf(`${BASE}rules:\n  inbound: no/such/rules.yaml\n`);
    expect(err.field).toBe('rules.inbound');
    expect(err.line).toBe(10);
    expect(err.message).toContain(`rules.inbound: file not found: ${join(dir, 'no/such/rules.yaml')}`);
  });

  it('missing profile file and mix file', () => {
    expect(errorOf(`${BASE}isps:\n  files: [gone.yaml]\n`).err.field).toBe('isps.files[0]');
    const { err } = errorOf(BASE.replace('  size: 100', '  size: 100\n  mix: mixes/gone.yaml'));
    expect(err.field).toBe('population.mix');
    expect(err.line).toBe(6);
  });

  it('YAML syntax error', () => {
    const { err, file } = errorOf(BASE.replace('horizon: 2d', 'horizon: [2d'));
    expect(err.line).toBeGreaterThanOrEqual(3);
    expect(err.message).toMatch(new RegExp(`^${file}:\\d+:\\d+: syntax error`));
  });

  it('bad delivery time: at the horizon or later', () => {
    const { err } = errorOf(BASE.replace('at: day1 06:00', 'at: day3 00:00'));
    expect(err.field).toBe('deliveries[0].at');
    expect(err.line).toBe(8);
    expect(err.message).toMatch(
      /deliveries\[0\]\.at: starts at day3 00:00, not before the horizon \(day3 00:00\)/,
    );
  });

  it('bad delivery time: notation', () => {
    const { err } = errorOf(BASE.replace('at: day1 06:00', 'at: tomorrow'));
    expect(err.field).toBe('deliveries[0].at');
    expect(err.message).toMatch(/expected "dayN HH:MM"/);
  });

  it('ISO time without a start date', () => {
    const { err } = errorOf(BASE.replace('at: day1 06:00', "at: '2021-04-26T07:00:00Z'"));
    expect(err.field).toBe('deliveries[0].at');
    expect(err.message).toMatch(/need a start date/);
  });

  it('count > 1 without every, and a series running past the horizon', () => {
    expect(errorOf(`${BASE}    count: 3\n`).err.field).toBe('deliveries[0].every');
    const { err } = errorOf(`${BASE}    count: 3\n    every: 1d\n`);
    expect(err.field).toBe('deliveries[0].count');
    expect(err.message).toMatch(/send 3 would start at day3 06:00/);
  });

  it('bad duration', () => {
    const { err } = errorOf(BASE.replace('horizon: 2d', 'horizon: 2 weeks'));
    expect(err.field).toBe('horizon');
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/expected a duration like "5d"/);
  });

  it('unknown retry preset, mix, throughput level; duplicate delivery names', () => {
    expect(errorOf(`${BASE}    retry: fastest\n`).err.message).toMatch(
      /deliveries\[0\]\.retry: unknown retry policy "fastest" \(presets: legacy, enhanced/,
    );
    expect(errorOf(BASE.replace('  size: 100', '  size: 100\n  mix: martian')).err.field).toBe(
      'population.mix',
    );
    expect(errorOf(`${BASE}mta:\n  throughputLevel: warp\n`).err.field).toBe('mta.throughputLevel');
    expect(errorOf(`${BASE}  - name: d\n    at: day1 07:00\n`).err.field).toBe('deliveries[1].name');
  });

  it('MX-rule sync, sender id and starttls (issue #24): one line naming the field', () => {
    const sync = `${BASE}ruleSync:\n  url: http://d.example/rules.json\n  mxUrl: http://d.example/mx.json\n  instance:\n    rules: default\n`;
    const { err, file } = errorOf(sync);
    expect(err.message).toBe(
      `${file}:13:5: ruleSync.instance: mxRules is required when ruleSync.mxUrl is set (an MX rule file or default)`,
    );
    expect(errorOf(`${sync}    mxRules: gone.yaml\n`).err.field).toBe('ruleSync.instance.mxRules');
    expect(
      errorOf(sync.replace('  mxUrl: http://d.example/mx.json\n', '') + '    mxRules: default\n').err.message,
    ).toMatch(/:13:14: ruleSync\.instance\.mxRules: served at ruleSync\.mxUrl: set mxUrl too$/);
    expect(errorOf(sync.replace('http://d.example/mx.json', 'mx.json')).err.message).toMatch(
      /:11:10: ruleSync\.mxUrl: a URL like http/,
    );
    expect(
      errorOf(
        `${sync.replace('http://d.example/mx.json', 'http://d.example/rules.json')}    mxRules: default\n`,
      ).err.message,
    ).toMatch(/:11:10: ruleSync\.mxUrl: must differ from ruleSync\.url/);
    expect(errorOf(`${BASE}mta:\n  senderId: -1\n`).err.message).toMatch(/:10:13: mta\.senderId: /);
    expect(
      errorOf(`${BASE}isps:\n  overrides:\n    - { profile: apple-icloud, starttls: maybe }\n`).err.field,
    ).toBe('isps.overrides[0].starttls');
  });

  it('a missing scenario file', () => {
    expect(() => loadScenario(join(dir, 'nope.yaml'))).toThrow(/nope\.yaml: scenario file not found/);
  });

  it('parseScenario names the given file', () => {
    expect(() => parseScenario('name: X\n', 'mine.yaml')).toThrow(/^mine\.yaml:1:7: name: a kebab-case name/);
  });
});
