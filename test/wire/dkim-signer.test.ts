/**
 * Issue #24, seed 003 line 138 (../shared/seeds/003_f1591a8501b485a3.txt): "La signature
 * d'authentification par email DKIM (DomainKeys Identified Mail) est effectuée par l'MTA amélioré.
 * Dans le cadre de la mise à niveau vers le MTA amélioré, la signature DKIM par le MTA natif de
 * Campaign sera désactivée". In wire mode an enhanced run's messages are signed by the Enhanced MTA's
 * key (selector `enhanced`), a legacy run's by mxlab's native one (`mxlab`); the fake MX servers
 * verify every message with mailauth against both published keys.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  DKIM_SELECTORS,
  type DkimSigner,
  defineScenario,
  planOf,
  runPlan,
  wirePorts,
} from '../../runner/index.ts';
import type { FakeMxStats, ReceivedMessage } from '../../simulators/wire/fake-mx.ts';
import { cleanupRuns, tempDir } from '../simulation/helpers.ts';

afterAll(cleanupRuns);

function plan(mode: 'legacy' | 'enhanced') {
  return planOf(
    defineScenario({
      name: `dkim-${mode}`,
      seed: 138,
      horizon: '1d',
      mode,
      population: { size: 300, mix: 'consumer-us' },
      deliveries: [{ name: 'news', at: 'day1 06:00', validity: '6h' }],
    }),
  );
}

/** Runs `mode` over the wire; what the fake MX servers saw, read before they stop. */
async function wireRun(mode: 'legacy' | 'enhanced', dkimSigner?: DkimSigner) {
  let seen: { signer: DkimSigner; totals: FakeMxStats; received: ReceivedMessage[] } | null = null;
  const r = await runPlan(plan(mode), {
    out: tempDir(),
    ports: wirePorts({
      dkimSigner,
      onStop: (w) => {
        seen = {
          signer: w.signer,
          totals: w.fleet.totals(),
          received: w.fleet.all().flatMap((s) => s.received),
        };
      },
    }),
  });
  await r.store?.close();
  if (seen === null) throw new Error('the wire run did not stop its ports');
  return seen as { signer: DkimSigner; totals: FakeMxStats; received: ReceivedMessage[] };
}

describe('DKIM signer by MTA mode (seed 003:138)', () => {
  for (const [mode, signer] of [
    ['legacy', 'native'],
    ['enhanced', 'enhanced'],
  ] as const) {
    it(`${mode}: every message is signed by the ${signer} signer only (s=${DKIM_SELECTORS[signer]}) and verifies`, async () => {
      const { signer: used, totals, received } = await wireRun(mode);
      expect(used).toBe(signer);
      expect(totals.accepted).toBeGreaterThan(200);
      // mailauth verified every message the fake MX servers read to the end: 100% pass
      expect(totals.dkimFail).toBe(0);
      expect(totals.dkimPass).toBe(totals.accepted + totals.rejected);
      expect(received.length).toBe(totals.accepted);
      expect([...new Set(received.map((m) => m.dkimSelectors))]).toEqual([DKIM_SELECTORS[signer]]);
    }, 120_000);
  }

  it('the signer can be named against the mode (an enhanced run signed natively)', async () => {
    const { totals, received } = await wireRun('enhanced', 'native');
    expect(received.length).toBeGreaterThan(200);
    expect([...new Set(received.map((m) => m.dkimSelectors))]).toEqual(['mxlab']);
    expect(totals.dkimFail).toBe(0);
  }, 120_000);
});
