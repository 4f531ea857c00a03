/**
 * The MX-rule sync client (seed 001:72 "Une mise à jour quotidienne des règles MX et des règles de
 * rebond"): a valid `{version, mxRules}` payload swaps the set in, anything else keeps it (msw).
 */
import { readFileSync } from 'node:fs';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_MX_RULES_FILE, loadMxRules } from '../../node/shaping.ts';
import { createMxRuleSync } from './mx-rule-sync.ts';

const URL = 'http://deliverability.test/mx-rules.json';
const shipped = parseYaml(readFileSync(DEFAULT_MX_RULES_FILE, 'utf8')) as {
  rules: { messagesPerHour?: number }[];
};
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () =>
  createMxRuleSync({ url: URL, initial: loadMxRules(), build: (set) => set, clock: { now: () => 5 } });

describe('createMxRuleSync', () => {
  it('a valid payload replaces the MX rules in force, with its version and rule count', async () => {
    const rules = shipped.rules.map((r, i) => (i === 0 ? { ...r, messagesPerHour: 60 } : r));
    server.use(http.get(URL, () => HttpResponse.json({ version: 'mx-1', mxRules: { ...shipped, rules } })));
    const sync = client();
    const st = await sync.refresh();
    expect(st).toMatchObject({ lastError: null, lastSuccessAt: 5, version: 'mx-1', ruleCount: 7 });
    expect(sync.holder.current.rules[0]!.messagesPerHour).toBe(60);
  });

  it('500 and an invalid MX rule file keep the rules in force and say why', async () => {
    const sync = client();
    const before = sync.holder.current;
    server.use(http.get(URL, () => new HttpResponse('down', { status: 500 })));
    expect((await sync.refresh()).lastError).toMatch(/^HTTP 500/);
    // the general rule "*" is not last: the MX rule file's own check
    server.use(
      http.get(URL, () =>
        HttpResponse.json({ version: 'bad', mxRules: { ...shipped, rules: [...shipped.rules].reverse() } }),
      ),
    );
    expect((await sync.refresh()).lastError).toMatch(
      /^invalid rule set: .*mxRules\.rules\[0\]\.mask: the general rule "\*" must be the last rule/,
    );
    expect(sync.holder.current).toBe(before);
    expect(sync.status().version).toBe('local');
  });
});
