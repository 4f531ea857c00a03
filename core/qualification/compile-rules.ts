/**
 * Compiles an ordered rule set ONCE into a matcher. A regex rule is split at its top-level `|` into
 * alternatives (`/A|B/.test(t)` is `/A/.test(t) || /B/.test(t)` when no backreference crosses
 * them); each alternative, and each `contains` string, is one tag of a single case-insensitive
 * Aho-Corasick automaton, reached by its required literal. One pass over the text yields the tags
 * found; their rules, merged in rule order with the rules that need no literal (code / enhanced-code
 * / phase rules, alternatives without a literal), are checked in order (phase, code, enhanced code and
 * domain first, the text last) and the first that passes wins. Only the alternatives whose literal
 * occurs are tested, and an alternative that is a plain literal needs no regex at all. No allocation
 * per match.
 */
import type { SmtpPhase } from '../types.ts';
import { AhoCorasick, exactPattern } from './aho-corasick.ts';
import { pureLiteral, requiredLiterals, topLevelAlternatives } from './literal-prefilter.ts';
import { PHASES, type Rule } from './rule-schema.ts';

/** Bit of a phase in a rule's phase mask. */
export const PHASE_BIT: Readonly<Record<SmtpPhase, number>> = Object.fromEntries(
  PHASES.map((p, i) => [p, 1 << i]),
) as Record<SmtpPhase, number>;

const TextKind = { None: 0, Contains: 1, ContainsCaseSensitive: 2, Regex: 3, ContainsNonAscii: 4 } as const;

/** The automaton's case folding: each UTF-16 unit to its lower case when that is one unit. */
function foldUnits(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const l = text[i]!.toLowerCase();
    out += l.length === 1 ? l : text[i]!;
  }
  return out;
}

/** Parses a code restriction (`550`, `5xx`, `55x`, `500-559`) into an inclusive range. */
export function codeRange(spec: number | string): [number, number] {
  if (typeof spec === 'number') return [spec, spec];
  const s = spec.replace(/\s+/g, '').toLowerCase();
  if (s.includes('-')) {
    const [a, b] = s.split('-').map(Number) as [number, number];
    return a <= b ? [a, b] : [b, a];
  }
  if (s.endsWith('xx')) return [Number(s[0]) * 100, Number(s[0]) * 100 + 99];
  if (s.endsWith('x')) return [Number(s.slice(0, 2)) * 10, Number(s.slice(0, 2)) * 10 + 9];
  return [Number(s), Number(s)];
}

function enhancedTriple(spec: string): [number, number, number] {
  return spec.split('.').map((p) => (p === '*' || p.toLowerCase() === 'x' ? -1 : Number(p))) as [
    number,
    number,
    number,
  ];
}

