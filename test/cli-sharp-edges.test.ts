/**
 * Issue #21's sharp edges, as a user meets them: every flag error names the flag and exits 2
 * (`--out` on a file, `--from yesterday`, `--recipients` out of range, an ambiguous `--fail-on` unit),
 * `compare` readable on a terminal (no HTML entities, durations as `3h05m`), non-mail input to
 * `inmail` named on stderr, a hint when `qualify` waits on a terminal, "did you mean" for a catalog name.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliHarness } from './cli-harness.ts';

const { dir, mxlab } = cliHarness('mxlab-cli-edges-');

const TINY = `name: tiny
seed: 1
horizon: 2d
population:
  size: 40
  mix: consumer-us
deliveries:
  - name: d
    at: day1 06:00
`;
const scenarioFile = join(dir, 'tiny.yaml');
const runDir = join(dir, 'run');
const aFile = join(dir, 'a-file');
let runOut = '';

beforeAll(async () => {
  writeFileSync(scenarioFile, TINY);
  writeFileSync(aFile, 'not a folder\n');
  const r = await mxlab('run', scenarioFile, '--out', runDir, '--no-progress');
  expect(r.code, r.stderr).toBe(0);
  runOut = r.stdout;
}, 120_000);

/** One line on stderr, `mxlab: ...`, exit 2. */
function badInput(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^mxlab: /);
  expect(lines[0]).toMatch(message);
}

describe('flag errors name the flag', () => {
  it('--out pointing at a file (run, report)', async () => {
    badInput(await mxlab('run', scenarioFile, '--out', aFile, '--no-progress'), /--out: .*a-file is a file/);
    badInput(await mxlab('report', runDir, '--out', join(aFile, 'sub')), /--out: .*a-file is a file/);
  });

  it('remediate --from yesterday', async () => {
    const r = await mxlab(
      'remediate',
      runDir,
      '--contains',
      'x',
      '--from',
      'yesterday',
      '--to',
      'day1 13:00',
    );
    badInput(r, /--from: bad time 'yesterday': expected dayN HH:MM/);
  });

  it('--recipients out of range: one message for 0, -5 and 10000000000', async () => {
    for (const n of ['0', '-5', '10000000000'])
      badInput(
        await mxlab('run', scenarioFile, '--recipients', n, '--no-progress'),
        new RegExp(`^mxlab: --recipients: expected an integer from 1 to 100,000,000, got '${n}'$`),
      );
  }, 180_000); // three mxlab processes

  it('an ambiguous --fail-on unit is refused with the accepted forms', async () => {
    const r = await mxlab('compare', runDir, runDir, '--fail-on', 'quarantine.rate>+0.5');
    badInput(
      r,
      /ambiguous unit.*quarantine\.rate>\+0\.5pp.*quarantine\.rate>\+0\.5%.*quarantine\.rate>0\.005/,
    );
  });

  it('a mistyped catalog name gets "did you mean"', async () => {
    badInput(await mxlab('run', 'isp-outag', '--no-progress'), /did you mean 'isp-outage'/);
  });
});

describe('run', () => {
  it('prints the headline in deliverability terms under the figures', () => {
    expect(runOut).toMatch(/^quarantine: .*\n {2}[!-] .*quarantined/m);
  });
});

describe('compare on a terminal', () => {
  it('--format text prints conditions as written, not HTML-escaped', async () => {
    const r = await mxlab('compare', runDir, runDir, '--format', 'text', '--fail-on', 'falseQuarantines>=0');
    expect(r.stdout).not.toMatch(/&gt;|&lt;|&amp;/);
    expect(r.stdout).toContain('`falseQuarantines>=0`');
    expect(r.code).toBe(1);
  });
});

describe('inmail: input that is not a mail', () => {
  it('names binary, empty and truncated files on stderr and exits 2 when nothing was a mail', async () => {
    const bin = join(dir, 'image.eml');
    writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const cut = join(dir, 'cut.eml');
    writeFileSync(cut, 'Return-Path: <>\nX-Original-To: someone@example.jp\nDeliv');
    const r = await mxlab('inmail', bin, cut);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/image\.eml: not a mail \(not a mail: no header fields found\)/);
    expect(r.stderr).toMatch(
      /cut\.eml: not a mail \(bounce without an identifiable recipient: \(empty body\)\)/,
    );
    expect(r.stderr).toMatch(/^mxlab: nothing in .* was read as a mail/m);
  });
});

describe('qualify on an empty stdin', () => {
  it('exits 2 with a line when stdin is empty', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'qualify'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
    });
    badInput(r, /nothing to qualify in stdin/);
  });

  it('on a terminal, says on stderr that it reads stdin', async () => {
    // `script` gives the command a pseudo-terminal; the reply is typed once the hint is there
    const child = spawn('script', ['-qfec', `'${process.execPath}' '${BIN}' qualify`, '/dev/null'], {
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no hint within 60 s: ${out}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('reading replies from stdin')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.stdin.write('550 5.1.1 user unknown\n\u0004');
    child.stdin.end();
    expect(await done).toBe(0);
    expect(out).toMatch(/mxlab qualify: reading replies from stdin, one per line \(end with Ctrl-D/);
    expect(out).toMatch(/"reasonName":"User unknown"/);
  }, 90_000);
});

describe('mxlab schema', () => {
  it('prints the profile schema, and names the choices for a bad kind', async () => {
    const r = await mxlab('schema', 'profile');
    expect(r.code, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout) as {
      title: string;
      properties: Record<string, { description?: string }>;
    };
    expect(schema.title).toBe('mxlab ISP profile');
    expect(schema.properties.windows!.description).toMatch(/outages/);
    badInput(await mxlab('schema', 'profiles'), /expected scenario or profile, got 'profiles'/);
  }, 120_000);
});
