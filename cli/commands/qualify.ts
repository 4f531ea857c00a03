/**
 * `mxlab qualify [--mode legacy|enhanced] [--rules FILE_OR_DIR] [--phase PHASE] [--domain D] [FILES...]`:
 * qualifies remote replies, one per input line, from files or stdin, streaming. A line is, detected
 * per line: JSONL with a `reply` field and optional `phase`/`domain`; a Postfix, Exim or Sendmail log
 * line (cli/mta-log-line.ts: the remote reply or the MTA's own diagnostic, and the recipient); or a
 * bare reply or bounce text; empty lines and lines starting with `#` are ignored. Prints one JSON
 * line per reply (per recipient for a log line):
 * `{"file","line","reply","code","enhanced","type","reason","reasonName","impact","disposition","rule","bounceClass"}`,
 * log lines adding `mta`, `recipient` and `phase` (`file` is absent for stdin).
 * A log line that carries no delivery failure (a delivered message, a connection, a queue event) is
 * skipped and counted; a log line in an unknown format is reported on stderr with its line number and
 * counted; the counts end in one summary line on stderr. A JSON line that cannot be read prints
 * `{"reply":null,"error":...}` in its place and a one-line error on stderr, and the command exits 2 at
 * the end; so does an input with nothing to qualify.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { type ParsedReply, type Qualification, reasonName, type SmtpPhase } from '../../core/index.ts';
import { PHASES, parseDiagnostic, type Qualifier } from '../../core/qualification/index.ts';
import { parseReply } from '../../core/reply/index.ts';
import { createQualifier } from '../../node/index.ts';
import { CliError } from '../errors.ts';
import { type LogReply, readLogLine } from '../mta-log-line.ts';

interface QualifyOptions {
  mode: string;
  rules?: string;
  phase: string;
  domain?: string;
}

/** Defaults of every line: the `--phase` (or auto) and `--domain` of the command. */
export interface LineDefaults {
  phase: SmtpPhase | 'auto';
  domain?: string;
}

/**
 * What became of one input line: JSON output lines (one per reply; a log line may name several
 * recipients), or skipped as no delivery failure (`skipped` says what the line is), or in an unknown
 * log format (`unknown` says why), or unreadable (`error`).
 */
export interface LineOutcome {
  outs?: string[];
  skipped?: string;
  unknown?: string;
  error?: string;
}

function isPhase(p: unknown): p is SmtpPhase {
  return typeof p === 'string' && (PHASES as readonly string[]).includes(p);
}

/** The qualification fields of an output line, with the reason's name beside its value. */
function verdict(res: Qualification) {
  return {
    type: res.type,
    reason: res.reason,
    reasonName: reasonName(res.reason),
    impact: res.impact,
    disposition: res.disposition,
    rule: res.rule,
    bounceClass: res.bounceClass,
  };
}

/**
 * One recipient of a log line: the remote reply at the phase the log names (RCPT when it names none),
 * or the MTA's own diagnostic as a bounce text carrying the logged DSN status.
 */
function qualifyLogReply(q: Qualifier, r: LogReply, recipient: string, defaults: LineDefaults) {
  const at = recipient.lastIndexOf('@');
  const domain = defaults.domain ?? (at >= 0 ? recipient.slice(at + 1) : undefined);
  const ctx = domain ? { domain } : {};
  let parsed: ParsedReply = r.remote ? parseReply(r.text) : parseDiagnostic(r.text);
  let phase: SmtpPhase;
  if (r.remote && parsed.parseable) phase = r.phase ?? 'rcpt';
  else {
    if (r.remote) parsed = parseDiagnostic(r.text);
    if (!parsed.enhanced && r.dsn) parsed = { ...parsed, enhanced: r.dsn };
    phase = 'async';
  }
  if (defaults.phase !== 'auto') phase = defaults.phase;
  return { parsed, phase, res: q.qualify(parsed, { ...ctx, phase }) };
}

