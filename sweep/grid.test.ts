import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  coerceToken,
  gridPoints,
  parseGrid,
  parseGridArg,
  parseKeyPath,
  SweepError,
  setAtPath,
} from './grid.ts';

describe('grid arguments', () => {
  it('parses paths with indexes', () => {
    expect(parseKeyPath('deliveries[0].validity')).toEqual(['deliveries', 0, 'validity']);
    expect(parseKeyPath('a[1][2].b')).toEqual(['a', 1, 2, 'b']);
    for (const bad of ['', 'a..b', '0a', 'a[x]', 'a b']) expect(() => parseKeyPath(bad)).toThrow(SweepError);
  });

  it('coerces values the way YAML reads them, and takes a JSON list', () => {
    expect(parseGridArg('mta.localIps=1,2,4').values).toEqual([1, 2, 4]);
    expect(parseGridArg('mta.cleanup=true,false').values).toEqual([true, false]);
    expect(parseGridArg('mode=legacy, enhanced').values).toEqual(['legacy', 'enhanced']);
    expect(parseGridArg('mta.localIps=[["127.0.1.1"],["127.0.1.1","127.0.1.2"]]').values).toEqual([
      ['127.0.1.1'],
      ['127.0.1.1', '127.0.1.2'],
    ]);
  });

  it.each([
    ['mode', 'expected KEY=V1,V2'],
    ['mode=', 'no values'],
    ['mode=a,a', 'given twice'],
    ['mode=[1,', 'not valid JSON'],
  ])('%s is an error', (arg, msg) => {
    expect(() => parseGridArg(arg)).toThrow(msg);
  });

  it('rejects a key given twice or overlapping another', () => {
    expect(() => parseGrid(['mode=legacy', 'mode=enhanced'])).toThrow('overlaps');
    expect(() => parseGrid(['mta=1', 'mta.localIps=1'])).toThrow('overlaps');
    expect(parseGrid(['mta.localIps=1', 'mta.cleanup=true'])).toHaveLength(2);
  });

  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true })])(
    'a number token reads back as the number',
    (x) => {
      const token = String(x);
      if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(token))
        expect(coerceToken(token)).toBe(Object.is(x, -0) ? 0 : x);
    },
  );

  test.prop([fc.string().filter((s) => !/^[-\d]/.test(s) && !['true', 'false', 'null'].includes(s))])(
    'other tokens stay strings',
    (s) => {
      expect(coerceToken(s)).toBe(s);
    },
  );
});

describe('setAtPath', () => {
  it('creates missing objects, never touches the input, and refuses indexes past the end', () => {
    const input = { population: { size: 5 }, deliveries: [{ name: 'a' }] };
    const out = setAtPath(input, 'mta.localIps', ['mta', 'localIps'], 3) as Record<string, unknown>;
    expect(out.mta).toEqual({ localIps: 3 });
    expect(input).toEqual({ population: { size: 5 }, deliveries: [{ name: 'a' }] });
    const d = setAtPath(input, 'deliveries[0].validity', ['deliveries', 0, 'validity'], '1d') as typeof input;
    expect(d.deliveries[0]).toEqual({ name: 'a', validity: '1d' });
    expect(() => setAtPath(input, 'deliveries[1].x', ['deliveries', 1, 'x'], 1)).toThrow('out of range');
    expect(() => setAtPath(input, 'population[0]', ['population', 0], 1)).toThrow('is not a list');
  });
});

describe('gridPoints', () => {
  test.prop([fc.array(fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 4 }), { maxLength: 4 })])(
    'is the cartesian product, first axis slowest, every combination once',
    (lists) => {
      const axes = lists.map((values, i) => ({ key: `k${i}`, path: [`k${i}`], values }));
      const points = gridPoints(axes);
      expect(points).toHaveLength(lists.reduce((n, l) => n * l.length, 1));
      expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(points.length);
      if (lists.length > 0 && points.length > 1) {
        const first = points.map((p) => lists[0]!.indexOf(p[0] as number));
        expect(first).toEqual([...first].sort((a, b) => a - b));
      }
    },
  );
});
