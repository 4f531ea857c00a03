/** Test helpers for the shaping tests (not exported through index.ts). */
import type { MxHost } from '../ports.ts';
import type { Qualification } from '../types.ts';

/** A failed qualification of the given type. */
export function failure(
  type: Qualification['type'] = 'soft',
  bounceClass: number | null = null,
): Qualification {
  return { type, reason: 3, impact: 'none', disposition: 'transient', rule: null, bounceClass };
}

/** MX hosts `mx{i}.{domain}` with one IP each, all at preference 10. */
export function hosts(domain: string, n: number, pref = 10, base = 1): MxHost[] {
  return Array.from({ length: n }, (_, i) => ({
    host: `mx${i + base}.${domain}`,
    preference: pref,
    ips: [`192.0.2.${i + base}`],
  }));
}