/** Qualifies one input line; `lineNo` (and `file`, when given) are written into the output. */
export function qualifyLine(
  q: Qualifier,
  line: string,
  defaults: LineDefaults,
  lineNo = 0,
  file?: string,
): LineOutcome {
  const where = file === undefined ? { line: lineNo } : { file, line: lineNo };
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
      if (typeof o.reply !== 'string') return { error: "JSON line without a string 'reply' field" };
      reply = o.reply;
      if (o.phase !== undefined) {
        if (!isPhase(o.phase)) return { error: `phase: expected one of ${PHASES.join(', ')}` };
        phase = o.phase;
      }
      if (typeof o.domain === 'string') domain = o.domain;
    }
  } else {
    const log = readLogLine(line);
    if (log?.kind === 'skip') return { skipped: `${log.mta}: ${log.why}` };
    if (log?.kind === 'unknown') return { unknown: log.why };
    if (log?.kind === 'reply') {
      const recipients = log.recipients.length > 0 ? log.recipients : [''];
      return {
        outs: recipients.map((recipient) => {
          const { parsed, phase: at, res } = qualifyLogReply(q, log, recipient, defaults);
          return JSON.stringify({
            ...where,
            mta: log.mta,
            recipient,
            reply: log.text,
            code: parsed.code,
            enhanced: parsed.enhanced,
            phase: at,
            ...verdict(res),
          });
        }),
      };
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
    outs: [
      JSON.stringify({ line: lineNo, reply, code: parsed.code, enhanced: parsed.enhanced, ...verdict(res) }),
    ],
  };
}

/** Unknown-format lines listed one by one on stderr; the rest are only counted. */
const UNKNOWN_LISTED = 20;

/** Counts of a run, for the summary line. */
class Tally {
  lines = 0;
  qualified = 0;
  unknown = 0;
  bad = 0;
  readonly skipped = new Map<string, number>();
  get skippedTotal(): number {
    let n = 0;
    for (const v of this.skipped.values()) n += v;
    return n;
  }
  summary(): string {
    const parts = [`${this.lines} line${this.lines === 1 ? '' : 's'} read`, `${this.qualified} qualified`];
    if (this.skipped.size > 0) {
      const by = [...this.skipped].sort((a, b) => b[1] - a[1]).map(([why, n]) => `${n} ${why}`);
      parts.push(`${this.skippedTotal} skipped as no delivery failure (${by.join('; ')})`);
    }
    if (this.unknown > 0) parts.push(`${this.unknown} in an unknown log format`);
    if (this.bad > 0) parts.push(`${this.bad} unreadable`);
    return parts.join(', ');
  }
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((res) => process.stdout.once('drain', res));
}

async function run(files: string[], opts: QualifyOptions): Promise<void> {
  if (opts.mode !== 'legacy' && opts.mode !== 'enhanced')
    throw new CliError(`--mode: expected legacy or enhanced, got '${opts.mode}'`);
  if (opts.phase !== 'auto' && !isPhase(opts.phase))
    throw new CliError(`--phase: expected auto or one of ${PHASES.join(', ')}, got '${opts.phase}'`);
  const q = createQualifier({ mode: opts.mode, ...(opts.rules ? { rules: opts.rules } : {}) });
  const defaults: LineDefaults = {
    phase: opts.phase as SmtpPhase | 'auto',
    ...(opts.domain ? { domain: opts.domain } : {}),
  };
  const tally = new Tally();
  const sources = files.length ? files : ['-'];
  for (const file of sources) {
    const name = file === '-' ? 'stdin' : file;
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
    // on a terminal nothing says the command is waiting for input: say so, and how to end it
    if (file === '-' && process.stdin.isTTY) process.stderr.write(STDIN_HINT);
    const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let n = 0;
    for await (const line of rl) {
      n++;
      if (line.trim() === '' || line.startsWith('#')) continue;
      tally.lines++;
      const r = qualifyLine(q, line, defaults, n, file === '-' ? undefined : file);
      if (r.error) {
        tally.bad++;
        process.stderr.write(`mxlab qualify: ${name}:${n}: ${r.error}\n`);
        await write(`${JSON.stringify({ line: n, reply: null, error: `${name}:${n}: ${r.error}` })}\n`);
      } else if (r.unknown) {
        if (++tally.unknown <= UNKNOWN_LISTED)
          process.stderr.write(
            `mxlab qualify: ${name}:${n}: not qualified, unknown log format (${r.unknown}): ${line.slice(0, 160)}\n`,
          );
      } else if (r.skipped) tally.skipped.set(r.skipped, (tally.skipped.get(r.skipped) ?? 0) + 1);
      else if (r.outs) {
        tally.qualified++;
        await write(`${r.outs.join('\n')}\n`);
      }
    }
  }
  if (tally.unknown > UNKNOWN_LISTED)
    process.stderr.write(
      `mxlab qualify: (the first ${UNKNOWN_LISTED} lines in an unknown log format are listed)\n`,
    );
  if (tally.skippedTotal > 0 || tally.unknown > 0 || tally.bad > 0)
    process.stderr.write(`mxlab qualify: ${tally.summary()}\n`);
  if (tally.bad) throw new CliError(`${tally.bad} input line${tally.bad > 1 ? 's' : ''} could not be read`);
  if (tally.qualified === 0)
    throw new CliError(
      `nothing to qualify in ${sources.map((f) => (f === '-' ? 'stdin' : f)).join(', ')}: no reply, bounce text or delivery failure line`,
    );
}

