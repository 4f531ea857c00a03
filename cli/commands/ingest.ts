/**
 * `mxlab ingest FORMAT FILE... --out DIR [--rules RULES] [--mode legacy|enhanced] [--year N]`: reads a
 * production log (Postfix, Exim or Sendmail syslog lines, KumoMTA JSON log records, PowerMTA
 * accounting CSV, Campaign-style delivery-log and quarantine CSV exports) into a run store of the
 * run schema, qualifying each reply with the chosen rules and applying the quarantine semantics of
 * SPEC §5 in the order of the log; `report`, `compare` and `remediate` then read DIR. Lines that carry
 * no attempt are counted; malformed lines are counted and the first 20 named with their line numbers
 * on stderr; nothing usable at all exits 2.
 */
import type { Command } from 'commander';
import { buildStore, FORMATS, type FormatName, readFiles } from '../../ingest/index.ts';
import { CliError } from '../errors.ts';
import { intFlag } from './run.ts';

interface IngestFlags {
  out?: string;
  rules?: string;
  mode: string;
  year?: string;
  start?: string;
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('read production logs (postfix, exim, sendmail, kumomta, pmta, campaign) into a run store')
    .argument('<format>', FORMATS.join(' | '))
    .argument('<files...>', 'log files, read in order (records are sorted by time)')
    .option('--out <dir>', 'the run folder to write (run.duckdb, summary.json)')
    .option('--rules <fileOrDir>', 'inbound email rule file or folder (default: the shipped rules)')
    .option('--mode <mode>', 'legacy or enhanced qualification', 'legacy')
    .option('--start <iso>', "day1 00:00 of the store (default: midnight UTC of the first record's day)")
    .option('--year <n>', 'year of syslog time stamps that carry none (default: this year)')
    .action(async (format: string, files: string[], flags: IngestFlags) => {
      if (!(FORMATS as readonly string[]).includes(format))
        throw new CliError(`FORMAT: expected one of ${FORMATS.join(', ')}, got '${format}'`);
      if (!flags.out) throw new CliError('--out: the run folder to write is required');
      if (flags.mode !== 'legacy' && flags.mode !== 'enhanced')
        throw new CliError(`--mode: expected legacy or enhanced, got '${flags.mode}'`);
      const year = intFlag('year', flags.year, 1970);
      const startEpoch = flags.start === undefined ? undefined : Date.parse(flags.start);
      if (startEpoch !== undefined && Number.isNaN(startEpoch))
        throw new CliError(
          `--start: expected an ISO date-time like 2026-12-06T00:00:00Z, got '${flags.start}'`,
        );
      const read = await readFiles(format as FormatName, files, year === undefined ? {} : { year });
      for (const b of read.bad)
        process.stderr.write(`mxlab ingest: ${b.file}:${b.line}: malformed (${b.why}): ${b.text}\n`);
      if (read.malformed > read.bad.length)
        process.stderr.write(`mxlab ingest: (the first ${read.bad.length} malformed lines are listed)\n`);
      const skipped = [...read.skipped].sort((a, b) => b[1] - a[1]);
      const skippedTotal = skipped.reduce((n, [, k]) => n + k, 0);
      process.stderr.write(
        `mxlab ingest: ${read.lines} lines read, ${read.used} used (${read.records.length} attempts${read.initial.length ? `, ${read.initial.length} quarantine rows` : ''}), ` +
          `${skippedTotal} skipped${skipped.length ? ` (${skipped.map(([w, n]) => `${n} ${w}`).join('; ')})` : ''}, ${read.malformed} malformed\n`,
      );
      if (read.records.length === 0 && read.initial.length === 0)
        throw new CliError(`nothing to ingest in ${files.join(', ')}: no ${format} delivery attempt read`);
      const r = await buildStore(flags.out, read.records, read.initial, {
        mode: flags.mode,
        ...(flags.rules ? { rules: flags.rules } : {}),
        format,
        sources: files,
        ...(startEpoch === undefined ? {} : { startEpoch }),
      });
      process.stdout.write(
        `ingested ${r.attempts} attempts of ${r.messages} messages to ${r.addresses} addresses (day1 00:00 = ${r.startIso})\n` +
          `run store: ${r.out}/run.duckdb, summary: ${r.out}/summary.json\n`,
      );
    });
}
