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
import { CompiledRules, splitEnhanced } from './compile-rules.ts';
import { defaultBounceRuleSet, defaultRuleSet, loadRuleSet } from './load-rules.ts';
import { defaultMomentumClasses, type MomentumClassMap, momentumRuleName } from './momentum-classes.ts';
import { codeDisposition, DEFAULT_NO_IMPACT_REASONS, defaultImpact } from './outcome.ts';
import type { Rule, RuleSet } from './rule-schema.ts';

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
  /** inbound email rules: a rule set, a file or a directory; default: the shipped `rules/default/` */
  rules?: RuleSet | string;
  /** enhanced mode: bounce-class rules; default: the shipped `rules/momentum-bounce-rules.yaml` */
  bounceRules?: RuleSet | string;
  /** enhanced mode: class → Campaign mapping; default: the shipped `rules/momentum-classes.yaml` */
  classes?: MomentumClassMap;
  /** reasons whose default impact is none (SPEC §6.3); default [3, 20] */
  noImpactReasons?: readonly number[];
  /** distinct (reply, phase, domain) results kept; default 20,000; 0 turns the cache off */
  cacheSize?: number;
  /** outcome of transport errors; default Soft / Unreachable / none / transient */
  transportOutcome?: { type: FailureType; reason: number; impact: Impact };
  /** outcome of DNS failures no rule matched; default Soft / Invalid domain / count / transient */
  dnsOutcome?: { type: FailureType; reason: number; impact: Impact };
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

function resolveSet(
  v: RuleSet | string | undefined,
  fallback: () => RuleSet,
  kind: 'inbound' | 'bounceClass',
): RuleSet {
  if (v === undefined) return fallback();
  return typeof v === 'string' ? loadRuleSet(v, kind) : v;
}

