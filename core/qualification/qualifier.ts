/**
 * The qualifier: turns what a remote server said (a reply, a transport error, a DNS failure or a
 * bounce-mail diagnostic) into a Campaign qualification (SPEC §2, §3, §6). Legacy mode uses the
 * ordered inbound email rules; enhanced mode first classifies sync replies into a Momentum bounce
 * class and maps the class to a Campaign reason (async and DNS still go through the inbound rules).
 *
 * Results are shared frozen objects: do not mutate them (copy with `{ ...q }`).
 */
import type { MessageReply, TransportErrorKind } from '../ports.ts';
import { parseReply } from '../reply/parse-reply.ts';
import type {
  Disposition,
  FailureType,
  Impact,
  ParsedReply,
  Qualification,
  QualificationMode,
  SmtpPhase,
} from '../types.ts';
import { CompiledRules, readEnhancedParts } from './compile-rules.ts';
import { type MomentumClassMap, momentumRuleName } from './momentum-classes.ts';
import { codeDisposition, DEFAULT_NO_IMPACT_REASONS, legacyDisposition, resolveImpact } from './outcome.ts';
import type { Rule, RuleSet } from './rule-schema.ts';
import { SlotCache } from './slot-cache.ts';

/** A parsed reply's memo entry: the result and the code/enhanced/parseable packing it was computed for. */
interface ParsedEntry {
  readonly head: number;
  readonly q: Qualification;
}

/** Where a reply came from. */
export interface QualifyContext {
  /** default: the reply's own `phase`, else `rcpt` (`async` for `qualifyText`) */
  phase?: SmtpPhase;
  /** recipient domain, for domain-restricted rules */
  domain?: string;
}

/** A `MessageReply` or anything shaped like it. */
export type MessageReplyLike = Pick<MessageReply, 'reply'> &
  Partial<Pick<MessageReply, 'phase' | 'transportError'>>;

/** Settings of a qualifier. Every default of SPEC §6 is here. */
export interface QualifierOptions {
  mode: QualificationMode;
  /** inbound email rules (node/qualifier.ts's `createQualifier` defaults them to the shipped `rules/default/`) */
  rules: RuleSet;
  /** enhanced mode (required there): bounce-class rules, e.g. the shipped `rules/momentum-bounce-rules.yaml` */
  bounceRules?: RuleSet;
  /** enhanced mode (required there): class → Campaign mapping, e.g. the shipped `rules/momentum-classes.yaml` */
  classes?: MomentumClassMap;
  /**
   * Soft reasons whose impact is none when a rule gives none (SPEC §5 turn 2, §6.3); default [20]
   * (the quarantine settings' `uncountedSoftReasons`)
   */
  noImpactReasons?: readonly number[];
  /**
   * enhanced mode: the Enhanced MTA qualifies sync replies with its bounce classes and hands them
   * back through webhooks (default true); false: without webhooks, sync bounces go through the
   * inbound email rules too (SPEC §6.2)
   */
  syncBounceClasses?: boolean;
  /** distinct (reply, phase, domain) results kept; default 20,000; 0 turns the cache off */
  cacheSize?: number;
  /** outcome of transport errors (transient); default Soft / Unreachable, impact from `noImpactReasons` */
  transportOutcome?: { type: FailureType; reason: number; impact?: Exclude<Impact, 'ok'> };
  /** outcome of DNS failures no rule matched (transient); default Soft / Invalid domain, impact likewise */
  dnsOutcome?: { type: FailureType; reason: number; impact?: Exclude<Impact, 'ok'> };
}

/** Qualifies replies. Create once, call many times. */
export interface Qualifier {
  readonly mode: QualificationMode;
  /** a sync reply (raw or parsed) or a transport error */
  qualify(reply: ParsedReply | MessageReplyLike | string, ctx?: QualifyContext): Qualification;
  /** a bounce-mail diagnostic text (`smtp; 550 5.1.1 ...`, free text); phase defaults to `async` */
  qualifyText(text: string, ctx?: QualifyContext): Qualification;
  /** the rule sets in force (inbound, and bounce-class in enhanced mode) */
  readonly ruleSet: RuleSet;
  readonly bounceRuleSet: RuleSet | null;
}

