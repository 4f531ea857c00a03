/**
 * A streamed population: recipient `i` is a pure function of (seed, i), so a 10-million target is
 * never 10 million objects and any recipient can be regenerated anywhere (e.g. inside a fake MX that
 * only sees the address). Addresses end their local part with the base-36 index (`jane.doe.3kf9@…`),
 * which makes them unique and lets `truthOf(address)` find the truth from the address alone.
 */

import { baseHash, hashOf, unitOf } from './hash.ts';
import type { DomainMix } from './mix-schema.ts';
import { type NamePools, namePools } from './name-pools.ts';
import {
  type PopulationSettings,
  type PopulationSettingsInput,
  resolvePopulationSettings,
} from './settings.ts';
import {
  type InitialStatus,
  type Recipient,
  type RecipientTruth,
  TRUTH_KINDS,
  type TruthKind,
} from './truth.ts';

/** Purposes of the per-recipient hashes: each decision has its own, so none shifts another. */
const P = {
  domain: 1,
  domainN: 2,
  first: 3,
  last: 4,
  format: 5,
  kind: 6,
  recover: 7,
  complainer: 8,
  complaintDelay: 9,
  initial: 10,
  prior: 11,
  control: 12,
  duplicate: 13,
  duplicateTarget: 14,
  missing: 15,
  invalid: 16,
  typology: 17,
} as const;

const INVALID_SUFFIXES = ['', 'l', 'e', 'mail', '-mail', 'x', 'co'];

/** Options of `createPopulation`. */
export interface PopulationOptions {
  seed: number;
  /** number of target entries */
  size: number;
  mix: DomainMix;
  settings?: PopulationSettingsInput;
}

/** A streamed, seeded population (see the file comment). */
export class Population {
  readonly seed: number;
  readonly size: number;
  readonly settings: PopulationSettings;
  readonly mix: DomainMix;
  private readonly pools: NamePools;
  /**
   * The address last built for an index of this population, and that index: a run builds a target's
   * address and asks for its index at once (preparation checks the id it was given), which then
   * costs one string comparison instead of a parse and a check against a rebuilt address.
   */
  private lastIndex = -1;
  /** meaningful once `lastIndex` >= 0 */
  private lastAddress = '';
  private readonly domainCum: Float64Array;
  /** per mix entry: fixed domain, or the generated pattern split around `{n}` */
  private readonly domainEntries: { fixed: string | null; pre: string; post: string; count: number }[];
  private readonly kindCum: Float64Array;

  constructor(opts: PopulationOptions) {
    if (!Number.isSafeInteger(opts.size) || opts.size < 0)
      throw new Error(`population size: expected an integer >= 0, got ${opts.size}`);
    this.seed = opts.seed >>> 0;
    this.size = opts.size;
    this.mix = opts.mix;
    this.settings = resolvePopulationSettings(opts.settings);
    this.pools = namePools(this.seed, opts.mix.locale);
    const entries: Population['domainEntries'] = [];
    const weights: number[] = [];
    for (const d of opts.mix.domains) {
      entries.push({ fixed: d.domain, pre: '', post: '', count: 1 });
      weights.push(d.share);
    }
    for (const g of opts.mix.generated) {
      const at = g.pattern.indexOf('{n}');
      entries.push({
        fixed: null,
        pre: g.pattern.slice(0, at),
        post: g.pattern.slice(at + 3),
        count: g.count,
      });
      weights.push(g.share);
    }
    if (entries.length === 0) throw new Error(`domain mix ${opts.mix.name}: no domains`);
    this.domainEntries = entries;
    this.domainCum = cumulative(weights);
    this.kindCum = cumulative(TRUTH_KINDS.map((k) => this.settings.truth[k]));
  }

  /** Truth kind of recipient `i` (cheap, allocation-free). Duplicates report their own draw; see `recipient`. */
  kindOf(i: number): TruthKind {
    return this.kindOfBase(baseHash(this.seed, i));
  }

  private kindOfBase(b: number): TruthKind {
    return TRUTH_KINDS[pick(this.kindCum, unitOf(b, P.kind))]!;
  }

  /** True when entry `i` of the target has no address (reason 7). */
  isMissing(i: number): boolean {
    return unitOf(baseHash(this.seed, i), P.missing) < this.settings.missingRate;
  }

  /** Index of the earlier entry whose address entry `i` repeats (reason 10), or -1. */
  duplicateOf(i: number): number {
    const b = baseHash(this.seed, i);
    if (i === 0 || this.isMissing(i) || unitOf(b, P.duplicate) >= this.settings.duplicateRate) return -1;
    for (let k = 0; k < 4; k++) {
      const j = Math.floor(unitOf(b, P.duplicateTarget + 100 * k) * i);
      if (!this.isMissing(j) && this.duplicateOf(j) === -1) return j;
    }
    return -1;
  }

