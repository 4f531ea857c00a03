/**
 * Any address can play any recipient truth in serve mode, so a profile's windows (which usually hit
 * truth `valid` only) and its truth scripts apply to a user's own test addresses: a truth file
 * (`--truth FILE`, CSV `address,truth`, an optional header line, `#` comments) and a local-part
 * convention, `truth-<kind>[-anything]@domain` (`truth-valid-alice@gmail.com`,
 * `truth-mailboxFullPermanent@yahoo.com`; kinds case-insensitive). The order: the file, then the
 * scenario's population, then the convention; anything else stays a stranger.
 */
import { type RecipientTruth, TRUTH_KINDS, type TruthKind } from '../population/truth.ts';

const BY_LOWER = new Map<string, TruthKind>(TRUTH_KINDS.map((k) => [k.toLowerCase(), k]));

/** A truth as a serve recipient plays it: no complaints, temporary states that never recover. */
export function truthOfKind(kind: TruthKind): RecipientTruth {
  const temporary = kind === 'mailboxFull' || kind === 'disabled';
  return {
    kind,
    recoversAtMs: temporary ? Number.MAX_SAFE_INTEGER : 0,
    complainer: false,
    complaintProbability: 0,
    complaintDelayMs: 0,
    initialStatus: 'valid',
    priorErrorText: '',
    controlGroup: false,
  };
}

/** The truth a local part `truth-<kind>[-…]` names, or null. */
export function truthOfLocalPart(address: string): TruthKind | null {
  const at = address.lastIndexOf('@');
  const local = (at < 0 ? address : address.slice(0, at)).toLowerCase();
  if (!local.startsWith('truth-')) return null;
  const rest = local.slice(6);
  const dash = rest.indexOf('-');
  return BY_LOWER.get(dash < 0 ? rest : rest.slice(0, dash)) ?? null;
}

/** An error in a truth file that names its place (`file:line`). */
export class TruthFileError extends Error {
  readonly code = 'MXLAB_TRUTH_FILE';
}

/** Parses a truth file (see the file comment): lower-case address → truth. */
export function parseTruthFile(text: string, file: string): Map<string, TruthKind> {
  const out = new Map<string, TruthKind>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    if (i === 0 && cells[0]?.toLowerCase() === 'address') return;
    const where = `${file}:${i + 1}`;
    if (cells.length !== 2 || !cells[0]!.includes('@'))
      throw new TruthFileError(`${where}: expected "address,truth", got '${line}'`);
    const kind = BY_LOWER.get(cells[1]!.toLowerCase());
    if (kind === undefined)
      throw new TruthFileError(`${where}: unknown truth '${cells[1]}' (one of ${TRUTH_KINDS.join(', ')})`);
    out.set(cells[0]!.toLowerCase(), kind);
  });
  return out;
}

/** The population serve's brains ask: the file, the scenario's population, the convention. */
export function serveTruths(
  file: ReadonlyMap<string, TruthKind> | null,
  population?: { truthOf(address: string): RecipientTruth | null },
): { truthOf(address: string): RecipientTruth | null } {
  const made = new Map<TruthKind, RecipientTruth>();
  const of = (k: TruthKind) => {
    let t = made.get(k);
    if (t === undefined) {
      t = truthOfKind(k);
      made.set(k, t);
    }
    return t;
  };
  return {
    truthOf(address: string): RecipientTruth | null {
      const listed = file?.get(address.toLowerCase());
      if (listed !== undefined) return of(listed);
      const known = population?.truthOf(address) ?? null;
      if (known !== null) return known;
      const named = truthOfLocalPart(address);
      return named === null ? null : of(named);
    },
  };
}

/** Run time as `dayN HH:MM[:SS]`. */
export function formatDayTime(ms: number): string {
  const day = Math.floor(ms / 86_400_000) + 1;
  const rest = ms % 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  const m = Math.floor((rest % 3_600_000) / 60_000);
  const s = Math.floor((rest % 60_000) / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `day${day} ${two(h)}:${two(m)}${s ? `:${two(s)}` : ''}`;
}

/** One line per time window of the profiles: when, what, and whom it hits. */
export function formatWindows(
  profiles: readonly {
    name: string;
    windows: readonly {
      name?: string;
      from: number;
      to: number;
      action: string;
      phase: string;
      reply?: string;
      truths?: readonly string[];
      domains?: readonly string[];
      probability: number;
    }[];
  }[],
): string {
  const lines: string[] = [];
  for (const p of profiles)
    p.windows.forEach((w, i) => {
      const what = w.action === 'reply' ? `${w.phase} '${w.reply ?? ''}'` : `${w.action} at ${w.phase}`;
      const who = w.truths ? `truths ${w.truths.join(',')}` : 'every recipient';
      const where = w.domains ? ` on ${w.domains.join(',')}` : '';
      const p100 = w.probability < 1 ? ` (p ${w.probability})` : '';
      lines.push(
        `window: ${p.name} ${w.name ?? `#${i + 1}`} ${formatDayTime(w.from)} -> ${formatDayTime(w.to)}: ${what}, ${who}${where}${p100}`,
      );
    });
  if (lines.length === 0) lines.push('window: none (no profile has a time window)');
  return `${lines.join('\n')}\n`;
}