const SYNC_PHASES: ReadonlySet<SmtpPhase> = new Set(['connect', 'ehlo', 'mail', 'rcpt', 'data']);
const TRANSPORT_KINDS: readonly TransportErrorKind[] = ['refused', 'timeout', 'reset', 'tls', 'garbage'];

function freeze(
  type: FailureType,
  reason: number,
  impact: Impact,
  disposition: Disposition,
  rule: string | null,
  bounceClass: number | null,
): Qualification {
  return Object.freeze({ type, reason, impact, disposition, rule, bounceClass });
}

/** Both dispositions of one outcome, built once. */
type Pair = readonly [transient: Qualification, permanent: Qualification];

function pair(
  type: FailureType,
  reason: number,
  impact: Impact,
  fixed: Disposition | undefined,
  rule: string | null,
  bounceClass: number | null,
): Pair {
  return [
    freeze(type, reason, impact, fixed ?? 'transient', rule, bounceClass),
    freeze(type, reason, impact, fixed ?? 'permanent', rule, bounceClass),
  ];
}

/**
 * The text the rules read: a text with non-ASCII characters is put in Unicode compatibility form
 * (NFKC: fullwidth Latin and digits, halfwidth katakana as Japanese MTAs write them, to the forms the
 * rules are written in), and typographic apostrophes (Outlook's and Gmail's `wasn’t`, French
 * `n’existe`) read as the ASCII one; the rules hold none, so folding them loses nothing. ASCII
 * texts, nearly all replies, pass untouched.
 */
const NON_ASCII = /[^\x00-\x7f]/;
const TYPO_APOSTROPHE = /[\u2018\u2019\u201b\u2032\u02bc]/g;
const matchText = (text: string): string =>
  NON_ASCII.test(text) ? text.normalize('NFKC').replace(TYPO_APOSTROPHE, "'") : text;

