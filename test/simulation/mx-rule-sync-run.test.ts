/**
 * Issue #24 item 3, through the scenario format: the daily MX-rule refresh (`ruleSync.mxUrl`), the
 * sender id of MX rules scoped to a sender range (`mta.senderId`) and the MX rules' `tls` in virtual
 * time against a profile without STARTTLS (`starttls: false`), the same as in wire mode.
 *   ../shared/seeds/001_1184207a49278854.txt:72 "Une mise à jour quotidienne des règles MX et des règles
 *     de rebond est gérée par un workflow spécifique dans l’instance client qui est connectée au
 *     propriétaire de l’instance de délivrabilité de ces règles."
 *   ../shared/seeds/001_1184207a49278854.txt:80 "Le mode personnalisé est destiné aux clients avancés qui
 *     souhaitent définir leurs propres règles MX. Lorsque le mode personnalisé est activé, le client ne
 *     sera pas mis à jour par l’instance de délivrabilité, car la synchronisation sera désactivée."
 * The seeds say nothing of sender ranges or TLS per rule (seed 000:309-318's "Sender ID" is
 * Microsoft's authentication standard, not this); those tests quote SPEC §7.1 (../shared/SPEC.md:181):
 *   "Fields: range of sender identifiers, **Shared**, **max connections**, **max messages per
 *    connection** (then reconnect), **messages per hour**, connection timeout, data timeout, timeout, TLS."
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../core/index.ts';
import { DEFAULT_MX_RULES_FILE } from '../../node/index.ts';
import { parseScenario, planOf, type RunPlan, runPlan, wirePorts } from '../../runner/index.ts';
import { pathLimits } from '../../runner/path-limits.ts';
import type { RunStore } from '../../store/index.ts';
import { cleanupRuns, run, tempDir } from './helpers.ts';

afterAll(cleanupRuns);

const ICLOUD = `domain IN ('icloud.com', 'me.com', 'mac.com')`;
const DEFAULT_MX = readFileSync(DEFAULT_MX_RULES_FILE, 'utf8');
const APPLE = '  - name: apple\n';
// the shipped MX rules, the Apple rule (5000/h) edited
const withApple = (edit: (rule: string) => string, text = DEFAULT_MX): string => {
  const [head, rest] = [text.slice(0, text.indexOf(APPLE)), text.slice(text.indexOf(APPLE))];
  const end = rest.indexOf('\n  - name:', 1);
  return head + edit(rest.slice(0, end)) + rest.slice(end);
};
const apple60 = withApple((r) => r.replace('messagesPerHour: 5000', 'messagesPerHour: 60'));

const dir = tempDir('mxlab-mx-sync-');
writeFileSync(join(dir, 'apple-60.yaml'), apple60);
writeFileSync(
  join(dir, 'apple-50000.yaml'),
  withApple((r) => r.replace('messagesPerHour: 5000', 'messagesPerHour: 50000')),
);
writeFileSync(join(dir, 'no-sync.yaml'), DEFAULT_MX.replace('syncRules: true', 'syncRules: false'));

/** A scenario written in `dir` (its relative paths resolve there). */
const plan = (text: string): RunPlan => planOf(parseScenario(text, join(dir, 'scenario.yaml')));

const BASE = `name: mx-sync
seed: 11
horizon: 1d
mode: legacy
population: { size: 3000, mix: consumer-us }
mta:
  localIps: 1
ruleSync:
  url: http://deliverability.example/rules.json
  mxUrl: http://deliverability.example/mx-rules.json
  refreshAt: '03:00'
  instance:
    rules: default
    mxRules: apple-60.yaml
    version: central-test
deliveries:
  - { name: before, at: day1 01:00 }
  - { name: after, at: day1 04:00 }
`;

/** iCloud attempts per hour of the run. */
async function perHour(store: RunStore): Promise<Map<number, number>> {
  const rows = await store.all<{ h: number | bigint; n: number | bigint }>(
    `SELECT floor(t / ${HOUR}) AS h, count(*) AS n FROM attempts WHERE ${ICLOUD} GROUP BY h ORDER BY h`,
  );
  return new Map(rows.map((r) => [Number(r.h), Number(r.n)]));
}

