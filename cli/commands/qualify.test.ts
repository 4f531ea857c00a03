import { describe, expect, it } from 'vitest';
import { createQualifier } from '../../core/qualification/index.ts';
import { qualifyLine } from './qualify.ts';

describe('mxlab qualify lines', () => {
  const q = createQualifier({ mode: 'legacy' });
  it('reads plain and JSONL lines, per line', () => {
    const plain = JSON.parse(qualifyLine(q, '550 5.1.1 user unknown', { phase: 'auto' }).out);
    expect(plain).toEqual({
      reply: '550 5.1.1 user unknown',
      code: 550,
      enhanced: '5.1.1',
      type: 'hard',
      reason: 1,
      impact: 'quarantine',
      disposition: 'permanent',
      rule: 'seed_user_unknown',
      bounceClass: 10,
    });
    const json = JSON.parse(
      qualifyLine(q, '{"reply":"554 5.7.1 spam","phase":"connect"}', { phase: 'auto' }).out,
    );
    expect([json.reason, json.disposition]).toEqual([20, 'transient']);
  });
  it('treats uncoded text as a bounce diagnostic and reports unreadable JSON', () => {
    expect(JSON.parse(qualifyLine(q, "DNS query failed for 'x.y'", { phase: 'auto' }).out).reason).toBe(2);
    expect(qualifyLine(q, '{"reply": 3}', { phase: 'auto' }).error).toMatch(/reply/);
    expect(qualifyLine(q, '{"reply":"550 x","phase":"moon"}', { phase: 'auto' }).error).toMatch(/phase/);
  });
});
