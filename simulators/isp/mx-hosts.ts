/**
 * The MX hosts of a domain as the profiles define them: `{domain}` in a host name becomes the dashed
 * domain, IPs come from `mxIps`. It does not consult the brain's DNS windows, so it draws nothing from
 * the brain's random stream. One owner: the in-process resolver, the wire fleet and the store
 * checks' path limits all read it.
 */
import type { MxHost } from '../../core/ports.ts';
import type { IspBrain } from './brain.ts';
import { mxIps } from './profiles-load.ts';

/** MX hosts of `domain` (lower case) served by `brain`, lowest preference first. */
export function mxHostsOf(brain: IspBrain, domain: string): MxHost[] {
  const dashed = domain.replaceAll('.', '-');
  return brain.profile.mx
    .map((m) => {
      const host = m.host.replaceAll('{domain}', dashed);
      return { host, preference: m.preference, ips: mxIps(host, m.ips) };
    })
    .sort((a, b) => a.preference - b.preference);
}