/** Parses `5.1.1` into its three numbers, or null. */
export function splitEnhanced(enhanced: string | null): [number, number, number] | null {
  if (!enhanced) return null;
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(enhanced);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/**
 * Reads `5.1.1` into `out[0..2]` without allocating; false (and `out` untouched) when `enhanced` is
 * null or not a code (same acceptance as {@link splitEnhanced}).
 */
export function readEnhancedParts(enhanced: string | null, out: Int32Array): boolean {
  if (!enhanced) return false;
  const n = enhanced.length;
  const c0 = enhanced.charCodeAt(0);
  if ((c0 !== 50 && c0 !== 52 && c0 !== 53) || n < 5 || enhanced.charCodeAt(1) !== 46) return false;
  let i = 2;
  let a = 0;
  let k = 0;
  for (; i < n && k < 4; i++, k++) {
    const d = enhanced.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    a = a * 10 + d;
  }
  if (k < 1 || k > 3 || i >= n || enhanced.charCodeAt(i) !== 46) return false;
  i++;
  let b = 0;
  k = 0;
  for (; i < n && k < 4; i++, k++) {
    const d = enhanced.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    b = b * 10 + d;
  }
  if (k < 1 || k > 3 || i !== n) return false;
  out[0] = c0 - 48;
  out[1] = a;
  out[2] = b;
  return true;
}

interface DomainMask {
  exact: string[];
  suffix: string[];
  any: boolean;
}

const BACKREFERENCE = /\\(?:[1-9]|k<)/;
/** Kelvin sign: lower-cases to `k` (so the automaton folds it) but `/k/i` does not match it. */
const KELVIN = '\u212a';

/** The compiled form of an ordered rule set. */
export class CompiledRules {
  readonly rules: readonly Rule[];
  /** true when some rule restricts domains (the domain then belongs to cache keys) */
  readonly usesDomains: boolean;
  private readonly ac: AhoCorasick;
  private readonly kind: Uint8Array;
  private readonly phaseMask: Int32Array;
  private readonly codeMask: (Uint8Array | null)[];
  private readonly classOk: (Uint8Array | null)[];
  private readonly enh: (Int16Array | null)[];
  private readonly domain: (DomainMask | null)[];
  private readonly csContains: (string[] | null)[];
  /** alternatives of rule r: altStart[r] .. altStart[r + 1] - 1 */
  private readonly altStart: Int32Array;
  private readonly altRule: Int32Array;
  /** the alternative's own regex (null for a `contains` string) */
  private readonly altRegex: (RegExp | null)[];
  /** 2: found means matched; 1: the same unless the text holds a Kelvin sign; 0: test the regex */
  private readonly altExact: Uint8Array;
  /** 1: no literal, tested whenever its rule is a candidate */
  private readonly altAlways: Uint8Array;
  private readonly always: Int32Array;
  private readonly foundAlts: Int32Array;
  private readonly altSeen: Uint32Array;
  private readonly foundRules: Int32Array;
  private readonly ruleSeen: Uint32Array;
  private stamp = 0;
  /** per match: -1 not looked at yet, 0 no Kelvin sign in the text, 1 one */
  private kelvin = -1;

  constructor(rules: readonly Rule[]) {
    this.rules = rules;
    const n = rules.length;
    this.kind = new Uint8Array(n);
    this.phaseMask = new Int32Array(n);
    this.codeMask = new Array(n).fill(null);
    this.classOk = new Array(n).fill(null);
    this.enh = new Array(n).fill(null);
    this.domain = new Array(n).fill(null);
    this.csContains = new Array(n).fill(null);
    this.altStart = new Int32Array(n + 1);
    const altRule: number[] = [];
    const altRegex: (RegExp | null)[] = [];
    const altExact: number[] = [];
    const altAlways: number[] = [];
    const literalTags = new Map<string, number[]>();
    const addLiteral = (lit: string, alt: number) => {
      const key = lit.toLowerCase();
      const tags = literalTags.get(key);
      if (!tags) literalTags.set(key, [alt]);
      else if (!tags.includes(alt)) tags.push(alt);
    };
    const always: number[] = [];
    rules.forEach((r, i) => {
      this.altStart[i] = altRule.length;
      if (r.phases) for (const p of r.phases) this.phaseMask[i]! |= PHASE_BIT[p];
      if (r.codes) {
        const mask = new Uint8Array(400);
        const cls = new Uint8Array(6);
        for (const spec of r.codes) {
          const [a, b] = codeRange(spec);
          for (let c = Math.max(a, 200); c <= Math.min(b, 599); c++) mask[c - 200] = 1;
          if (a % 100 === 0 && b === a + 99) cls[a / 100] = 1;
        }
        this.codeMask[i] = mask;
        this.classOk[i] = cls;
      }
      if (r.enhanced) this.enh[i] = Int16Array.from(r.enhanced.flatMap(enhancedTriple));
      if (r.domains) {
        const d: DomainMask = { exact: [], suffix: [], any: false };
        for (const m of r.domains.map((x) => x.toLowerCase())) {
          if (m === '*') d.any = true;
          else if (m.startsWith('*.')) d.suffix.push(m.slice(1));
          else d.exact.push(m);
        }
        this.domain[i] = d;
      }
      const flags = r.caseSensitive ? '' : 'i';
      if (r.contains) {
        // a non-ASCII string is found by the automaton up to its character classes: check it
        const exact = r.contains.every(exactPattern);
        this.kind[i] = r.caseSensitive
          ? TextKind.ContainsCaseSensitive
          : exact
            ? TextKind.Contains
            : TextKind.ContainsNonAscii;
        if (r.caseSensitive) this.csContains[i] = r.contains;
        else if (!exact) this.csContains[i] = r.contains.map((c) => c.toLowerCase());
        const alt = altRule.length;
        altRule.push(i);
        altRegex.push(null);
        altExact.push(r.caseSensitive ? 0 : 2);
        altAlways.push(0);
        for (const c of r.contains) addLiteral(c, alt);
      } else if (r.regex !== undefined) {
        this.kind[i] = TextKind.Regex;
        let parts = BACKREFERENCE.test(r.regex) ? [r.regex] : topLevelAlternatives(r.regex);
        let compiled: RegExp[];
        try {
          compiled = parts.map((p) => new RegExp(p, flags));
        } catch {
          parts = [r.regex];
          compiled = [new RegExp(r.regex, flags)];
        }
        let needsAlways = false;
        parts.forEach((src, k) => {
          const alt = altRule.length;
          altRule.push(i);
          altRegex.push(compiled[k]!);
          const pure = r.caseSensitive ? null : pureLiteral(src);
          const lits = pure ? [pure] : requiredLiterals(src);
          altExact.push(pure ? 1 : 0);
          altAlways.push(lits ? 0 : 1);
          if (lits) for (const l of lits) addLiteral(l, alt);
          else needsAlways = true;
        });
        if (needsAlways) always.push(i);
      } else always.push(i);
    });
    const nAlts = altRule.length;
    this.altStart[n] = nAlts;
    this.altRule = Int32Array.from(altRule);
    this.altRegex = altRegex;
    this.altExact = Uint8Array.from(altExact);
    this.altAlways = Uint8Array.from(altAlways);
    this.usesDomains = rules.some((r) => r.domains !== undefined);
    this.ac = new AhoCorasick([...literalTags.keys()], [...literalTags.values()]);
    this.always = Int32Array.from(always);
    this.foundAlts = new Int32Array(Math.max(nAlts, 1));
    this.altSeen = new Uint32Array(Math.max(nAlts, 1));
    this.foundRules = new Int32Array(Math.max(n, 1));
    this.ruleSeen = new Uint32Array(Math.max(n, 1));
  }

  /**
   * The domain rules that accept `domain` (lower case), as a string of rule indices: two domains with
   * the same signature get the same result from every text, so a cache can share their entries.
   */
  domainSignature(domain: string): string {
    let sig = '';
    for (let r = 0; r < this.rules.length; r++) {
      const dm = this.domain[r];
      if (dm && !dm.any && this.domainPasses(dm, domain)) sig += `${r},`;
    }
    return sig;
  }

  private domainPasses(dm: DomainMask, domain: string): boolean {
    if (dm.any) return true;
    if (!domain) return false;
    return dm.exact.includes(domain) || dm.suffix.some((s) => domain.endsWith(s));
  }

  /** number of candidate-finding automaton states (for benchmarks) */
  get automatonStates(): number {
    return this.ac.states;
  }

  /**
   * Index of the first rule that matches, or -1. `code` is 0 when unknown; `e0..e2` are the enhanced
   * code parts (-1 when none); `domain` is lower case ('' when unknown).
   */
  match(
    text: string,
    code: number,
    e0: number,
    e1: number,
    e2: number,
    phase: SmtpPhase,
    domain: string,
  ): number {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.altSeen.fill(0);
      this.ruleSeen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    this.kelvin = -1;
    const nf = this.ac.scan(text, this.foundAlts, this.altSeen, stamp);
    const foundAlts = this.foundAlts;
    const altRule = this.altRule;
    const found = this.foundRules;
    const ruleSeen = this.ruleSeen;
    let nr = 0;
    for (let i = 0; i < nf; i++) {
      const r = altRule[foundAlts[i]!]!;
      if (ruleSeen[r] !== stamp) {
        ruleSeen[r] = stamp;
        // insertion sort: a handful of candidates per text
        let j = nr++;
        while (j > 0 && found[j - 1]! > r) {
          found[j] = found[j - 1]!;
          j--;
        }
        found[j] = r;
      }
    }
    const always = this.always;
    const phaseBit = PHASE_BIT[phase];
    let i = 0;
    let j = 0;
    while (i < nr || j < always.length) {
      let r: number;
      if (j >= always.length || (i < nr && found[i]! < always[j]!)) r = found[i++]!;
      else {
        r = always[j++]!;
        if (i < nr && found[i] === r) i++;
      }
      if (this.passes(r, text, code, e0, e1, e2, phaseBit, domain)) return r;
    }
    return -1;
  }

  private noKelvin(text: string): boolean {
    if (this.kelvin < 0) this.kelvin = text.includes(KELVIN) ? 1 : 0;
    return this.kelvin === 0;
  }

  private passes(
    r: number,
    text: string,
    code: number,
    e0: number,
    e1: number,
    e2: number,
    phaseBit: number,
    domain: string,
  ): boolean {
    const pm = this.phaseMask[r]!;
    if (pm !== 0 && (pm & phaseBit) === 0) return false;
    const cm = this.codeMask[r];
    if (cm) {
      if (code >= 200 && code <= 599) {
        if (cm[code - 200] === 0) return false;
      } else if (e0 < 0 || this.classOk[r]![e0] === 0) return false;
    }
    const en = this.enh[r];
    if (en) {
      if (e0 < 0) return false;
      let ok = false;
      for (let k = 0; k < en.length && !ok; k += 3)
        ok =
          (en[k]! < 0 || en[k] === e0) &&
          (en[k + 1]! < 0 || en[k + 1] === e1) &&
          (en[k + 2]! < 0 || en[k + 2] === e2);
      if (!ok) return false;
    }
    const dm = this.domain[r];
    if (dm && !this.domainPasses(dm, domain)) return false;
    switch (this.kind[r]) {
      case TextKind.ContainsCaseSensitive:
        return this.csContains[r]!.some((c) => text.includes(c));
      case TextKind.ContainsNonAscii: {
        const folded = foldUnits(text);
        return this.csContains[r]!.some((c) => folded.includes(c));
      }
      case TextKind.Regex: {
        const stamp = this.stamp;
        const end = this.altStart[r + 1]!;
        for (let a = this.altStart[r]!; a < end; a++) {
          if (this.altSeen[a] === stamp) {
            if (this.altExact[a] === 1 && this.noKelvin(text)) return true;
          } else if (this.altAlways[a] === 0) continue;
          if (this.altRegex[a]!.test(text)) return true;
        }
        return false;
      }
      default:
        return true;
    }
  }
}
