/**
 * `mxlab inmail [--rules FILE_OR_DIR] [--mode legacy|enhanced] PATH...`: reads bounce mails (a .eml
 * file, a directory, a Maildir or an mbox; LF, CRLF or CR-only line endings) and prints one JSON line
 * per recipient, with the reason's name and the rule that decided. `runInMail` is the
 * same code for in-process callers (scripts/eval-corpus.ts).
 */
import type { Command } from 'commander';
import { type QualificationMode, reasonName } from '../../core/index.ts';
import { createInMail, type InMail, type InMailResult, isNotAMail } from '../../core/inmail/index.ts';
import { createQualifier, readMailbox } from '../../node/index.ts';
import { CliError } from '../errors.ts';

/** Options of `runInMail` and the command. */
export interface InMailRunOptions {
  /** a rule file or directory; default: the shipped rule set */
  rules?: string;
  mode?: QualificationMode;
}

/** One output line of `mxlab inmail`. */
export interface InMailLine {
  file: string;
  recipient: string;
  kind: InMailResult['kind'];
  type: string;
  reason: number;
  /** the reason's name (SPEC §3) */
  reasonName: string;
  impact: string;
  /** the inbound email rule that decided (null: none did) */
  rule: string | null;
  status: string | null;
  code: number | null;
  text: string;
}

/** Builds the inMail process the command uses (rule files are read and compiled here, once). */
export function buildInMail(options: InMailRunOptions = {}): InMail {
  const mode = options.mode ?? 'legacy';
  if (mode !== 'legacy' && mode !== 'enhanced')
    throw new CliError(`--mode: expected legacy or enhanced, got ${String(mode)}`);
  const qualifier = createQualifier(options.rules ? { mode, rules: options.rules } : { mode });
  return createInMail({ qualifier });
}

/** The output line of one result. */
export function toLine(r: InMailResult): InMailLine {
  return {
    file: r.source,
    recipient: r.recipient,
    kind: r.kind,
    type: r.qualification.type,
    reason: r.qualification.reason,
    reasonName: reasonName(r.qualification.reason),
    impact: r.qualification.impact,
    rule: r.qualification.rule,
    status: r.status,
    code: r.code,
    text: r.text,
  };
}

/** Reads every mail under `paths` and hands each result to `onResult`, in order. */
export async function runInMail(
  paths: readonly string[],
  options: InMailRunOptions,
  onResult: (r: InMailResult) => void,
): Promise<number> {
  const inmail = buildInMail(options);
  let mails = 0;
  for (const path of paths) {
    for await (const raw of readMailbox(path)) {
      mails++;
      for (const r of await inmail.process(raw)) onResult(r);
    }
  }
  return mails;
}

export function register(program: Command): void {
  program
    .command('inmail')
    .description('read bounce mails, complaints and auto-replies; print one JSON line per recipient')
    .argument('<path...>', '.eml file, directory, Maildir or mbox')
    .option(
      '--rules <fileOrDir>',
      'inbound email rules (YAML/JSON file or directory); default: the shipped rules',
    )
    .option('--mode <mode>', 'qualification mode: legacy or enhanced', 'legacy')
    .addHelpText('after', INMAIL_HELP)
    .action(async (paths: string[], opts: { rules?: string; mode: string }) => {
      if (opts.mode !== 'legacy' && opts.mode !== 'enhanced')
        throw new CliError(`--mode: expected legacy or enhanced, got ${opts.mode}`);
      const out: string[] = [];
      const flush = () => {
        if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
        out.length = 0;
      };
      // the results of one mail come together: a mail none of whose results names a recipient or
      // says what it is (not a mail, empty, a header cut off before its body) is named on stderr (core's isNotAMail)
      let current: InMailResult[] = [];
      let unread = 0;
      const endMail = () => {
        if (current.length > 0 && current.every(isNotAMail)) {
          unread++;
          flush();
          process.stderr.write(`mxlab inmail: ${current[0]!.source}: not a mail (${current[0]!.text})\n`);
        }
        current = [];
      };
      const mails = await runInMail(paths, { rules: opts.rules, mode: opts.mode }, (r) => {
        if (current.length > 0 && current[0]!.source !== r.source) endMail();
        current.push(r);
        out.push(JSON.stringify(toLine(r)));
        if (out.length >= 256) flush();
      });
      endMail();
      flush();
      if (mails === 0) throw new CliError(`no mail found in ${paths.join(', ')}`);
      if (unread === mails)
        throw new CliError(
          `nothing in ${paths.join(', ')} was read as a mail (${mails} input${mails > 1 ? 's' : ''}): expected .eml files, a Maildir or an mbox of bounce mails`,
        );
    });
}

const INMAIL_HELP = `
Mails may have LF, CRLF or CR-only line endings (mbox files too).

An input that is not a mail (binary, empty, a header cut off before any body) is named on stderr;
the exit code is 2 when no input was read as a mail, 0 otherwise.

Output, one JSON line per recipient:
  file         the mail (an mbox mail: FILE#n)
  recipient    the recipient found ('' when the mail names none)
  kind         dsn, arf (complaint), autoreply, delivered, or unknown (text says why)
  type, reason, reasonName, impact   the qualification (reasonName: the reason's name, SPEC section 3)
  rule         the inbound email rule that decided (null: none did)
  status, code the DSN status (5.1.1) and SMTP reply code found, or null
  text         the diagnostic text qualified
`;
