/**
 * Required-literal extraction from a regular expression, so the compiled matcher can find candidate
 * regex rules with the same single Aho-Corasick pass as the plain `contains` rules and test only
 * those regexes. Conservative: when in doubt it returns null and the regex is always tested.
 */

const MIN_LITERAL = 2;

/** Splits a pattern at its top-level `|` (escapes, groups and classes respected). */
export function topLevelAlternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(start, i));
      start = i + 1;
    }
  }
  out.push(src.slice(start));
  return out;
}

/**
 * Literals, any of which every match of `alt` must contain (lower case), or null. Prefers the longest
 * run of plain characters; else the literals of a mandatory group (one per alternative of the group).
 */
function requiredOfAlternative(alt: string): string[] | null {
  let best = '';
  let run = '';
  let groupBest: string[] | null = null;
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < alt.length; i++) {
    const c = alt[i]!;
    let lit: string | null = null;
    if (c === '\\') {
      const n = alt[i + 1] ?? '';
      i++;
      if (/[A-Za-z0-9]/.test(n)) {
        end();
        continue;
      }
      lit = n;
    } else if (c === '(') {
      end();
      const start = i + 1;
      let depth = 1;
      let inClass = false;
      for (i++; i < alt.length && depth > 0; i++) {
        const d = alt[i];
        if (d === '\\') i++;
        else if (inClass) inClass = d !== ']';
        else if (d === '[') inClass = true;
        else if (d === '(') depth++;
        else if (d === ')') depth--;
      }
      // alt[i - 1] is the closing parenthesis; the group is mandatory unless a quantifier allows zero
      const inner = alt.slice(start, i - 1);
      const next = alt[i];
      i--;
      if (next === '?' || next === '*' || next === '{') continue;
      if (/^\?(?:[=!]|<[=!])/.test(inner)) continue;
      const body = inner.replace(/^\?(?::|<[A-Za-z_]\w*>)/, '');
      const lits = requiredLiterals(body);
      if (lits && (!groupBest || minLen(lits) > minLen(groupBest))) groupBest = lits;
      continue;
    } else if (c === '[') {
      end();
      for (i++; i < alt.length && alt[i] !== ']'; i++) if (alt[i] === '\\') i++;
      continue;
    } else if (c === '?' || c === '*' || c === '{') {
      // the previous atom is optional (or repeated a number of times we do not read): drop it
      run = run.slice(0, -1);
      end();
      if (c === '{') while (i < alt.length && alt[i] !== '}') i++;
      if (alt[i + 1] === '?') i++;
      continue;
    } else if (c === '+') {
      end();
      if (alt[i + 1] === '?') i++;
      continue;
    } else if (c === '.' || c === '^' || c === '$' || c === ')' || c === '|') {
      end();
      continue;
    } else lit = c;
    if (lit.charCodeAt(0) > 0x7f && !foldsLikeRegex(lit)) {
      end();
      continue;
    }
    run += lit.toLowerCase();
  }
  end();
  if (best.length >= MIN_LITERAL && (!groupBest || best.length >= minLen(groupBest))) return [best];
  return groupBest ?? (best.length >= MIN_LITERAL ? [best] : null);
}

/** A regex's case-insensitive canonical form of one UTF-16 unit (ECMA-262 Canonicalize, non-unicode mode). */
function canonicalize(c: string): string {
  const u = c.toUpperCase();
  if (u.length !== 1) return c;
  if (c.charCodeAt(0) >= 128 && u.charCodeAt(0) < 128) return c;
  return u;
}

/** canonical form → the one lower case its characters share, or '' when they differ (built once) */
let foldClasses: Map<string, string> | null = null;

/**
 * True when a non-ASCII character can stand in a literal: every character that `/c/i` matches
 * lower-cases to what `c` lower-cases to, so the automaton (which lower-cases the text) finds the
 * literal in every text the regex matches. True for caseless scripts (CJK, kana) and ordinary
 * Cyrillic or accented Latin letters; false for Greek sigma (σ, ς, Σ) and the like. The classes of the
 * Basic Multilingual Plane are built once, on first use.
 */
function foldsLikeRegex(c: string): boolean {
  if (c.length !== 1) return false;
  if (!foldClasses) {
    foldClasses = new Map();
    for (let y = 0; y <= 0xffff; y++) {
      if (y >= 0xd800 && y <= 0xdfff) continue;
      const ch = String.fromCharCode(y);
      const canon = canonicalize(ch);
      const lower = ch.toLowerCase();
      const seen = foldClasses.get(canon);
      if (seen === undefined) foldClasses.set(canon, lower);
      else if (seen !== lower) foldClasses.set(canon, '');
    }
  }
  return foldClasses.get(canonicalize(c)) === c.toLowerCase();
}

function minLen(lits: readonly string[]): number {
  let m = Number.POSITIVE_INFINITY;
  for (const l of lits) m = Math.min(m, l.length);
  return m;
}

/**
 * Literals, one per top-level alternative, at least one of which appears (case-insensitively) in
 * every text the regex matches; null when some alternative has no literal of 2+ characters.
 */
export function requiredLiterals(src: string): string[] | null {
  const lits: string[] = [];
  for (const alt of topLevelAlternatives(src)) {
    const got = requiredOfAlternative(alt);
    if (!got) return null;
    for (const l of got) if (!lits.includes(l)) lits.push(l);
  }
  return lits;
}

const SPECIAL = new Set('\\^$.|?*+()[]{}'.split(''));

/**
 * The text a regex alternative matches when it is a plain literal (ASCII characters other than
 * `\^$.|?*+()[]{}`, and escaped punctuation), lower case; else null. Such an alternative matches a
 * text case-insensitively exactly when the automaton finds the literal, except for a Kelvin sign
 * (U+212A) in the text, which lower-cases to `k` but which `/k/i` does not match.
 */
export function pureLiteral(src: string): string | null {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    let c = src[i]!;
    if (c === '\\') {
      c = src[++i] ?? '';
      if (!/^[!-/:-@[-`{-~]$/.test(c)) return null;
    } else if (SPECIAL.has(c)) return null;
    if (c.charCodeAt(0) > 0x7e || c.charCodeAt(0) < 0x20) return null;
    out += c;
  }
  return out.length > 0 ? out.toLowerCase() : null;
}
