/**
 * `mxlab qualify [--mode legacy|enhanced] [--rules FILE_OR_DIR] [--phase PHASE] [--domain D] [FILES...]`:
 * qualifies remote replies, one per input line (plain text, or JSONL with a `reply` field and optional
 * `phase`/`domain`; detected per line), from files or stdin, streaming. Prints one JSON line per input:
 * `{"reply","code","enhanced","type","reason","impact","disposition","rule","bounceClass"}`.
 * A line that cannot be read (JSON without `reply`) prints `{"reply":null,"error":...}` in its place,
 * a one-line error on stderr, and the command exits 2 at the end.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { createQualifier, type Qualifier } from '../../core/qualification/index.ts';
import { PHASES } from '../../core/qualification/rule-schema.ts';
import { parseReply } from '../../core/reply/parse-reply.ts';
import type { SmtpPhase } from '../../core/types.ts';
import { CliError } from '../errors.ts';

interface QualifyOptions {
  mode: string;
  rules?: string;
  phase: string;
  domain?: string;
}

function isPhase(p: unknown): p is SmtpPhase {
  return typeof p === 'string' && (PHASES as readonly string[]).includes(p);
}

/** Qualifies one input line; returns the JSON output line, or an error message. */
export function qualifyLine(
  q: Qualifier,
  line: string,
  defaults: { phase: SmtpPhase | 'auto'; domain?: string },
): { out: string; error?: string } {
  let reply = line;
  let phase = defaults.phase;
  let domain = defaults.domain;
  const t = line.trimStart();
  if (t.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch {
      obj = undefined; // not JSON after all: a reply that starts with '{'
    }
    if (obj !== undefined) {
      const o = obj as Record<string, unknown>;
      if (typeof o.reply !== 'string') return { out: '', error: "JSON line without a string 'reply' field" };
      reply = o.reply;
      if (o.phase !== undefined) {
        if (!isPhase(o.phase)) return { out: '', error: `phase: expected one of ${PHASES.join(', ')}` };
        phase = o.phase;
      }
      if (typeof o.domain === 'string') domain = o.domain;
    }
  }
  const parsed = parseReply(reply);
  const ctx = domain ? { domain } : {};
  // auto: a coded reply is a sync reply at RCPT; anything else is a bounce diagnostic
  const res =
    phase === 'auto'
      ? parsed.parseable
        ? q.qualify(parsed, { ...ctx, phase: 'rcpt' })
        : q.qualifyText(reply, { ...ctx, phase: 'async' })
      : phase === 'async'
        ? q.qualifyText(reply, { ...ctx, phase })
        : q.qualify(parsed, { ...ctx, phase });
  return {
    out: JSON.stringify({
      reply,
      code: parsed.code,
      enhanced: parsed.enhanced,
      type: res.type,
      reason: res.reason,
      impact: res.impact,
      disposition: res.disposition,
      rule: res.rule,
      bounceClass: res.bounceClass,
    }),
  };
}

async function run(files: string[], opts: QualifyOptions): Promise<void> {
  if (opts.mode !== 'legacy' && opts.mode !== 'enhanced')
    throw new CliError(`--mode: expected legacy or enhanced, got '${opts.mode}'`);
  if (opts.phase !== 'auto' && !isPhase(opts.phase))
    throw new CliError(`--phase: expected auto or one of ${PHASES.join(', ')}, got '${opts.phase}'`);
  const q = createQualifier({ mode: opts.mode, ...(opts.rules ? { rules: opts.rules } : {}) });
  const defaults = {
    phase: opts.phase as SmtpPhase | 'auto',
    ...(opts.domain ? { domain: opts.domain } : {}),
  };
  let bad = 0;
  const sources = files.length ? files : ['-'];
  for (const file of sources) {
    const input = file === '-' ? process.stdin : createReadStream(file);
    const opened = new Promise<void>((resolve, reject) => {
      if (file === '-') resolve();
      else {
        input.once('open', () => resolve());
        input.once('error', (e: NodeJS.ErrnoException) =>
          reject(new CliError(`${file}: cannot read (${e.code ?? e.message})`)),
        );
      }
    });
    await opened;
    const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let n = 0;
    for await (const line of rl) {
      n++;
      if (line.trim() === '') continue;
      const r = qualifyLine(q, line, defaults);
      if (r.error) {
        bad++;
        process.stderr.write(`mxlab qualify: ${file === '-' ? 'stdin' : file}:${n}: ${r.error}\n`);
        process.stdout.write(
          `${JSON.stringify({ reply: null, error: `${file === '-' ? 'stdin' : file}:${n}: ${r.error}` })}\n`,
        );
      } else if (!process.stdout.write(`${r.out}\n`))
        await new Promise((res) => process.stdout.once('drain', res));
    }
  }
  if (bad) throw new CliError(`${bad} input line${bad > 1 ? 's' : ''} could not be read`);
}

/** Registers `mxlab qualify`. */
export function register(program: Command): void {
  program
    .command('qualify')
    .description(
      'qualify SMTP replies or bounce diagnostics (one per line, plain or JSONL with a "reply" field)',
    )
    .argument('[files...]', 'input files; stdin when none')
    .option('--mode <mode>', 'legacy (inbound email rules) or enhanced (Momentum bounce classes)', 'legacy')
    .option('--rules <fileOrDir>', 'inbound email rule file or directory (default: the shipped rules)')
    .option('--phase <phase>', 'auto (coded replies at rcpt, others as bounce text), or a phase', 'auto')
    .option('--domain <domain>', 'recipient domain, for domain-restricted rules')
    .action((files: string[], opts: QualifyOptions) => run(files, opts));
}