  /** The address recipient `i` owns (ignoring missing/duplicate): unique, ends with the index token. */
  canonicalAddress(i: number): string {
    if (i === this.lastIndex && i >= 0) return this.lastAddress;
    const address = this.buildAddress(i);
    if (i >= 0 && i < this.size) {
      this.lastIndex = i;
      this.lastAddress = address;
    }
    return address;
  }

  private buildAddress(i: number): string {
    const b = baseHash(this.seed, i);
    const { first, last } = this.pools;
    const f = first[hashOf(b, P.first) % first.length]!;
    const l = last[hashOf(b, P.last) % last.length]!;
    const token = i.toString(36);
    const fmt = hashOf(b, P.format) & 3;
    const local =
      fmt === 0 ? `${f}${l}.${token}` : fmt === 1 ? `${f[0]}.${l}.${token}` : `${f}.${l}.${token}`;
    return `${local}@${this.domainOfBase(b)}`;
  }

  /** Domain of recipient `i`'s own address (a non-resolving `.invalid` name for `invalidDomain`). */
  canonicalDomain(i: number): string {
    return this.domainOfBase(baseHash(this.seed, i));
  }

  private domainOfBase(b: number): string {
    const e = this.domainEntries[pick(this.domainCum, unitOf(b, P.domain))]!;
    const domain = e.fixed ?? `${e.pre}${1 + (hashOf(b, P.domainN) % e.count)}${e.post}`;
    if (this.kindOfBase(b) !== 'invalidDomain') return domain;
    const label = domain.slice(0, domain.indexOf('.'));
    return `${label}${INVALID_SUFFIXES[hashOf(b, P.invalid) % INVALID_SUFFIXES.length]}.invalid`;
  }

  /** The address of target entry `i` as the core sees it: '' when missing, an earlier address when a duplicate. */
  addressOf(i: number): string {
    if (this.isMissing(i)) return '';
    const j = this.duplicateOf(i);
    return this.canonicalAddress(j === -1 ? i : j);
  }

  /** Index whose address and truth entry `i` carries: the earlier entry it repeats, else `i` (cheap). */
  ownerOf(i: number): number {
    if (this.isMissing(i)) return i;
    const j = this.duplicateOf(i);
    return j === -1 ? i : j;
  }

  /**
   * The reason a typology rule excludes recipient `i` with at preparation (SPEC §3: 11 SQL rule, 12
   * arbitration, 14 bad-quality address, 15 unqualified address, 16 not eligible for the offers),
   * drawn from `settings.typology`; null when none does. One draw, the reasons' rates stacked.
   */
  typologyOf(i: number): 11 | 12 | 14 | 15 | 16 | null {
    const t = this.settings.typology;
    const total = t.sqlRule + t.arbitration + t.badQuality + t.unqualified + t.notEligible;
    if (total === 0) return null;
    const u = unitOf(baseHash(this.seed, i), P.typology);
    if (u >= total) return null;
    if (u < t.sqlRule) return 11;
    if (u < t.sqlRule + t.arbitration) return 12;
    if (u < t.sqlRule + t.arbitration + t.badQuality) return 14;
    if (u < total - t.notEligible) return 15;
    return 16;
  }

  /** `truth(i).controlGroup` without building the truth (allocation-free, for streaming targets). */
  inControlGroup(i: number): boolean {
    return unitOf(baseHash(this.seed, i), P.control) < this.settings.controlGroupRate;
  }

  /** `truth(i).complainer` without building the truth (allocation-free). */
  isComplainer(i: number): boolean {
    return unitOf(baseHash(this.seed, i), P.complainer) < this.settings.complainers.rate;
  }

  /** `truth(i).initialStatus` without building the truth (allocation-free). */
  initialStatusOf(i: number): InitialStatus {
    return this.initialOfBase(baseHash(this.seed, i));
  }

  private initialOfBase(b: number): InitialStatus {
    const u = unitOf(b, P.initial);
    const q = this.settings.initial;
    return u < q.quarantine
      ? 'quarantine'
      : u < q.quarantine + q.denylisted
        ? 'denylisted'
        : u < q.quarantine + q.denylisted + q.allowlisted
          ? 'allowlisted'
          : 'valid';
  }