const DIAG_PREFIX = /^\s*(?:smtp|x-[\w-]+|unix)\s*;\s*/i;
const EMBEDDED_CODE = /(?:^|[\s:;('"])([245]\d\d)[\s-]+([245]\.\d{1,3}\.\d{1,3})(?=$|[\s,;:)\]])/;
const EMBEDDED_ENHANCED = /(?:^|[\s:;('"#])([245]\.\d{1,3}\.\d{1,3})(?=$|[\s,;:)\]])/;

/** Reads code and enhanced code out of a bounce diagnostic text. */
export function parseDiagnostic(text: string): ParsedReply {
  const stripped = text.replace(DIAG_PREFIX, '');
  const p = parseReply(stripped);
  if (p.parseable) return p;
  const m = EMBEDDED_CODE.exec(p.text);
  if (m) return { parseable: true, code: Number(m[1]), enhanced: m[2]!, text: p.text, raw: p.raw };
  const e = EMBEDDED_ENHANCED.exec(p.text);
  if (e) return { parseable: false, code: null, enhanced: e[1]!, text: p.text, raw: p.raw };
  return p;
}

/** The enhanced-mode data a qualifier cannot do without. */
function required<T>(v: T | undefined, what: string): T {
  if (v === undefined)
    throw Object.assign(new Error(`MXLAB_QUALIFIER: enhanced mode needs ${what}`), {
      code: 'MXLAB_QUALIFIER',
    });
  return v;
}

/**
 * Builds a qualifier from rule sets already read; the rules are compiled here, once.
 * node/qualifier.ts's `createQualifier` reads the shipped or named rule files first.
 */
export function createQualifier(options: QualifierOptions): Qualifier {
  const mode = options.mode;
  const noImpact = options.noImpactReasons ?? DEFAULT_NO_IMPACT_REASONS;
  const ruleSet = options.rules;
  const inbound = new CompiledRules(ruleSet.rules);
  const inboundResults: Pair[] = ruleSet.rules.map((r) => {
    const type = r.type ?? 'undefined';
    const reason = r.reason ?? 0;
    return pair(
      type,
      reason,
      resolveImpact(type, reason, r.impact, noImpact),
      r.disposition,
      r.name,
      r.bounceClass ?? null,
    );
  });
  // legacy MTA, sync replies: the type decides the disposition (SPEC §6.3 turn 2)
  const inboundSyncResults: Pair[] =
    mode === 'legacy'
      ? ruleSet.rules.map((r, i) => {
          const [t] = inboundResults[i]!;
          const fixed = legacyDisposition(t.type, r.disposition);
          return fixed === undefined
            ? inboundResults[i]!
            : pair(t.type, t.reason, t.impact, fixed, t.rule, t.bounceClass);
        })
      : inboundResults;

  const syncClasses = options.syncBounceClasses ?? true;
  let bounceRuleSet: RuleSet | null = null;
  let bounce: CompiledRules | null = null;
  let bounceResults: Pair[] = [];
  let undetermined: Pair = pair('undefined', 0, 'count', undefined, null, null);
  if (mode === 'enhanced') {
    const classes = required(options.classes, 'a bounce class map (classes)');
    bounceRuleSet = required(options.bounceRules, 'bounce-class rules (bounceRules)');
    bounce = new CompiledRules(bounceRuleSet.rules);
    bounceResults = bounceRuleSet.rules.map((r: Rule) => {
      const c = classes.get(r.bounceClass!);
      if (!c) throw new Error(`${r.source}: bounceClass ${r.bounceClass} is not in the class map`);
      const type = r.type ?? c.type;
      const reason = r.reason ?? c.reason;
      const impact = resolveImpact(
        type,
        reason,
        r.impact ?? (r.type || r.reason !== undefined ? undefined : c.impact),
        noImpact,
      );
      return pair(type, reason, impact, r.disposition, momentumRuleName(c), c.class);
    });
    const c1 = classes.get(1);
    if (c1)
      undetermined = pair(
        c1.type,
        c1.reason,
        resolveImpact(c1.type, c1.reason, c1.impact, noImpact),
        undefined,
        null,
        1,
      );
  }

  const notDefined = pair('undefined', 0, 'count', undefined, null, null);
  const ok = freeze('ignored', 0, 'ok', 'permanent', null, null);
  const t = options.transportOutcome ?? { type: 'soft', reason: 3 };
  const tImpact = resolveImpact(t.type, t.reason, t.impact, noImpact);
  const transport = new Map(
    TRANSPORT_KINDS.map((k) => [
      k,
      freeze(
        t.type,
        t.reason,
        tImpact,
        'transient',
        `transport_${k}`,
        mode === 'enhanced' ? (k === 'timeout' ? 24 : 70) : null,
      ),
    ]),
  );
  const d = options.dnsOutcome ?? { type: 'soft', reason: 2 };
  const dnsFailure = freeze(
    d.type,
    d.reason,
    resolveImpact(d.type, d.reason, d.impact, noImpact),
    'transient',
    'dns_failure',
    mode === 'enhanced' ? 21 : null,
  );

  // Two memos. Raw texts (`qualify(string | MessageReply)`, `qualifyText`) are keyed by the text
  // itself: everything the result depends on is read from it. Parsed replies are keyed by their
  // `text` and checked against a number packing `parseable`, `code` and the enhanced code, which a
  // caller may set apart from the text (inMail: a DSN's Status field beside its diagnostic); a
  // mismatch recomputes. The slot is (domain class, raw/diagnostic/parsed, phase).
  const cacheSize = options.cacheSize ?? 20_000;
  const rawCache = new SlotCache<Qualification>(cacheSize);
  const parsedCache = new SlotCache<ParsedEntry>(cacheSize);
  const PHASE_SLOT: Readonly<Record<SmtpPhase, number>> = {
    dns: 0,
    connect: 1,
    ehlo: 2,
    mail: 3,
    rcpt: 4,
    data: 5,
    async: 6,
  };
  const usesDomains = inbound.usesDomains || (bounce?.usesDomains ?? false);
  // domain → domain class (same domain rules accept it): raw domain memo, then signature interning
  const domainClass = new Map<string, number>();
  const signatureClass = new Map<string, number>();
  const classOf = (domain: string): number => {
    let c = domainClass.get(domain);
    if (c !== undefined) return c;
    const lower = domain.toLowerCase();
    const sig = `${inbound.domainSignature(lower)}|${bounce?.domainSignature(lower) ?? ''}`;
    c = signatureClass.get(sig);
    if (c === undefined) {
      c = signatureClass.size;
      signatureClass.set(sig, c);
    }
    if (domainClass.size >= 65_536) domainClass.clear();
    domainClass.set(domain, c);
    return c;
  };
  const parts = new Int32Array(3);

  function qualifyParsed(p: ParsedReply, phase: SmtpPhase, domain: string): Qualification {
    const code = p.code ?? 0;
    if (code >= 200 && code < 400) return ok;
    const hasE = readEnhancedParts(p.enhanced, parts);
    const e0 = hasE ? parts[0]! : -1;
    const useBounce = bounce !== null && syncClasses && SYNC_PHASES.has(phase) && p.parseable;
    const compiled = useBounce ? bounce! : inbound;
    const idx = compiled.match(
      matchText(p.text),
      code,
      e0,
      hasE ? parts[1]! : -1,
      hasE ? parts[2]! : -1,
      phase,
      domain,
    );
    const disp = codeDisposition(code, e0, phase) === 'transient' ? 0 : 1;
    if (idx >= 0)
      return (useBounce ? bounceResults : SYNC_PHASES.has(phase) ? inboundSyncResults : inboundResults)[idx]![
        disp
      ]!;
    if (phase === 'dns') return dnsFailure;
    if (!p.parseable && SYNC_PHASES.has(phase)) return transport.get('garbage')!;
    return (useBounce ? undetermined : notDefined)[disp]!;
  }

  /** What a parsed reply's result depends on besides its text and the context, as one number (-1: not cacheable). */
  function headOf(p: ParsedReply): number {
    const code = p.code ?? 0;
    if (!Number.isInteger(code) || code < 0 || code > 999) return -1;
    const enh = readEnhancedParts(p.enhanced, parts)
      ? (parts[0]! * 1000 + parts[1]!) * 1000 + parts[2]! + 1
      : 0;
    return (code * 2 + (p.parseable ? 1 : 0)) * 6_000_001 + enh;
  }

  return {
    mode,
    ruleSet,
    bounceRuleSet,
    qualify(reply, ctx = {}) {
      let phase: SmtpPhase;
      let raw: string;
      let parsed: ParsedReply | null = null;
      if (typeof reply === 'string') {
        phase = ctx.phase ?? 'rcpt';
        raw = reply;
      } else if ('parseable' in reply) {
        phase = ctx.phase ?? 'rcpt';
        raw = reply.raw;
        parsed = reply;
      } else {
        phase = ctx.phase ?? reply.phase ?? 'rcpt';
        if (reply.transportError) return transport.get(reply.transportError) ?? transport.get('garbage')!;
        raw = reply.reply;
      }
      const d = usesDomains ? (ctx.domain ?? '') : '';
      const base = (usesDomains ? classOf(d) : 0) * 24;
      if (parsed) {
        const slot = base + 16 + PHASE_SLOT[phase];
        const head = headOf(parsed);
        if (head < 0) return qualifyParsed(parsed, phase, d.toLowerCase());
        const e = parsedCache.get(slot, parsed.text);
        if (e !== undefined && e.head === head) return e.q;
        const q = qualifyParsed(parsed, phase, d.toLowerCase());
        parsedCache.set(slot, parsed.text, { head, q });
        return q;
      }
      const slot = base + PHASE_SLOT[phase];
      const hit = rawCache.get(slot, raw);
      if (hit) return hit;
      return rawCache.set(slot, raw, qualifyParsed(parseReply(raw), phase, d.toLowerCase()));
    },
    qualifyText(text, ctx = {}) {
      const phase = ctx.phase ?? 'async';
      const d = usesDomains ? (ctx.domain ?? '') : '';
      const slot = (usesDomains ? classOf(d) : 0) * 24 + 8 + PHASE_SLOT[phase];
      const hit = rawCache.get(slot, text);
      if (hit) return hit;
      return rawCache.set(slot, text, qualifyParsed(parseDiagnostic(text), phase, d.toLowerCase()));
    },
  };
}
