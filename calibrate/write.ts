/** Writes a calibration: one profile YAML per fitted ISP (validated by the profile schema) and calibration.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseIspProfile } from '../simulators/isp/profiles-load.ts';
import type { Calibration } from './fit.ts';

/** Writes `dir/<profile>.yaml` per profile and `dir/calibration.json`; returns the profile files. */
export function writeCalibration(cal: Calibration, dir: string, source: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const f of cal.profiles) {
    const text = `# ${f.profile.description}\n# source: ${source}\n${f.evidence.map((e) => `# - ${e}`).join('\n')}\n${stringify(f.profile, { lineWidth: 0 })}`;
    const file = join(dir, `${f.profile.name}.yaml`);
    parseIspProfile(text, file); // what a scenario will load: fail here, not in the rerun
    writeFileSync(file, text);
    files.push(file);
  }
  writeFileSync(
    join(dir, 'calibration.json'),
    `${JSON.stringify({ source, profiles: cal.profiles.map((p) => ({ name: p.profile.name, domains: p.profile.domains, attempts: p.attempts, evidence: p.evidence })), leftOut: cal.leftOut, mix: cal.mix }, null, 1)}\n`,
  );
  return files;
}