  /** Full truth of the recipient who owns address index `i`. */
  truth(i: number): RecipientTruth {
    const s = this.settings;
    const b = baseHash(this.seed, i);
    const kind = this.kindOfBase(b);
    let recoversAtMs = 0;
    if (kind === 'mailboxFull' || kind === 'disabled') {
      const r = kind === 'mailboxFull' ? s.mailboxFullRecovery : s.disabledRecovery;
      recoversAtMs = r.minMs + Math.floor(unitOf(b, P.recover) * (r.maxMs - r.minMs));
    }
    const complainer = unitOf(b, P.complainer) < s.complainers.rate;
    const d = s.complainers.delay;
    const initialStatus = this.initialOfBase(b);
    const priorErrorText =
      initialStatus === 'quarantine'
        ? s.priorErrorTexts[hashOf(b, P.prior) % s.priorErrorTexts.length]!.replaceAll('*', () =>
            this.canonicalAddress(i),
          )
        : '';
    return {
      kind,
      recoversAtMs,
      complainer,
      complaintProbability: complainer ? s.complainers.probability : 0,
      complaintDelayMs: complainer
        ? d.minMs + Math.floor(unitOf(b, P.complaintDelay) * (d.maxMs - d.minMs))
        : 0,
      initialStatus,
      priorErrorText,
      controlGroup: unitOf(b, P.control) < s.controlGroupRate,
    };
  }

  /** Target entry `i` with its address and truth (a duplicate carries the truth of the address it repeats). */
  recipient(i: number): Recipient {
    if (i < 0 || i >= this.size || !Number.isInteger(i))
      throw new RangeError(`recipient index ${i} outside 0..${this.size - 1}`);
    const missing = this.isMissing(i);
    const dup = missing ? -1 : this.duplicateOf(i);
    const owner = dup === -1 ? i : dup;
    const address = missing ? '' : this.canonicalAddress(owner);
    return {
      index: i,
      address,
      domain: missing ? '' : address.slice(address.lastIndexOf('@') + 1),
      duplicateOf: dup,
      truth: this.truth(owner),
    };
  }

  /** Streams target entries `from` (inclusive) to `to` (exclusive), one object at a time. */
  *recipients(from = 0, to = this.size): Generator<Recipient> {
    for (let i = Math.max(0, from); i < Math.min(to, this.size); i++) yield this.recipient(i);
  }

  /** Index of the recipient owning `address`, or -1 (strangers, magic local parts, ''). Case-sensitive. */
  indexOf(address: string): number {
    if (address === this.lastAddress && this.lastIndex >= 0) return this.lastIndex;
    const at = address.lastIndexOf('@');
    if (at <= 0) return -1;
    const dot = address.lastIndexOf('.', at);
    if (dot < 0) return -1;
    const i = parseBase36(address, dot + 1, at);
    if (i < 0 || i >= this.size) return -1;
    return this.owns(i, address, dot, at) ? i : -1;
  }

  /** Compares `address` with `canonicalAddress(i)` piece by piece, without building the string. */
  private owns(i: number, address: string, dot: number, at: number): boolean {
    const b = baseHash(this.seed, i);
    const { first, last } = this.pools;
    const f = first[hashOf(b, P.first) % first.length]!;
    const l = last[hashOf(b, P.last) % last.length]!;
    const fmt = hashOf(b, P.format) & 3;
    let pos: number;
    if (fmt === 0) {
      if (!address.startsWith(f, 0) || !address.startsWith(l, f.length)) return false;
      pos = f.length + l.length;
    } else if (fmt === 1) {
      if (
        address.charCodeAt(0) !== f.charCodeAt(0) ||
        address.charCodeAt(1) !== 46 ||
        !address.startsWith(l, 2)
      )
        return false;
      pos = 2 + l.length;
    } else {
      if (
        !address.startsWith(f, 0) ||
        address.charCodeAt(f.length) !== 46 ||
        !address.startsWith(l, f.length + 1)
      )
        return false;
      pos = f.length + 1 + l.length;
    }
    if (pos !== dot) return false;
    const domain = this.domainOfBase(b);
    return address.length - at - 1 === domain.length && address.endsWith(domain);
  }

  /** Truth of the recipient owning `address`, or null when no recipient owns it. */
  truthOf(address: string): RecipientTruth | null {
    const i = this.indexOf(address);
    return i === -1 ? null : this.truth(i);
  }
}

/** Builds a streamed population. */
export function createPopulation(opts: PopulationOptions): Population {
  return new Population(opts);
}

function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error('weights must sum to more than 0');
  const cum = new Float64Array(weights.length);
  let acc = 0;
  for (let k = 0; k < weights.length; k++) {
    acc += weights[k]!;
    cum[k] = acc / total;
  }
  cum[weights.length - 1] = 1;
  return cum;
}

/** Index of the first cumulative share above `u` (binary search). */
function pick(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < cum[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function parseBase36(s: string, from: number, to: number): number {
  if (to <= from || to - from > 10) return -1;
  let n = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1;
    if (d < 0) return -1;
    n = n * 36 + d;
  }
  return n;
}
