/**
 * The shipped profiles answer each recipient truth with a text the shipped rules qualify the way
 * SPEC §3 says that truth behaves. A temporary state (temporarily disabled, mailbox full) is "with
 * errors": counted and retried until the threshold, never quarantined at once (issue #19 defect 7:
 * Microsoft answered a temporarily disabled account with Exchange Online's directory-based edge
 * block of an unknown recipient, `550 5.4.1 ... Access denied`, so it was quarantined at once).
 */
import { describe, expect, it } from 'vitest';
import { createQualifier } from '../../node/index.ts';
import { fill } from './brain.ts';
import { loadIspProfiles } from './profiles-load.ts';

const TEMPORARY = ['disabled', 'mailboxFull'] as const;

describe.each(['legacy', 'enhanced'] as const)('shipped profiles, %s rules', (mode) => {
  const q = createQualifier({ mode });
  for (const p of loadIspProfiles())
    for (const truth of TEMPORARY) {
      const script = p.truth[truth];
      if (!script) continue;
      it(`${p.name} ${truth}: counted, not quarantined at once`, () => {
        const reply = fill(script.reply, 'jane@example.com', 'example.com', '192.0.2.1');
        const r = q.qualify({ reply, phase: script.phase });
        expect([r.type, r.impact]).toEqual(['soft', 'count']);
      });
    }
  it('microsoft disabled is Account disabled (4), its unknown recipient is User unknown (1)', () => {
    const ms = loadIspProfiles().find((p) => p.name === 'microsoft')!;
    expect(q.qualify({ reply: ms.truth.disabled!.reply, phase: ms.truth.disabled!.phase }).reason).toBe(4);
    expect(q.qualify('550 5.4.1 Recipient address rejected: Access denied. AS(201806281)').reason).toBe(1);
  });
});
