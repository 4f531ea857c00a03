import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSummary } from '../summary/summary.ts';
import { type TestStore, tinyStore } from '../test-helpers/tiny-store.ts';
import { compareRuns, renderCompareJson, renderCompareMarkdown } from './compare.ts';
import { evaluateFailOn, FailOnError, parseFailOn } from './fail-on.ts';
import { type MetricValue, metricMap } from './metric-map.ts';

let a: TestStore;
let b: TestStore;
beforeAll(async () => {
  a = await tinyStore();
  b = await tinyStore();
  // run A's rules did not quarantine the Apple outage address
  await a.run("UPDATE quarantine SET status = 'valid' WHERE address = 'v4@icloud.com'");
  await a.run("DELETE FROM quarantine_history WHERE address = 'v4@icloud.com'");
});
afterAll(() => {
  a.close();
  b.close();
});

describe('compareRuns', () => {
  it('gives metric deltas and the per-address difference with rule, text and truth', async () => {
    const r = await compareRuns(a, b);
    expect(r.comparable).toBe(true);
    const fq = r.metrics.find((m) => m.name === 'falseQuarantines')!;
    expect([fq.a, fq.b, fq.delta, fq.relative]).toEqual([1, 2, 1, 1]);
    const rate = r.metrics.find((m) => m.name === 'quarantine.rate')!;
    expect(rate.delta).toBeCloseTo(1 / 9, 12);
    expect(r.onlyInB.map((x) => [x.address, x.truth, x.rule])).toEqual([
      ['v4@icloud.com', 'valid', 'Momen_Code10_InvalidRecipient'],
    ]);
    expect(r.onlyInA).toEqual([]);
    expect(r.counts).toEqual({ onlyInB: 1, onlyInA: 0, onlyInBValid: 1, onlyInAValid: 0 });
    expect(r.failed).toBe(false);
  });

  it('evaluates --fail-on on B and on deltas', async () => {
    const r = await compareRuns(a, b, {
      failOn:
        'falseQuarantines>0, quarantine.rate>+20pp, timeToDeliver.p90>+10%, missedQuarantines>=1, falseQuarantines>+0',
    });
    expect(r.failOn.map((f) => [f.text, f.mode, f.holds])).toEqual([
      ['falseQuarantines>0', 'absolute', true],
      ['quarantine.rate>+20pp', 'pp', false],
      ['timeToDeliver.p90>+10%', 'relative', false],
      ['missedQuarantines>=1', 'absolute', true],
      ['falseQuarantines>+0', 'delta', true],
    ]);
    expect(r.failOn[1]!.actual).toBeCloseTo(100 / 9, 9);
    expect(r.failed).toBe(true);
    const mdText = renderCompareMarkdown(r);
    expect(mdText).toContain('**FAIL**');
    expect(mdText).toContain('| falseQuarantines | 1 | 2 | +1 (+100.0 %) |');
    expect(mdText).toContain('v4@icloud.com');
    const json = JSON.parse(renderCompareJson(r));
    expect(json.counts.onlyInB).toBe(1);
    expect(renderCompareJson(r)).toBe(
      renderCompareJson(await compareRuns(a, b, { failOn: r.failOn.map((f) => f.text).join(',') })),
    );
  });

  it('rejects a bad expression naming it, before comparing', async () => {
    await expect(compareRuns(a, b, { failOn: 'falseQuarantines>0,bogus>1' })).rejects.toThrow(
      /'bogus>1'.*unknown metric/,
    );
  });
});

