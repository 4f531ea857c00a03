import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDataText } from '../../node/data-file.ts';
import { createQualifier } from '../qualification/qualifier.ts';
import type { RuleSet } from '../qualification/rule-schema.ts';
import { createRuleSync, type DataTextParser, type Timer } from './rule-sync.ts';

const URL = 'http://deliverability.test/rules.json';
const GOOD = {
  version: '2024-05-01',
  rules: [{ name: 'central_unknown', contains: 'nobody here', type: 'hard', reason: 1 }],
};

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const userRules: RuleSet = {
  rules: [
    {
      name: 'user_rule',
      source: 'user#0',
      caseSensitive: false,
      contains: ['nobody here'],
      type: 'soft',
      reason: 5,
    },
  ],
  sources: ['user'],
};
const build = (rules: RuleSet) => createQualifier({ mode: 'legacy', rules, cacheSize: 0 });

/** A timer driven by hand: `fire()` runs what is due. */
function manualTimer(): Timer & { pending: number; fire(): void } {
  const queue: (() => void)[] = [];
  return {
    after(_ms, fn) {
      queue.push(fn);
      return () => {
        const i = queue.indexOf(fn);
        if (i >= 0) queue.splice(i, 1);
      };
    },
    get pending() {
      return queue.length;
    },
    fire() {
      const due = queue.splice(0);
      for (const f of due) f();
    },
  };
}

function make(
  opts: { mode?: 'sync' | 'custom'; timeoutMs?: number; timer?: Timer; parse?: DataTextParser } = {},
) {
  let now = 1000;
  return {
    sync: createRuleSync({
      url: URL,
      initial: build(userRules),
      build,
      clock: { now: () => now },
      mode: opts.mode,
      timeoutMs: opts.timeoutMs ?? 2000,
      timer: opts.timer,
      parse: opts.parse,
    }),
    tick: (ms: number) => {
      now += ms;
    },
  };
}

const reasonOf = (q: ReturnType<typeof build>) => q.qualifyText('550 nobody here', { phase: 'async' }).reason;

describe('rule sync', () => {
  it('swaps in the fetched rules, replacing the user rules, and records version and time', async () => {
    server.use(http.get(URL, () => HttpResponse.json(GOOD)));
    const { sync } = make();
    expect(reasonOf(sync.holder.current)).toBe(5);
    const st = await sync.refresh();
    expect(st.lastError).toBeNull();
    expect(st.version).toBe('2024-05-01');
    expect(st.lastSuccessAt).toBe(1000);
    expect(st.ruleCount).toBe(1);
    expect(reasonOf(sync.holder.current)).toBe(1);
  });

  it('reads JSON by default; a YAML payload needs the parser the runner injects (node/)', async () => {
    const yaml =
      'version: "2024-05-02"\nrules:\n  - { name: central_unknown, contains: nobody here, type: hard, reason: 1 }\n';
    server.use(http.get(URL, () => new HttpResponse(yaml)));
    const json = make();
    const st = await json.sync.refresh();
    expect(st.lastError).toMatch(
      /^invalid rule set: http:\/\/deliverability\.test\/rules\.json: syntax error/,
    );
    expect(reasonOf(json.sync.holder.current)).toBe(5);
    const withYaml = make({ parse: parseDataText });
    const st2 = await withYaml.sync.refresh();
    expect(st2.lastError).toBeNull();
    expect(st2.version).toBe('2024-05-02');
    expect(reasonOf(withYaml.sync.holder.current)).toBe(1);
  });

  it('keeps the rules in force on a 500', async () => {
    server.use(http.get(URL, () => new HttpResponse('boom', { status: 500 })));
    const { sync } = make();
    const before = sync.holder.current;
    const st = await sync.refresh();
    expect(st.lastError).toMatch(/HTTP 500/);
    expect(st.lastSuccessAt).toBeNull();
    expect(st.version).toBe('local');
    expect(sync.holder.current).toBe(before);
  });

  it('keeps the rules in force on a timeout', async () => {
    server.use(
      http.get(URL, async () => {
        await delay('infinite');
        return HttpResponse.json(GOOD);
      }),
    );
    const { sync } = make({ timeoutMs: 50 });
    const before = sync.holder.current;
    const st = await sync.refresh();
    expect(st.lastError).toMatch(/timeout after 50 ms/);
    expect(sync.holder.current).toBe(before);
  });

  it('keeps the rules in force on an unreachable server', async () => {
    server.use(http.get(URL, () => HttpResponse.error()));
    const { sync } = make();
    const before = sync.holder.current;
    const st = await sync.refresh();
    expect(st.lastError).toMatch(/unreachable/);
    expect(sync.holder.current).toBe(before);
  });

  it('rejects an invalid payload with the place of the error and keeps the rules', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json({ version: 'v2', rules: [{ name: 'x', contains: 'a', type: 'hard' }] }),
      ),
    );
    const { sync } = make();
    const before = sync.holder.current;
    const st = await sync.refresh();
    expect(st.lastError).toMatch(/invalid rule set: .*rules\[0\]\.reason: required/);
    expect(sync.holder.current).toBe(before);
    server.use(http.get(URL, () => HttpResponse.text('{ not json')));
    expect((await sync.refresh()).lastError).toMatch(/invalid rule set/);
  });

  it('a success after a failure clears the error', async () => {
    server.use(http.get(URL, () => new HttpResponse(null, { status: 503 })));
    const { sync, tick } = make();
    expect((await sync.refresh()).lastError).toMatch(/503/);
    server.use(http.get(URL, () => HttpResponse.json(GOOD)));
    tick(500);
    const st = await sync.refresh();
    expect(st.lastError).toBeNull();
    expect(st.lastSuccessAt).toBe(1500);
  });

  it('custom mode never fetches and keeps the user rules', async () => {
    let calls = 0;
    server.use(
      http.get(URL, () => {
        calls++;
        return HttpResponse.json(GOOD);
      }),
    );
    const timer = manualTimer();
    const { sync } = make({ mode: 'custom', timer });
    sync.start();
    const st = await sync.refresh();
    expect(calls).toBe(0);
    expect(timer.pending).toBe(0);
    expect(st.mode).toBe('custom');
    expect(st.lastError).toMatch(/custom/);
    expect(reasonOf(sync.holder.current)).toBe(5);
  });

  it('start() refreshes now and again each time the injected timer fires; stop() ends it', async () => {
    let calls = 0;
    server.use(
      http.get(URL, () => {
        calls++;
        return HttpResponse.json({ ...GOOD, version: `v${calls}` });
      }),
    );
    const timer = manualTimer();
    const { sync } = make({ timer });
    sync.start();
    await sync.refresh(); // joins the refresh in flight
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toBe(1);
    expect(timer.pending).toBe(1);
    timer.fire();
    await sync.refresh();
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toBe(2);
    expect(sync.status().version).toBe('v2');
    sync.stop();
    expect(timer.pending).toBe(0);
  });
});
