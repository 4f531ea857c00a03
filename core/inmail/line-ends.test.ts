/**
 * inMail reads a mail alike whatever its line endings: LF, CRLF, CR alone, or a mix line by line.
 * Every corpus mail, converted, must give exactly the results (kind, recipient, status, code, text,
 * qualification) of its LF copy; so must an mbox file and a Maildir holding CR-only mails.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { createQualifier, readMailbox } from '../../node/index.ts';
import { createInMail } from './inmail.ts';
import { toLf } from './line-ends.ts';
import { isMbox, splitMbox } from './mbox.ts';
import type { InMailResult } from './types.ts';

/** The labelled corpus in ../shared beside the repository (MXLAB_CORPUS overrides). */
const CORPUS_ROOT =
  process.env.MXLAB_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const DIR = `${CORPUS_ROOT}/bounces/maildir/bsd`;
const FILES = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => !f.startsWith('.'))
      .sort()
  : [];

const inmail = createInMail({ qualifier: createQualifier({ mode: 'legacy' }) });

type Eol = '\n' | '\r\n' | '\r';
const EOLS: Record<string, Eol> = { LF: '\n', CRLF: '\r\n', CR: '\r' };

/** The lines of a mail (whatever its line endings), as latin1 text. */
function linesOf(data: Buffer): string[] {
  return data.toString('latin1').split(/\r\n|\r|\n/);
}

/**
 * The mail with line i ended by `ends[i % ends.length]`. An LF right after a CR that ended the line
 * before an empty line would read as one CRLF break (one line lost): a CRLF stands in for it there.
 */
function withEnds(lines: readonly string[], ends: readonly Eol[]): Buffer {
  let out = '';
  let prev: Eol | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out += line;
    if (i === lines.length - 1) break;
    let end = ends[i % ends.length]!;
    if (end === '\n' && prev === '\r' && line === '') end = '\r\n';
    out += end;
    prev = end;
  }
  return Buffer.from(out, 'latin1');
}

/** Everything a result says but where it came from. */
async function results(data: Buffer, source = 'm.eml'): Promise<Omit<InMailResult, 'source'>[]> {
  return (await inmail.process({ source, data })).map(({ source: _, ...r }) => r);
}

const lfCache = new Map<string, Omit<InMailResult, 'source'>[]>();
async function lfResults(file: string): Promise<Omit<InMailResult, 'source'>[]> {
  let r = lfCache.get(file);
  if (!r) {
    r = await results(withEnds(linesOf(readFileSync(join(DIR, file))), ['\n']));
    lfCache.set(file, r);
  }
  return r;
}

describe('line endings: LF, CRLF and CR-only mails read alike', () => {
  it('the corpus is present', () => {
    expect(FILES.length, `corpus missing at ${DIR}`).toBeGreaterThan(100);
  });

  for (const name of ['CRLF', 'CR'] as const) {
    it(`every corpus mail written with ${name} gives the results of its LF copy`, async () => {
      const differ: string[] = [];
      for (const file of FILES) {
        const converted = await results(withEnds(linesOf(readFileSync(join(DIR, file))), [EOLS[name]!]));
        const lf = await lfResults(file);
        if (JSON.stringify(converted) !== JSON.stringify(lf)) differ.push(file);
      }
      expect(differ, `${differ.length} of ${FILES.length} mails differ`).toEqual([]);
    });
  }

  test.prop(
    [
      fc.constantFrom(...(FILES.length ? FILES : ['none'])),
      fc.array(fc.constantFrom<Eol>('\n', '\r\n', '\r'), { minLength: 1, maxLength: 7 }),
    ],
    { numRuns: 150 },
  )(
    'a corpus mail with line endings mixed line by line gives the results of its LF copy',
    async (file, ends) => {
      if (!FILES.length) return;
      const mixed = withEnds(linesOf(readFileSync(join(DIR, file))), ends);
      expect(await results(mixed)).toEqual(await lfResults(file));
    },
  );

  it('toLf leaves LF and CRLF text as it is and turns CR-only and mixed text into LF', () => {
    expect(toLf('a\nb\n')).toBe('a\nb\n');
    expect(toLf('a\r\nb\r\n')).toBe('a\r\nb\r\n');
    expect(toLf('a\rb\r')).toBe('a\nb\n');
    expect(toLf('a\r\nb\nc\rd')).toBe('a\nb\nc\nd');
  });
});

describe('line endings: mailboxes of CR-only mails', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mxlab-eol-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const picked = FILES.filter((f) =>
    /^(?:lhost-postfix|lhost-exim|lhost-sendmail|rhost-google)/.test(f),
  ).slice(0, 8);

  async function readAll(path: string): Promise<Omit<InMailResult, 'source'>[][]> {
    const out: Omit<InMailResult, 'source'>[][] = [];
    for await (const raw of readMailbox(path)) out.push(await results(raw.data, raw.source));
    return out;
  }

  it('an mbox file written with CR alone holds the same mails, read alike', async () => {
    expect(picked.length).toBeGreaterThan(3);
    const mbox = (eol: Eol) =>
      withEnds(
        picked.flatMap((f) => [
          'From MAILER-DAEMON Thu Jan  1 00:00:00 2026',
          ...linesOf(readFileSync(join(DIR, f))).map((l) => l.replace(/^(>*From )/, '>$1')),
          '',
        ]),
        [eol],
      );
    writeFileSync(join(tmp, 'lf.mbox'), mbox('\n'));
    writeFileSync(join(tmp, 'cr.mbox'), mbox('\r'));
    const cr = readFileSync(join(tmp, 'cr.mbox'));
    expect(isMbox(cr)).toBe(true);
    expect(splitMbox(cr)).toHaveLength(picked.length);
    const lf = await readAll(join(tmp, 'lf.mbox'));
    expect(lf).toHaveLength(picked.length);
    expect(lf.flat().every((r) => r.kind !== 'unknown')).toBe(true);
    expect(await readAll(join(tmp, 'cr.mbox'))).toEqual(lf);
  });

  it('a Maildir of CR-only mails reads like the LF one', async () => {
    for (const [name, eol] of [
      ['lf', '\n'],
      ['cr', '\r'],
    ] as const) {
      for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(tmp, name, sub), { recursive: true });
      for (const [i, f] of picked.entries())
        writeFileSync(
          join(tmp, name, i % 2 ? 'new' : 'cur', `${i}.mx:2,S`),
          withEnds(linesOf(readFileSync(join(DIR, f))), [eol]),
        );
    }
    const lf = await readAll(join(tmp, 'lf'));
    expect(lf).toHaveLength(picked.length);
    expect(await readAll(join(tmp, 'cr'))).toEqual(lf);
  });
});
