import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createQualifier, DEFAULT_RULES_DIR, loadMxRules, loadRuleSet, ruleFiles } from '../node/index.ts';
import { loadScenario } from './load-scenario.ts';

const CATALOG = fileURLToPath(new URL('./catalog/', import.meta.url));
const files = readdirSync(CATALOG)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const APPLE =
  '550 5.1.1 <a@icloud.com>: user lookup success but no user record found. Please see https://support.apple.com/en-us/HT204137';

describe('the catalog', () => {
  it('holds the scenarios of issues #5 and #24', () => {
    expect(files.map((f) => basename(f, '.yaml')).sort()).toEqual([
      'allowlist',
      'async-bounces',
      'baseline',
      'error-rate-block',
      'feedback-loop',
      'ip-warmup',
      'isp-outage',
      'isp-outage-fixed',
      'mailbox-full-cleanup',
      'mailbox-full-no-cleanup',
      'rule-sync-overwrite',
      'stop-delivery',
      'table-ignore',
      'yahoo-deferrals',
      'yahoo-deferrals-enhanced',
    ]);
  });

  it.each(files)('%s loads, is named after its file and documents itself', (f) => {
    const text = readFileSync(join(CATALOG, f), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../scenario.schema.json');
    expect(text).toMatch(/# Figure to look at: /);
    const s = loadScenario(join(CATALOG, f));
    expect(s.name).toBe(basename(f, '.yaml'));
    expect(s.description.length).toBeGreaterThan(10);
  });

  it('isp-outage: the Apple window covers 07:00-13:00 and legacy rules quarantine the text', () => {
    const s = loadScenario(join(CATALOG, 'isp-outage.yaml'));
    expect(s.isps.windows).toEqual([
      expect.objectContaining({
        profile: 'apple-icloud',
        from: 7 * 3_600_000,
        to: 13 * 3_600_000,
        phase: 'rcpt',
      }),
    ]);
    expect(s.deliveries[0]!.at).toBe(6 * 3_600_000);
    const q = createQualifier({ mode: 'legacy' }).qualify(APPLE, { phase: 'rcpt' });
    expect(q).toMatchObject({ type: 'hard', reason: 1, impact: 'quarantine' });
    const apple = loadMxRules(s.mta.mxRules).rules.find((r) => r.name === 'apple')!;
    expect(apple.messagesPerHour).toBe(400);
  });

  it('isp-outage-fixed: the fix comes first, the default files follow in order, the text is transient', () => {
    const s = loadScenario(join(CATALOG, 'isp-outage-fixed.yaml'));
    const set = loadRuleSet(s.rules.inbound);
    const names = set.sources.map((f) => basename(f));
    const defaults = ruleFiles(DEFAULT_RULES_DIR).map((f) => relative(DEFAULT_RULES_DIR, f));
    expect(names).toEqual(['05-apple-outage-fix.yaml', ...defaults.map((f) => basename(f))]);
    for (const f of defaults)
      expect(readFileSync(join(s.rules.inbound, f), 'utf8')).toBe(
        readFileSync(join(DEFAULT_RULES_DIR, f), 'utf8'),
      );
    const q = createQualifier({ mode: 'legacy', rules: set }).qualify(APPLE, { phase: 'rcpt' });
    expect(q).toMatchObject({ type: 'soft', reason: 3, impact: 'none', disposition: 'transient' });
    expect(q.rule).toBe('apple_outage_2021_transient');
    const outage = loadScenario(join(CATALOG, 'isp-outage.yaml'));
    expect({ ...s, name: '', description: '', file: '', hash: '', rules: null }).toEqual({
      ...outage,
      name: '',
      description: '',
      file: '',
      hash: '',
      rules: null,
    });
  });

  it('pairs differ only where they should', () => {
    const strip = (f: string) => {
      const s = loadScenario(join(CATALOG, f));
      return { ...s, name: '', description: '', file: '', hash: '' };
    };
    const cleanup = strip('mailbox-full-cleanup.yaml');
    expect(cleanup.mta.cleanup).toBe(true);
    expect(strip('mailbox-full-no-cleanup.yaml')).toEqual({
      ...cleanup,
      mta: { ...cleanup.mta, cleanup: false },
    });
    const legacy = strip('yahoo-deferrals.yaml');
    const enhanced = strip('yahoo-deferrals-enhanced.yaml');
    expect(enhanced.mode).toBe('enhanced');
    expect(enhanced.mta.adaptiveRules).toBe('default');
    expect(enhanced.mta.retry).toBe('enhanced');
    expect(enhanced.isps).toEqual(legacy.isps);
    expect(legacy.isps.overrides[0]!.rateLimits![0]!.perHour).toBe(500);
  });

  it('ip-warmup sends at least 1M messages from new IPs; mailbox-full sends daily for 40 days', () => {
    const w = loadScenario(join(CATALOG, 'ip-warmup.yaml'));
    expect(w.population.size).toBeGreaterThanOrEqual(1_000_000);
    expect(w.mta.ipAgeDays).toBe(0);
    expect(w.mode).toBe('enhanced');
    const m = loadScenario(join(CATALOG, 'mailbox-full-cleanup.yaml'));
    expect(m.horizon).toBe(40 * 86_400_000);
    expect(m.deliveries[0]).toMatchObject({ every: 86_400_000, count: 40 });
  });
});