const syncRows = (store: RunStore) =>
  store.all<{ t: number; kind: string; outcome: string; detail: string }>(
    `SELECT t, kind, outcome, detail FROM actions ORDER BY t, kind`,
  );

describe('MX-rule sync in a run (ruleSync.mxUrl)', () => {
  it('before the 03:00 refresh iCloud gets over 100 attempts an hour; after it, the fetched 60/h holds', async () => {
    const r = await run(plan(BASE));
    try {
      const h = await perHour(r.store);
      expect(h.get(1)).toBeGreaterThan(100);
      const after = [...h].filter(([hour]) => hour >= 3);
      expect(after.reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(120); // the second delivery went out
      for (const [, n] of after) expect(n).toBeLessThanOrEqual(60);
      const rows = await syncRows(r.store);
      expect(rows.map((x) => [x.t, x.kind, x.outcome])).toEqual([
        [3 * HOUR, 'mxRuleSync', 'applied'],
        [3 * HOUR, 'ruleSync', 'applied'],
      ]);
      expect(rows[0]!.detail).toMatch(/^version central-test: 7 MX rules replace the MX rules in force/);
    } finally {
      await r.store.close();
    }
  });

  it('a 500, custom mode, the custom level and syncRules: false keep the MX rules in force, each logged', async () => {
    const variants = {
      outage: BASE.replace(
        '    version: central-test\n',
        '    version: central-test\n    outages: [{ from: day1 02:00, to: day1 04:00, reply: 500 }]\n',
      ),
      customMode: BASE.replace("  refreshAt: '03:00'", "  mode: custom\n  refreshAt: '03:00'"),
      customLevel: BASE.replace('  localIps: 1\n', '  localIps: 1\n  throughputLevel: custom\n'),
      noSync: BASE.replace('  localIps: 1\n', '  localIps: 1\n  mxRules: no-sync.yaml\n'),
    };
    const detail = {
      outage: /^HTTP 500; the MX rules in force \(version local\) stay$/,
      customMode: /^custom mode: no refresh/,
      customLevel: /^custom throughput level: no refresh/,
      noSync: /^syncRules: false in the MX rules in force: no refresh/,
    };
    for (const [name, text] of Object.entries(variants) as [keyof typeof variants, string][]) {
      const r = await run(plan(text));
      try {
        const h = await perHour(r.store);
        // the 04:00 delivery's iCloud recipients all go out in its first hour, as before the refresh
        expect(h.get(4), name).toBeGreaterThan(100);
        const mx = (await syncRows(r.store)).filter((x) => x.kind === 'mxRuleSync');
        expect(
          mx.map((x) => [x.t, x.outcome]),
          name,
        ).toEqual([[3 * HOUR, name === 'outage' ? 'failed' : 'custom']]);
        expect(mx[0]!.detail, name).toMatch(detail[name]);
      } finally {
        await r.store.close();
      }
    }
  }, 120_000);
});

describe('MX rules scoped to a sender-id range (mta.senderId)', () => {
  // a rule for senders 5-7 only, before the shipped Apple rule: 60/h to iCloud
  const scoped = withApple(
    (r) =>
      `  - name: apple-senders-5-7\n    mask: '*.mail.icloud.com'\n    senderIds: { from: 5, to: 7 }\n    shared: true\n    messagesPerHour: 60\n${r}`,
  );
  writeFileSync(join(dir, 'apple-scoped.yaml'), scoped);
  const text = (senderId: number | null) =>
    `name: sender-ids
seed: 11
horizon: 12h
mode: legacy
population: { size: 3000, mix: consumer-us }
mta:
  localIps: 1
  mxRules: apple-scoped.yaml
${senderId === null ? '' : `  senderId: ${senderId}\n`}deliveries:
  - { name: news, at: day1 01:00 }
`;

  it('sender 7 (in range) gets the rule: 60 an hour to iCloud; sender 8 and no sender id do not', async () => {
    const out: Record<string, Map<number, number>> = {};
    for (const id of [7, 8, null]) {
      const r = await run(plan(text(id)));
      try {
        out[String(id)] = await perHour(r.store);
      } finally {
        await r.store.close();
      }
    }
    for (const n of out['7']!.values()) expect(n).toBeLessThanOrEqual(60);
    expect(out['7']!.size).toBeGreaterThan(2);
    expect(out['8']!.get(1)).toBeGreaterThan(100);
    expect(out.null!.get(1)).toBeGreaterThan(100);
  }, 60_000);
});

describe("MX rules' tls in virtual time (profile starttls)", () => {
  const secure = withApple((r) => `${r}\n    tls: required`);
  writeFileSync(join(dir, 'apple-tls.yaml'), secure);
  const text = (starttls: boolean) => `name: tls-required
seed: 11
horizon: 6h
mode: legacy
population: { size: 150, mix: consumer-us }
isps:
  overrides:
    - { profile: apple-icloud, starttls: ${starttls} }
mta:
  localIps: 1
  mxRules: apple-tls.yaml
deliveries:
  - { name: news, at: day1 01:00, validity: 2h }
`;
  const ATTEMPTS = `SELECT phase, code, text, type, reason, outcome, count(*)::INT AS n FROM attempts WHERE ${ICLOUD}
    GROUP BY ALL ORDER BY ALL`;
  const LOG = 'SELECT delivery_id, recipient_id, status, type, reason FROM delivery_log ORDER BY 1, 2';

  it('tls: required to an MX without STARTTLS: no message, a TLS error (Soft / Unreachable) as in wire mode', async () => {
    const p = plan(text(false));
    const a = await run(p);
    const b = await runPlan(p, { out: tempDir(), ports: wirePorts() });
    try {
      const rows = await a.store.all<{ phase: string; type: string; reason: number; outcome: string }>(
        ATTEMPTS,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const x of rows) expect(x).toMatchObject({ phase: 'ehlo', type: 'soft', reason: 3 });
      expect(
        await a.store.all(`SELECT count(*)::INT AS n FROM delivery_log WHERE ${ICLOUD} AND status = 'sent'`),
      ).toEqual([{ n: 0 }]);
      // wire mode: the same attempts and the same delivery log
      expect(await b.store!.all(ATTEMPTS)).toEqual(rows);
      expect(await b.store!.all(LOG)).toEqual(await a.store.all(LOG));
    } finally {
      await a.store.close();
      await b.store!.close();
    }
  }, 120_000);

  it('the same rule to an MX that offers STARTTLS delivers (the default profile)', async () => {
    const r = await run(plan(text(true)));
    try {
      expect(
        await r.store.all(
          `SELECT count(*)::INT AS n FROM attempts WHERE ${ICLOUD} AND phase = 'ehlo' AND type = 'soft'`,
        ),
      ).toEqual([{ n: 0 }]);
      const sent = await r.store.all<{ n: number }>(
        `SELECT count(*)::INT AS n FROM delivery_log WHERE ${ICLOUD} AND status = 'sent'`,
      );
      expect(sent[0]!.n).toBeGreaterThan(0);
    } finally {
      await r.store.close();
    }
  });

  it("mxlab check's slice limits take the instance's MX rules only when the sync may apply them", () => {
    const raised = BASE.replace('mxRules: apple-60.yaml', 'mxRules: apple-50000.yaml');
    const limitOf = (text: string) => {
      const l = pathLimits(plan(text), ['icloud.com'])[0]!;
      return l.perSlice / l.sliceMs;
    };
    // the oracle: the same plan with no rule sync at all
    const none = limitOf(BASE.replace(/ruleSync:[\s\S]*?(?=deliveries:)/, ''));
    expect(limitOf(raised)).toBeGreaterThan(none);
    expect(limitOf(raised.replace("  refreshAt: '03:00'", "  mode: custom\n  refreshAt: '03:00'"))).toBe(
      none,
    );
    expect(limitOf(raised.replace('  localIps: 1\n', '  localIps: 1\n  mxRules: no-sync.yaml\n'))).toBe(none);
  });
});
