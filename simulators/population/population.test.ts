import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { loadDomainMix } from './mix-schema.ts';
import { createPopulation } from './population.ts';
import { TRUTH_KINDS } from './truth.ts';

const us = loadDomainMix('consumer-us');

describe('population', () => {
  it('is deterministic: same seed, same recipients; another seed differs', () => {
    const a = createPopulation({ seed: 7, size: 1000, mix: us });
    const b = createPopulation({ seed: 7, size: 1000, mix: us });
    const c = createPopulation({ seed: 8, size: 1000, mix: us });
    const take = (p: typeof a) => [...p.recipients(0, 200)].map((r) => JSON.stringify(r));
    expect(take(a)).toEqual(take(b));
    expect(take(a)).not.toEqual(take(c));
  });

  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.nat(5000), fc.integer({ min: 1, max: 10_000_000 })], {
    numRuns: 40,
  })(
    "recipient i's address and truth do not depend on the population size or on other draws",
    (seed, i, extra) => {
      const small = createPopulation({ seed, size: i + 1, mix: us });
      const big = createPopulation({ seed, size: i + 1 + extra, mix: us });
      big.recipient(Math.min(i + extra, big.size - 1)); // an unrelated draw first
      expect(big.recipient(i)).toEqual(small.recipient(i));
    },
  );

  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.nat(20_000)], { numRuns: 60 })(
    'the streaming accessors (ownerOf, inControlGroup, isComplainer, initialStatusOf) agree with recipient(i)',
    (seed, i) => {
      const p = createPopulation({
        seed,
        size: 20_001,
        mix: us,
        settings: {
          duplicateRate: 0.3,
          missingRate: 0.1,
          controlGroupRate: 0.5,
          initial: { quarantine: 0.2, denylisted: 0.2, allowlisted: 0.2 },
          complainers: { rate: 0.4 },
        },
      });
      const r = p.recipient(i);
      const owner = p.ownerOf(i);
      expect(owner).toBe(r.duplicateOf === -1 ? i : r.duplicateOf);
      expect(p.isMissing(i) ? '' : p.canonicalAddress(owner)).toBe(r.address);
      expect(p.inControlGroup(owner)).toBe(r.truth.controlGroup);
      expect(p.isComplainer(owner)).toBe(r.truth.complainer);
      expect(p.initialStatusOf(owner)).toBe(r.truth.initialStatus);
      expect(p.kindOf(owner)).toBe(r.truth.kind);
    },
  );

  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.nat(99_999)], { numRuns: 40 })(
    'truthOf(address) finds the owner from the address alone',
    (seed, i) => {
      const p = createPopulation({ seed, size: 100_000, mix: loadDomainMix('b2b') });
      const addr = p.canonicalAddress(i);
      expect(p.indexOf(addr)).toBe(i);
      expect(p.truthOf(addr)).toEqual(p.truth(i));
      expect(p.truthOf(`x${addr}`)).toBeNull();
      expect(p.truthOf(addr.toUpperCase())).toBeNull();
    },
  );

  test.prop(
    [
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.array(
        fc.oneof(
          fc.record({ build: fc.integer({ min: -5, max: 1100 }) }),
          fc.record({ find: fc.integer({ min: -5, max: 1100 }), twist: fc.constantFrom('', 'x', 'upper') }),
        ),
        { maxLength: 60 },
      ),
    ],
    { numRuns: 200 },
  )(
    'any order of builds and lookups answers as a fresh population does (the last-address cache)',
    (seed, ops) => {
      const used = createPopulation({ seed, size: 1000, mix: us });
      const fresh = () => createPopulation({ seed, size: 1000, mix: us });
      for (const op of ops) {
        if ('build' in op) expect(used.canonicalAddress(op.build)).toBe(fresh().canonicalAddress(op.build));
        else {
          const a = fresh().canonicalAddress(op.find);
          const probe = op.twist === 'upper' ? a.toUpperCase() : `${op.twist}${a}`;
          expect(used.indexOf(probe)).toBe(fresh().indexOf(probe));
        }
      }
    },
  );

  it('gives unique canonical addresses', () => {
    const p = createPopulation({ seed: 1, size: 50_000, mix: us });
    const seen = new Set<string>();
    for (let i = 0; i < p.size; i++) seen.add(p.canonicalAddress(i));
    expect(seen.size).toBe(50_000);
    expect(p.truthOf('')).toBeNull();
    expect(p.truthOf('bounce@gmail.com')).toBeNull();
  });

  it('follows the truth mix, domain shares, duplicates and missing rates within tolerance', () => {
    const n = 200_000;
    const settings = {
      truth: {
        valid: 0.8,
        unknown: 0.1,
        invalidDomain: 0.05,
        autoResponder: 0.05,
        mailboxFull: 0,
        mailboxFullPermanent: 0,
        disabled: 0,
        disabledPermanent: 0,
      },
      duplicateRate: 0.01,
      missingRate: 0.02,
      complainers: { rate: 0.01 },
    };
    const p = createPopulation({ seed: 99, size: n, mix: us, settings });
    const kinds = new Map<string, number>();
    let gmail = 0;
    let dup = 0;
    let missing = 0;
    let complainers = 0;
    let invalidOk = true;
    for (let i = 0; i < n; i++) {
      const k = p.kindOf(i);
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
      const d = p.canonicalDomain(i);
      if (d === 'gmail.com') gmail++;
      if (k === 'invalidDomain' && !d.endsWith('.invalid')) invalidOk = false;
      if (p.isMissing(i)) missing++;
      else if (p.duplicateOf(i) !== -1) dup++;
      if (p.truth(i).complainer) complainers++;
    }
    // binomial sd at p=0.1, n=2e5 is ~0.0007: 5 sd bounds
    const share = (k: string) => (kinds.get(k) ?? 0) / n;
    expect(Math.abs(share('valid') - 0.8)).toBeLessThan(0.005);
    expect(Math.abs(share('unknown') - 0.1)).toBeLessThan(0.004);
    expect(Math.abs(share('autoResponder') - 0.05)).toBeLessThan(0.003);
    expect(share('mailboxFull')).toBe(0);
    const gmailShare = us.domains.find((d) => d.domain === 'gmail.com')!.share;
    const total = us.domains.reduce((a, d) => a + d.share, 0) + us.generated.reduce((a, g) => a + g.share, 0);
    // invalidDomain recipients lose their gmail.com domain
    expect(Math.abs(gmail / n - (gmailShare / total) * 0.95)).toBeLessThan(0.006);
    expect(invalidOk).toBe(true);
    expect(Math.abs(missing / n - 0.02)).toBeLessThan(0.002);
    expect(Math.abs(dup / n - 0.01 * 0.98)).toBeLessThan(0.0015);
    expect(Math.abs(complainers / n - 0.01)).toBeLessThan(0.0015);
  });

  it('marks duplicates and missing addresses as the core must see them', () => {
    const p = createPopulation({
      seed: 3,
      size: 20_000,
      mix: us,
      settings: { duplicateRate: 0.05, missingRate: 0.05 },
    });
    let checked = 0;
    for (const r of p.recipients()) {
      if (r.duplicateOf !== -1) {
        expect(r.address).toBe(p.addressOf(r.duplicateOf));
        expect(r.address).not.toBe('');
        checked++;
      }
      if (p.isMissing(r.index)) expect(r.address).toBe('');
      expect(TRUTH_KINDS).toContain(r.truth.kind);
      if (r.truth.initialStatus === 'quarantine') expect(r.truth.priorErrorText.length).toBeGreaterThan(0);
      if (r.truth.kind === 'mailboxFull') expect(r.truth.recoversAtMs).toBeGreaterThan(0);
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('loads every shipped mix and rejects a bad one with file and field', () => {
    for (const m of ['consumer-us', 'french', 'b2b']) expect(loadDomainMix(m).name).toBe(m);
    expect(() => loadDomainMix('/nonexistent/mix.yaml')).toThrow(/mix.yaml: file not found/);
  });
});
