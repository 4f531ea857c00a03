/**
 * The shaper's paths: a path is (recipient domain, local IP, MX IP), what the MTA routes a message
 * to. Per path id: its domain, link, bucket and pair ids, its MX rule and its MX preference.
 */
import { growF64, growI32 } from '../grow.ts';
import type { MxRule } from './mx-rules.ts';

export class PathTable {
  domain = new Int32Array(16);
  link = new Int32Array(16);
  bucket = new Int32Array(16);
  pair = new Int32Array(16);
  /** the rule of each path, from the set in force when it was made (a refresh makes new paths) */
  readonly rule: MxRule[] = [];
  /** MX preference of the path's host */
  pref = new Float64Array(16);
  size = 0;

  /** Adds a path; returns its id. */
  add(domain: number, link: number, bucket: number, pair: number, rule: MxRule, pref: number): number {
    const p = this.size++;
    const n = p + 1;
    this.domain = growI32(this.domain, n);
    this.link = growI32(this.link, n);
    this.bucket = growI32(this.bucket, n);
    this.pair = growI32(this.pair, n);
    this.pref = growF64(this.pref, n);
    this.domain[p] = domain;
    this.link[p] = link;
    this.bucket[p] = bucket;
    this.pair[p] = pair;
    this.rule[p] = rule;
    this.pref[p] = pref;
    return p;
  }
}
