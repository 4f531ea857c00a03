/**
 * The subcommands of `mxlab`, one module each, loaded only when run: `mxlab --version` and
 * `mxlab --help` load commander and this list, `mxlab qualify` loads qualify.ts and what it imports.
 * To add one: write cli/commands/NAME.ts exporting `register(program)`, then add one entry below
 * (its help line as `mxlab --help` prints it, and its loader; edit these lines only, other work adds
 * its own). cli/commands/index.test.ts checks each entry against what its module registers.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export interface CommandEntry {
  /** The command's name, its `[options]` and arguments, as the top-level help lists them. */
  term: string;
  /** The description the module gives the command. */
  description: string;
  /** Loads the module (a dynamic import, so that other commands cost nothing). */
  load: () => Promise<{ register: RegisterCommand }>;
}

export const COMMANDS: CommandEntry[] = [
  {
    term: 'inmail [options] <path...>',
    description: 'read bounce mails, complaints and auto-replies; print one JSON line per recipient',
    load: () => import('./inmail.ts'),
  },
  {
    term: 'report [options] <run>',
    description: 'write report.md, report.html and summary.json for a run (from its run.duckdb)',
    load: () => import('./report.ts'),
  },
  {
    term: 'compare [options] <runA> <runB> [scenario]',
    description: 'compare two runs of the same scenario and seed (different rules or settings)',
    load: () => import('./compare.ts'),
  },
  {
    term: 'remediate [options] <run>',
    description: 'restore addresses quarantined by a misleading reply (SPEC §9), e.g. an ISP outage',
    load: () => import('./remediate.ts'),
  },
  {
    term: 'qualify [options] [files...]',
    description:
      'qualify SMTP replies, bounce diagnostics or MTA log lines (one per line: plain, JSONL with a "reply" field, or Postfix/Exim/Sendmail log)',
    load: () => import('./qualify.ts'),
  },
  {
    term: 'run [options] <scenario>',
    description: 'run a scenario in virtual time; writes run.duckdb and summary.json',
    load: () => import('./run.ts'),
  },
  {
    term: 'sweep [options] <scenario>',
    description:
      'run a scenario over a grid of settings x seeds in parallel; writes an aggregate per grid point',
    load: () => import('./sweep.ts'),
  },
  {
    term: 'merge [options] <dirs...>',
    description: 'merge the shard folders of a sweep into one aggregate',
    load: () => import('./merge.ts'),
  },
  {
    term: 'serve [options] <target>',
    description:
      'serve the fake ISP fleet (SMTP on 127.x.y.z) and DNS (127.0.0.1) for your own MTA; Ctrl-C stops',
    load: () => import('./serve.ts'),
  },
  {
    term: 'check [options] <run>',
    description: "check a run's store against itself and its summary.json (exit 1 on a violation)",
    load: () => import('./check.ts'),
  },
  {
    term: 'ingest [options] <format> <files...>',
    description: 'read production logs (postfix, exim, sendmail, kumomta, pmta, campaign) into a run store',
    load: () => import('./ingest.ts'),
  },
  {
    term: 'export [options] <kind> <run>',
    description: "write a run's attempts in another tool's format (postfix-log)",
    load: () => import('./export.ts'),
  },
  {
    term: 'calibrate [options] <store>',
    description: 'fit ISP profiles (reply mix, windows, rate limits, late bounces) to a run store',
    load: () => import('./calibrate.ts'),
  },
  {
    term: 'schema [kind]',
    description: 'print the JSON Schema of scenario files or ISP profiles (fields, descriptions, defaults)',
    load: () => import('./schema.ts'),
  },
];

/** The name of a command entry (the first word of its term). */
export function nameOf(entry: CommandEntry): string {
  return entry.term.split(' ', 1)[0]!;
}
