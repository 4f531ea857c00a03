/**
 * The shaper's recipient domains: per domain id, until when the whole domain is held (error-rate
 * block, delayed queue, operator hold), the consecutive connection errors over all its paths, the
 * round-robin position over its paths, its path ids (best MX preference first), the MX hosts and
 * local IPs it was registered with, and its reply counts for the legacy error-rate block.
 */
import { growF64, growI32 } from '../grow.ts';
import type { MxHost } from '../ports.ts';
import { StringInterner } from '../quarantine/interner.ts';
import { RollingCounter } from './rolling-counter.ts';

export class DomainTable {
  /** domain names (lower-cased by the callers that create them) */
  readonly names = new StringInterner();
  /** held until (ms; 0 = not held) */
  until = new Float64Array(16);
  /** consecutive connection errors on any of the domain's paths */
  siteErr = new Int32Array(16);
  /** round-robin counter over the domain's best paths */
  siteRr = new Int32Array(16);
  /** path ids of each domain, best preference first */
  readonly paths: Int32Array[] = [];
  /** what each site was registered with, to register it again under new MX rules */
  readonly sites: { hosts: readonly MxHost[]; localIps: readonly string[] }[] = [];
  /** replies (metric 0) and error replies (metric 1) over the error-block window */
  readonly errCounter: RollingCounter;

  constructor(errorWindowMs: number) {
    this.errCounter = new RollingCounter(2, errorWindowMs, 12);
  }

  /** Dense id of `name` (taken as written), created on first use. */
  idOf(name: string): number {
    const known = this.names.find(name);
    if (known >= 0) return known;
    const d = this.names.idOf(name);
    this.until = growF64(this.until, d + 1);
    this.siteErr = growI32(this.siteErr, d + 1);
    this.siteRr = growI32(this.siteRr, d + 1);
    this.paths.push(new Int32Array(0));
    this.errCounter.add();
    return d;
  }
}
