/**
 * Issue #24 item 1: the `actions:` timeline of a scenario, run through the scenario format. An
 * operator suspends gmail.com before the send and stops the delivery while its gmail messages wait:
 * the legacy MTA stops, those messages become "Delivery cancelled" (SPEC §8); a delivery handed to
 * the Enhanced MTA cannot be stopped:
 *   ../shared/seeds/003_f1591a8501b485a3.txt:112 "Une diffusion ne peut pas être arrêtée une fois
 *   qu’elle a été transférée au MTA amélioré, même si elle apparaît avec le statut Arrêté dans Campaign."
 * Each action is a row of the run store's `actions` table and an entry of summary.json.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../core/data-file.ts';
import { defineScenario, parseScenario, planOf } from '../../runner/index.ts';
import type { ScenarioInput } from '../../scenarios/schema.ts';
import { cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

const HOUR = 3_600_000;

function scenario(mode: 'legacy' | 'enhanced', actions: ScenarioInput['actions']) {
  return defineScenario({
    name: 'operator-actions',
    seed: 11,
    horizon: '2d',
    mode,
    population: { size: 400, mix: 'consumer-us' },
    deliveries: [
      { name: 'news', at: 'day1 06:00', validity: '3d' },
      { name: 'later', at: 'day1 20:00', validity: '1d' },
    ],
    actions,
  });
}

const HOLD_AND_STOP: ScenarioInput['actions'] = [
  { at: 'day1 05:00', kind: 'addSuspension', domain: 'gmail.com', duration: '12h' },
  { at: 'day1 08:00', kind: 'stopDelivery', delivery: 'news' },
  { at: 'day1 09:00', kind: 'stopDelivery', delivery: 'later' },
];

const GMAIL = `FROM delivery_log WHERE delivery_id = 1 AND domain = 'gmail.com' AND NOT excluded`;

describe('operator actions in a run', () => {
  it('legacy MTA: a stopped delivery cancels its pending messages; one not started never starts', async () => {
    const r = await run(planOf(scenario('legacy', HOLD_AND_STOP)));
    try {
      const gmail = await count(r.store, `SELECT count(*) AS n ${GMAIL}`);
      expect(gmail).toBeGreaterThan(50);
      // held by the suspension, none of them was tried: every one is cancelled at the stop
      expect(await count(r.store, `SELECT count(*) AS n ${GMAIL} AND status = 'cancelled'`)).toBe(gmail);
      expect(await count(r.store, `SELECT count(*) AS n ${GMAIL} AND attempts > 0`)).toBe(0);
      const cancelled = await count(
        r.store,
        `SELECT count(*) AS n FROM delivery_log WHERE delivery_id = 1 AND status = 'cancelled'`,
      );
      // nothing of the stopped delivery is tried after the stop
      expect(
        await count(r.store, `SELECT count(*) AS n FROM attempts WHERE delivery_id = 1 AND t > ${8 * HOUR}`),
      ).toBe(0);
      // the second delivery was stopped before its start: it never starts, no log row
      expect(await count(r.store, `SELECT count(*) AS n FROM delivery_log WHERE delivery_id = 2`)).toBe(0);
      const actions = await r.store.all<{ kind: string; outcome: string; affected: number }>(
        'SELECT kind, target, outcome, affected FROM actions ORDER BY t',
      );
      expect(actions).toEqual([
        expect.objectContaining({ kind: 'addSuspension', outcome: 'applied', affected: 1 }),
        { kind: 'stopDelivery', target: 'news', outcome: 'stopped', affected: cancelled },
        { kind: 'stopDelivery', target: 'later', outcome: 'notStarted', affected: 0 },
      ]);
      expect(r.summary.actions?.map((a) => [a.text, a.kind, a.outcome])).toEqual([
        ['day1 05:00', 'addSuspension', 'applied'],
        ['day1 08:00', 'stopDelivery', 'stopped'],
        ['day1 09:00', 'stopDelivery', 'notStarted'],
      ]);
      // the operator's suspension is in the suspensions table
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n FROM suspensions WHERE rule = 'operator' AND domain = 'gmail.com'
           AND start_ms = ${5 * HOUR} AND end_ms = ${17 * HOUR}`,
        ),
      ).toBe(1);
    } finally {
      await r.store.close();
    }
  });

  it('Enhanced MTA: a delivery handed over cannot be stopped (seed 003:112); its messages go out after the hold', async () => {
    const r = await run(planOf(scenario('enhanced', HOLD_AND_STOP)));
    try {
      expect(await count(r.store, `SELECT count(*) AS n FROM delivery_log WHERE status = 'cancelled'`)).toBe(
        0,
      );
      const gmail = await count(r.store, `SELECT count(*) AS n ${GMAIL}`);
      expect(
        await count(r.store, `SELECT count(*) AS n ${GMAIL} AND delivered_ms >= ${17 * HOUR}`),
      ).toBeGreaterThan(gmail / 2);
      expect(
        await r.store.all('SELECT kind, target, outcome, affected FROM actions WHERE kind = $1', [
          'stopDelivery',
        ]),
      ).toEqual([
        { kind: 'stopDelivery', target: 'news', outcome: 'handedOver', affected: 0 },
        // not handed over yet: the Enhanced MTA never gets it
        { kind: 'stopDelivery', target: 'later', outcome: 'notStarted', affected: 0 },
      ]);
    } finally {
      await r.store.close();
    }
  });

  it('cancelSuspension lifts the hold: the held domain sends from the cancel on', async () => {
    const r = await run(
      planOf(
        scenario('legacy', [
          { at: 'day1 05:00', kind: 'addSuspension', domain: 'gmail.com', duration: '24h' },
          { at: 'day1 07:00', kind: 'cancelSuspension', domain: 'gmail.com' },
        ]),
      ),
    );
    try {
      const first = await count(r.store, `SELECT min(t) AS n FROM attempts WHERE domain = 'gmail.com'`);
      expect(first).toBeGreaterThanOrEqual(7 * HOUR);
      expect(first).toBeLessThan(8 * HOUR);
      expect(
        await r.store.all(`SELECT outcome, affected FROM actions WHERE kind = 'cancelSuspension'`),
      ).toEqual([{ outcome: 'applied', affected: 1 }]);
      expect(await count(r.store, `SELECT end_ms AS n FROM suspensions WHERE rule = 'operator'`)).toBe(
        7 * HOUR,
      );
    } finally {
      await r.store.close();
    }
  });
});

describe('startWindow / endWindow', () => {
  it('an operator starts a declared ISP window at 05:30 and ends it at 07:00: its reply is given only then', async () => {
    const TEXT = '451 4.7.1 operator test: try again later';
    const r = await run(
      planOf(
        defineScenario({
          name: 'window-actions',
          seed: 3,
          horizon: '1d',
          population: { size: 600, mix: 'consumer-us' },
          isps: {
            windows: [
              // declared inert (late in the run): the actions move it
              {
                profile: 'gmail',
                name: 'ops',
                from: 'day1 23:00',
                to: 'day1 23:30',
                phase: 'rcpt',
                reply: TEXT,
              },
            ],
          },
          deliveries: [{ name: 'news', at: 'day1 06:00', validity: '12h' }],
          actions: [
            { at: 'day1 05:30', kind: 'startWindow', profile: 'gmail', window: 'ops' },
            { at: 'day1 07:00', kind: 'endWindow', profile: 'gmail', window: 'ops' },
          ],
        }),
      ),
    );
    try {
      const deferred = await count(
        r.store,
        `SELECT count(*) AS n FROM attempts WHERE text LIKE '%operator test%'`,
      );
      expect(deferred).toBeGreaterThan(50);
      expect(
        await count(
          r.store,
          `SELECT count(*) AS n FROM attempts WHERE text LIKE '%operator test%' AND (t < ${5.5 * HOUR} OR t >= ${7 * HOUR})`,
        ),
      ).toBe(0);
      expect(await r.store.all(`SELECT kind, target, outcome FROM actions ORDER BY t`)).toEqual([
        { kind: 'startWindow', target: 'gmail/ops', outcome: 'applied' },
        { kind: 'endWindow', target: 'gmail/ops', outcome: 'applied' },
      ]);
    } finally {
      await r.store.close();
    }
  });
});

describe('actions in the scenario file', () => {
  const base = `name: a
seed: 1
horizon: 2d
population: { size: 10 }
deliveries:
  - { name: news, at: day1 06:00 }
actions:
`;
  const error = (yaml: string): string => {
    try {
      parseScenario(base + yaml, 'x.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(DataFileError);
      return (err as Error).message;
    }
    throw new Error('no error');
  };

  it('an unknown delivery, a time past the horizon, an unknown kind or field: one line naming file:line:col and field', () => {
    expect(error('  - { at: day1 08:00, kind: stopDelivery, delivery: newz }\n')).toMatch(
      /^x\.yaml:8:\d+: actions\[0\]\.delivery: unknown delivery "newz" \(known: news\)$/,
    );
    expect(error('  - { at: day3 08:00, kind: runCleanup }\n')).toMatch(
      /^x\.yaml:8:\d+: actions\[0\]\.at: day3 08:00 is not before the horizon \(day3 00:00\)$/,
    );
    expect(error('  - { at: day1 08:00, kind: endWindow, profile: gmail, window: nope }\n')).toMatch(
      /^x\.yaml:8:\d+: actions\[0\]\.window: no window "nope" of profile "gmail" in isps\.windows \(declared: none\)$/,
    );
    expect(error('  - { at: day1 08:00, kind: reboot }\n')).toMatch(/^x\.yaml:8:\d+: actions\[0\]\.kind: /);
    expect(error('  - { at: day1 08:00, kind: runCleanup, when: now }\n')).toMatch(
      /^x\.yaml:8:\d+: actions\[0\]/,
    );
    expect(error('  - { at: day1 08:00, kind: reviewEntry, text: x, status: keep, type: hard }\n')).toMatch(
      /^x\.yaml:8:\d+: actions\[0\]\.reason: type and reason go together/,
    );
  });

  it('a series name stands for every send of it; name#k for one', () => {
    const s = parseScenario(
      `${base.replace('{ name: news, at: day1 06:00 }', '{ name: news, at: day1 06:00, every: 6h, count: 3 }')}  - { at: day1 20:00, kind: stopDelivery, delivery: news }\n  - { at: day1 07:00, kind: stopDelivery, delivery: 'news#2' }\n`,
      'x.yaml',
    );
    const plan = planOf(s);
    expect(plan.actions!.map((a) => (a.kind === 'stopDelivery' ? a.deliveries : []))).toEqual([
      ['news#2'],
      ['news#1', 'news#2', 'news#3'],
    ]);
  });
});
