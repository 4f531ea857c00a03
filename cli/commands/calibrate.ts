/**
 * `mxlab calibrate STORE --out DIR [--min-attempts N]`: fits ISP profiles to a run store (an
 * `mxlab ingest` folder or a run; calibrate/fit.ts says how) and writes one profile YAML per ISP
 * into DIR, plus DIR/calibration.json (the evidence, and the reply mix per domain and hour). A
 * scenario reruns them with `isps.files: [DIR/fit-*.yaml]`.
 */
import type { Command } from 'commander';
import { calibrate, writeCalibration } from '../../calibrate/index.ts';
import { openRunStore } from '../../store/index.ts';
import { CliError } from '../errors.ts';
import { intFlag } from './run.ts';

export function register(program: Command): void {
  program
    .command('calibrate')
    .description('fit ISP profiles (reply mix, windows, rate limits, late bounces) to a run store')
    .argument('<store>', 'run folder or .duckdb file (e.g. from mxlab ingest)')
    .option('--out <dir>', 'folder for the fitted profiles and calibration.json')
    .option('--min-attempts <n>', 'ISPs with fewer attempts are left to the catch-all', '50')
    .action(async (storeArg: string, flags: { out?: string; minAttempts: string }) => {
      if (!flags.out) throw new CliError('--out: the folder for the fitted profiles is required');
      const minAttempts = intFlag('min-attempts', flags.minAttempts, 1)!;
      const store = await openRunStore(storeArg, { readonly: true });
      const cal = await calibrate(store, { minAttempts }).finally(() => store.close());
      if (cal.profiles.length === 0)
        throw new CliError(
          `${storeArg}: no ISP with ${minAttempts} attempts or more to an MX IP: nothing to fit`,
        );
      const files = writeCalibration(cal, flags.out, storeArg);
      for (const f of cal.profiles)
        process.stdout.write(
          `${f.profile.name}: ${f.profile.domains!.length} domains, ${f.attempts} attempts\n${f.evidence.map((e) => `  ${e}\n`).join('')}`,
        );
      process.stdout.write(
        `${files.length} profiles in ${flags.out}; ${cal.leftOut.length} domains left to the catch-all\n`,
      );
    });
}
