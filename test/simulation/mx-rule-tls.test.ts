/**
 * Issue #24: an MX rule's `tls` (SPEC §7.1) reaches the transport: every session to an MX host the
 * rule matches carries it in its request (wire mode acts on it: test/wire/tls-required.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { makeMxRuleSet } from '../../core/shaping/index.ts';
import { loadMxRules } from '../../node/index.ts';
import { HOUR, runHarness } from './mta-harness.ts';

describe('MX rule tls in the session requests', () => {
  it('a rule with tls: required gives required to its host only; the rest keep the general rule', () => {
    const shipped = loadMxRules();
    const general = shipped.rules[shipped.rules.length - 1]!;
    const mxRules = makeMxRuleSet(
      [{ ...general, name: 'secure', mask: 'mx.secure.example', tls: 'required' }, general],
      shipped.settings,
    );
    const r = runHarness({
      mode: 'legacy',
      domains: [
        { name: 'secure.example', reply: 'ok' },
        { name: 'other.example', reply: 'ok' },
      ],
      deliveries: [{ atMs: HOUR, validityMs: 24 * HOUR, recipients: [5, 5] }],
      horizonMs: 2 * HOUR,
      mxRules,
    });
    expect([...r.sessionTls.get('secure.example')!]).toEqual(['required']);
    expect([...r.sessionTls.get('other.example')!]).toEqual([general.tls]);
  });
});