/** Printed to stderr when `qualify` reads a terminal. */
export const STDIN_HINT =
  'mxlab qualify: reading replies from stdin, one per line (end with Ctrl-D; give FILES to read files; mxlab qualify --help for the formats)\n';

/** Registers `mxlab qualify`. */
export function register(program: Command): void {
  program
    .command('qualify')
    .description(
      'qualify SMTP replies, bounce diagnostics or MTA log lines (one per line: plain, JSONL with a "reply" field, or Postfix/Exim/Sendmail log)',
    )
    .argument('[files...]', 'input files; stdin when none')
    .option('--mode <mode>', 'legacy (inbound email rules) or enhanced (Momentum bounce classes)', 'legacy')
    .option('--rules <fileOrDir>', 'inbound email rule file or directory (default: the shipped rules)')
    .option(
      '--phase <phase>',
      'auto (log lines: the command the reply answered; coded replies at rcpt; others as bounce text), or a phase',
      'auto',
    )
    .option(
      '--domain <domain>',
      "recipient domain, for domain-restricted rules (default for log lines: the recipient's)",
    )
    .addHelpText('after', QUALIFY_HELP)
    .action((files: string[], opts: QualifyOptions) => run(files, opts));
}

const QUALIFY_HELP = `
Input lines, detected per line:
  a bare SMTP reply, or a bounce text without a code
    550 5.1.1 <a@b.com>: user unknown
  JSONL with a "reply" field, and optional "phase" and "domain"
    {"reply":"452 4.2.2 mailbox full","phase":"data","domain":"b.com"}
  Postfix (smtp, lmtp, local, virtual, error, ...): the said: reply, or Postfix's own text
    postfix/smtp[123]: ABC: to=<a@b.com>, relay=..., dsn=5.1.1, status=bounced (host mx.b.com[1.2.3.4]
    said: 550 5.1.1 <a@b.com>: User unknown (in reply to RCPT TO command))
  Exim main log (** failed, == deferred)
    2026-12-06 10:00:00 1rAbCd-000Xyz-Ef ** a@b.com R=dnslookup T=remote_smtp H=mx.b.com [1.2.3.4]:
    SMTP error from remote mail server after RCPT TO:<a@b.com>: 550 5.1.1 User unknown
  Sendmail (sendmail, sm-mta), one output line per recipient of to=
    sendmail[123]: ABC: to=<a@b.com>, ..., dsn=5.1.1, stat=User unknown
A syslog prefix (Dec  6 10:00:00 host) is optional. Empty lines and lines starting with # are
ignored. Log lines that carry no failure (status=sent, stat=Sent, =>, <=, connections, queue events,
this server's own rejections) are skipped and counted; a log line in an unknown format is named on
stderr with its line number; one summary line on stderr gives the counts.

Output, one JSON line per reply (per recipient of a log line):
  file, line     the input file (absent for stdin) and the line's number in it
  reply          the reply or diagnostic qualified; code, enhanced: its SMTP and enhanced codes
  mta, recipient, phase
                 log lines only: the MTA, the failed recipient, the phase qualified at
  type, reason, reasonName, impact, disposition
                 the qualification (reasonName: the reason's name, SPEC section 3)
  rule           the rule that decided (null: none)
  bounceClass    the Momentum bounce class (enhanced mode), or null

Exit: 0 when something was qualified; 2 when nothing in the input was usable, or a JSON line is
unreadable.
`;
