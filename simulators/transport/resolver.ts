/**
 * The in-process MX resolver: a table built from the profiles. `.invalid` names (RFC 2606) and
 * domains no profile serves (without a catch-all) fail with NXDOMAIN; profile windows may script
 * SERVFAIL/NXDOMAIN for a while. Answers synchronously.
 */
import type { Clock, MxResolution, MxResolver } from '../../core/ports.ts';
import type { IspBrain } from '../isp/brain.ts';
import { mxHostsOf } from '../isp/mx-hosts.ts';

/** Finds the brain (profile) serving a domain: exact names, then patterns, then the catch-all. */
export class BrainDirectory {
  private readonly cache = new Map<string, IspBrain | null>();
  constructor(
    readonly brains: readonly IspBrain[],
    private readonly nxSuffixes: readonly string[] = ['.invalid'],
  ) {}

  /** The brain serving `domain` (lower case), or null when the domain does not exist. */
  brainFor(domain: string): IspBrain | null {
    const hit = this.cache.get(domain);
    if (hit !== undefined) return hit;
    let found: IspBrain | null = null;
    if (!this.nxSuffixes.some((s) => domain.endsWith(s)) && domain.includes('.')) {
      found =
        this.brains.find((b) => b.serves(domain)) ?? this.brains.find((b) => b.profile.catchAll) ?? null;
    }
    this.cache.set(domain, found);
    return found;
  }
}

/** Resolves MX hosts from the profiles (see the file comment). */
export class InProcessResolver implements MxResolver {
  private readonly cache = new Map<string, MxResolution>();
  constructor(
    private readonly directory: BrainDirectory,
    private readonly clock: Clock,
  ) {}

  resolve(domain: string): MxResolution {
    const d = domain.toLowerCase();
    const brain = this.directory.brainFor(d);
    if (brain === null) return { ok: false, error: 'nxdomain', text: `DNS query failed for '${domain}'` };
    const scripted = brain.dnsFailure(d, this.clock.now());
    if (scripted !== null) {
      return {
        ok: false,
        error: scripted,
        text: `DNS query failed for '${domain}' (${scripted.toUpperCase()})`,
      };
    }
    let r = this.cache.get(d);
    if (!r) {
      r = { ok: true, mx: mxHostsOf(brain, d) };
      this.cache.set(d, r);
    }
    return r;
  }
}
