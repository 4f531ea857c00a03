/**
 * The MX hosts of a domain as the profiles define them (the same derivation as the in-process
 * resolver: `{domain}` in a host name becomes the dashed domain, IPs come from `mxIps`), without
 * consulting the brain's DNS windows, so it draws nothing from the brain's random stream.
 */
import type { MxHost } from '../../core/ports.ts';
import type { IspBrain } from '../isp/brain.ts';
import { mxIps } from '../isp/profiles-load.ts';

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