describe('parseFailOn', () => {
  const metrics = new Map<string, MetricValue>([
    ['falseQuarantines', { value: 3, ratio: false }],
    ['quarantine.rate', { value: 0.1, ratio: true }],
  ]);
  it('names the bad condition', () => {
    expect(() => parseFailOn('falseQuarantines>>1', metrics)).toThrow("'falseQuarantines>>1'");
    expect(() => parseFailOn('falseQuarantines>+1pp', metrics)).toThrow(/ratio metrics only/);
    expect(() => parseFailOn('', metrics)).toThrow(FailOnError);
    expect(() => parseFailOn('falseQuarantines>1,', metrics)).toThrow(/empty condition/);
    expect(() => evaluateFailOn(parseFailOn('falseQuarantines>+1', metrics), null, metrics)).toThrow(
      /two runs/,
    );
  });
  it('accepts aliases and spaces', () => {
    const [c] = parseFailOn(' quarantine.falseQuarantines >= 2 ', metrics);
    expect(c).toMatchObject({ metric: 'falseQuarantines', op: '>=', mode: 'absolute', threshold: 2 });
  });
  test.prop([
    fc.integer({ min: 0, max: 1000 }),
    fc.integer({ min: 0, max: 1000 }),
    fc.constantFrom('>', '>=', '<', '<=', '==', '!='),
  ])('absolute conditions agree with plain comparison', (value, threshold, op) => {
    const m = new Map<string, MetricValue>([['falseQuarantines', { value, ratio: false }]]);
    const [r] = evaluateFailOn(parseFailOn(`falseQuarantines${op}${threshold}`, m), null, m);
    const expected = {
      '>': value > threshold,
      '>=': value >= threshold,
      '<': value < threshold,
      '<=': value <= threshold,
      '==': value === threshold,
      '!=': value !== threshold,
    }[op];
    expect(r!.holds).toBe(expected);
  });
  test.prop([fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })])(
    'pp deltas are 100 x (B - A)',
    (va, vb) => {
      const ma = new Map<string, MetricValue>([['quarantine.rate', { value: va, ratio: true }]]);
      const mb = new Map<string, MetricValue>([['quarantine.rate', { value: vb, ratio: true }]]);
      const [r] = evaluateFailOn(parseFailOn('quarantine.rate>+0pp', mb), ma, mb);
      expect(r!.actual).toBeCloseTo((vb - va) * 100, 9);
    },
  );
});

describe('metricMap', () => {
  it('flattens the summary', async () => {
    const m = metricMap(await buildSummary(b));
    expect(m.get('falseQuarantines')).toEqual({ value: 2, ratio: false });
    expect(m.get('kpi.legacy')).toEqual({ value: 0.375, ratio: true });
  });
});

describe('renderCompareMarkdown', () => {
  it('writes durations as durations and, in text style, texts unescaped', async () => {
    const r = await compareRuns(a, b, { failOn: 'timeToDeliver.p90>=+0,falseQuarantines>0' });
    const p90 = r.metrics.find((m) => m.name === 'timeToDeliver.p90')!;
    expect(p90.duration).toBe(true);
    const changed = {
      ...r,
      metrics: [{ ...p90, a: 3_600_000, b: 11_100_000, delta: 7_500_000, relative: 7.5 / 3.6 - 0 }],
    };
    const text = renderCompareMarkdown(changed, 'text');
    expect(text).toContain('| timeToDeliver.p90 | 1h00m | 3h05m | +2h05m (+208.3 %) |');
    expect(text).toContain('`falseQuarantines>0`');
    expect(text).not.toMatch(/&gt;|&lt;|&amp;|\\_/);
    expect(renderCompareMarkdown(changed)).toContain('`falseQuarantines>0`');
  });
});

describe('parseFailOn units', () => {
  const metrics = new Map<string, MetricValue>([['quarantine.rate', { value: 0.1, ratio: true }]]);
  it('refuses a ratio change without a unit, showing the accepted forms', () => {
    expect(() => parseFailOn('quarantine.rate>+0.5', metrics)).toThrow(
      /ambiguous unit.*quarantine\.rate>\+0\.5pp .*quarantine\.rate>\+0\.5% .*quarantine\.rate>0\.005 /,
    );
    expect(() => parseFailOn('quarantine.rate>5', metrics)).toThrow(
      /ratio from 0 to 1; write quarantine\.rate>0\.05/,
    );
    expect(parseFailOn('quarantine.rate>+0.5pp,quarantine.rate>0.05', metrics).map((c) => c.mode)).toEqual([
      'pp',
      'absolute',
    ]);
  });
});
