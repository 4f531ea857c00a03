/**
 * `mxlab export postfix-log RUN [--out FILE]`: a run's attempts as Postfix mail log lines (one per
 * attempt, time order; ingest/export-postfix.ts), to FILE or stdout, so a simulated run can be read
 * back with `mxlab ingest postfix` or by any Postfix log tool.
 */
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { exportPostfixLog } from '../../ingest/index.ts';
import { openRunStore } from '../../store/index.ts';
import { CliError } from '../errors.ts';

const KINDS = ['postfix-log'];

export function register(program: Command): void {
  program
    .command('export')
    .description("write a run's attempts in another tool's format (postfix-log)")
    .argument('<kind>', KINDS.join(' | '))
    .argument('<run>', 'run folder or .duckdb file')
    .option('--out <file>', 'output file (default: stdout)')
    .action(async (kind: string, run: string, flags: { out?: string }) => {
      if (!KINDS.includes(kind))
        throw new CliError(`KIND: expected one of ${KINDS.join(', ')}, got '${kind}'`);
      const store = await openRunStore(run, { readonly: true });
      try {
        const out = flags.out ? createWriteStream(flags.out) : process.stdout;
        const write = (s: string) =>
          out.write(s) ? undefined : new Promise<void>((res) => out.once('drain', () => res()));
        const n = await exportPostfixLog(store, write);
        if (flags.out)
          await new Promise<void>((res, rej) =>
            (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? rej(e) : res())),
          );
        process.stderr.write(
          `mxlab export: ${n} attempts written as Postfix log lines${flags.out ? ` to ${flags.out}` : ''}\n`,
        );
      } finally {
        await store.close();
      }
    });
}