/** Builds a qualifier; rule files are read and compiled here, once. Throws `DataFileError` on bad files. */
export function createQualifier(options: QualifierOptions): Qualifier {
  const mode = options.mode;
  const noImpact = options.noImpactReasons ?? DEFAULT_NO_IMPACT_REASONS;
  const ruleSet = resolveSet(options.rules, defaultRuleSet, 'inbound');
  const inbound = new CompiledRules(ruleSet.rules);
  const inboundResults: Pair[] = ruleSet.rules.map((r) => {
    const type = r.type ?? 'undefined';
    const reason = r.reason ?? 0;
    return pair(
      type,
      reason,
      r.impact ?? defaultImpact(type, reason, noImpact),
      r.disposition,
      r.name,
      r.bounceClass ?? null,
    );
  });

  let bounceRuleSet: RuleSet | null = null;
  let bounce: CompiledRules | null = null;
  let bounceResults: Pair[] = [];
  let undetermined: Pair = pair('undefined', 0, 'count', undefined, null, null);
  if (mode === 'enhanced') {
    const classes = options.classes ?? defaultMomentumClasses();
    bounceRuleSet = resolveSet(options.bounceRules, defaultBounceRuleSet, 'bounceClass');
    bounce = new CompiledRules(bounceRuleSet.rules);
    bounceResults = bounceRuleSet.rules.map((r: Rule) => {
      const c = classes.get(r.bounceClass!);
      if (!c) throw new Error(`${r.source}: bounceClass ${r.bounceClass} is not in the class map`);
      const type = r.type ?? c.type;
      const reason = r.reason ?? c.reason;
      const impact =
        r.impact ??
        (r.type || r.reason !== undefined ? undefined : c.impact) ??
        defaultImpact(type, reason, noImpact);
      return pair(type, reason, impact, r.disposition, momentumRuleName(c), c.class);
    });
    const c1 = classes.get(1);
    if (c1)
      undetermined = pair(
        c1.type,
        c1.reason,
        c1.impact ?? defaultImpact(c1.type, c1.reason, noImpact),
        undefined,
        null,
        1,
      );
  }

  const notDefined = pair('undefined', 0, 'count', undefined, null, null);
  const ok = freeze('ignored', 0, 'ok', 'permanent', null, null);
  const t = options.transportOutcome ?? { type: 'soft', reason: 3, impact: 'none' };
  const transport = new Map(
    TRANSPORT_KINDS.map((k) => [
      k,
      freeze(
        t.type,
        t.reason,
        t.impact,
        'transient',
        `transport_${k}`,
        mode === 'enhanced' ? (k === 'timeout' ? 24 : 70) : null,
      ),
    ]),
  );
  const d = options.dnsOutcome ?? { type: 'soft', reason: 2, impact: 'count' };
  const dnsFailure = freeze(
    d.type,
    d.reason,
    d.impact,
    'transient',
    'dns_failure',
    mode === 'enhanced' ? 21 : null,
  );

  // Keyed by the raw text (a string the caller reuses keeps its hash: no concatenation on a hit),
  // then by (kind, phase) in a 16-slot array. Two generations: lookups try `young` then `old`; when
  // `young` is full it becomes `old` (an LRU approximation with O(1) eviction).
  const cacheSize = options.cacheSize ?? 20_000;
  const half = Math.max(1, Math.ceil(cacheSize / 2));
  let young = new Map<string, (Qualification | undefined)[]>();
  let old = new Map<string, (Qualification | undefined)[]>();
  const lookup = (key: string, slot: number): Qualification | undefined => {
    const y = young.get(key)?.[slot];
    if (y !== undefined) return y;
    const o = old.get(key)?.[slot];
    if (o !== undefined) remember(key, slot, o);
    return o;
  };
  const remember = (key: string, slot: number, q: Qualification): Qualification => {
    if (cacheSize <= 0) return q;
    let slots = young.get(key);
    if (!slots) {
      if (young.size >= half) {
        old = young;
        young = new Map();
      }
      slots = new Array<Qualification | undefined>(16);
      young.set(key, slots);
    }
    slots[slot] = q;
    return q;
  };
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

  function qualifyParsed(p: ParsedReply, phase: SmtpPhase, domain: string): Qualification {
    const code = p.code ?? 0;
    if (code >= 200 && code < 400) return ok;
    const e = splitEnhanced(p.enhanced);
    const e0 = e ? e[0] : -1;
    const useBounce = bounce !== null && SYNC_PHASES.has(phase) && p.parseable;
    const compiled = useBounce ? bounce! : inbound;
    const idx = compiled.match(p.text, code, e0, e ? e[1] : -1, e ? e[2] : -1, phase, domain);
    const disp = codeDisposition(code, e0, phase) === 'transient' ? 0 : 1;
    if (idx >= 0) return (useBounce ? bounceResults : inboundResults)[idx]![disp]!;
    if (phase === 'dns') return dnsFailure;
    if (!p.parseable && SYNC_PHASES.has(phase)) return transport.get('garbage')!;
    return (useBounce ? undetermined : notDefined)[disp]!;
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
      const domain = usesDomains ? (ctx.domain ?? '').toLowerCase() : '';
      const key = usesDomains ? `${domain}\u0001${raw}` : raw;
      const slot = PHASE_SLOT[phase];
      const hit = lookup(key, slot);
      if (hit) return hit;
      return remember(key, slot, qualifyParsed(parsed ?? parseReply(raw), phase, domain));
    },
    qualifyText(text, ctx = {}) {
      const phase = ctx.phase ?? 'async';
      const domain = usesDomains ? (ctx.domain ?? '').toLowerCase() : '';
      const key = usesDomains ? `${domain}\u0001${text}` : text;
      const slot = 8 + PHASE_SLOT[phase];
      const hit = lookup(key, slot);
      if (hit) return hit;
      return remember(key, slot, qualifyParsed(parseDiagnostic(text), phase, domain));
    },
  };
}
