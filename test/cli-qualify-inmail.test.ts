/**
 * `mxlab qualify` and `mxlab inmail` as a user runs them: reason names and rules in the output, MTA
 * log lines (Postfix, Exim, Sendmail; fixtures in test/fixtures/mta-logs/ written from the MTAs'
 * documentation, cited in each file's header) read for the reply and the recipient, lines that are no
 * delivery failure skipped and counted, unknown formats named on stderr, exit 2 when nothing is
 * usable, and a quiet exit 0 when the reader of the output goes away (`| head -1`).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REASON_NAMES } from '../core/types.ts';
import { BIN, cliHarness } from './cli-harness.ts';

const run = promisify(execFile);
const LOGS = join(import.meta.dirname, 'fixtures', 'mta-logs');
const CORPUS = process.env.MXLAB_CORPUS ?? fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const BOUNCES = join(CORPUS, 'bounces', 'maildir', 'bsd');
const { dir, mxlab } = cliHarness('mxlab-cli-qi-');

/** Runs `mxlab ARGS | head -1` in a shell; mxlab's own exit status is read from PIPESTATUS. */
async function mxlabIntoHead(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const script = `'${process.execPath}' '${BIN}' ${quoted} | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`;
  const r = await run('bash', ['-c', script], { cwd: dir, timeout: 60_000 });
  const m = /exit=(\d+)\s*$/.exec(r.stderr);
  return { code: Number(m?.[1] ?? -1), stdout: r.stdout, stderr: r.stderr.replace(/exit=\d+\s*$/, '') };
}

type Out = Record<string, unknown> & { line: number; recipient?: string; reason: number };
const parse = (stdout: string): Out[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Out);

describe('mxlab qualify: MTA log lines', () => {
  it('reads Postfix, Exim and Sendmail logs: one result per failed recipient, with its line number', async () => {
    const files = ['postfix.log', 'exim.log', 'sendmail.log'].map((f) => join(LOGS, f));
    const r = await mxlab('qualify', ...files);
    expect(r.code, r.stderr).toBe(0);
    const out = parse(r.stdout);
    const pick = (file: string) =>
      out
        .filter((o) => o.file === join(LOGS, file))
        .map((o) => [o.line, o.recipient, o.reason, o.reasonName]);
    // user unknown (remote reply or the MTA's own text), mailbox full, unreachable, invalid domain, refused
    expect(pick('postfix.log')).toEqual([
      [14, 'gone@isp-a.example', 1, 'User unknown'],
      [16, 'full@isp-b.example', 5, 'Mailbox full'],
      [18, 'bob@isp-c.example', 3, 'Unreachable'],
      [19, 'carol@no-such-domain.example', 2, 'Invalid domain'],
      [20, 'dave@isp-d.example', 20, 'Refused'],
      [26, 'nobody@mail.shop.example', 1, 'User unknown'],
    ]);
    expect(pick('exim.log')).toEqual([
      [11, 'gone@isp-a.example', 1, 'User unknown'],
      [13, 'full@isp-b.example', 5, 'Mailbox full'],
      [14, 'bob@isp-c.example', 3, 'Unreachable'],
      [15, 'carol@no-such-domain.example', 2, 'Invalid domain'],
      [16, 'jim@isp-d.example', 1, 'User unknown'],
    ]);
    expect(pick('sendmail.log')).toEqual([
      [8, 'gone@isp-a.example', 1, 'User unknown'],
      [11, 'full@isp-b.example', 5, 'Mailbox full'],
      [11, 'full2@isp-b.example', 5, 'Mailbox full'],
      [12, 'carol@no-such-domain.example', 2, 'Invalid domain'],
      [13, 'bob@isp-c.example', 3, 'Unreachable'],
    ]);
    const said = out.find((o) => o.mta === 'postfix' && o.line === 14)!;
    expect(said).toMatchObject({
      reply:
        '550 5.1.1 <gone@isp-a.example>: Recipient address rejected: User unknown in virtual mailbox table',
      code: 550,
      enhanced: '5.1.1',
      phase: 'rcpt',
      rule: expect.any(String),
    });
    expect(out.find((o) => o.mta === 'postfix' && o.line === 16)!.phase).toBe('data');
    expect(out.find((o) => o.mta === 'postfix' && o.line === 20)!.phase).toBe('connect');
    // no delivered, connection or queue line is qualified, and none comes out "to qualify"
    expect(out.every((o) => o.reason !== 0)).toBe(true);
    // one summary line on stderr for the run, nothing else (no line of these logs is in an unknown format)
    const summary = r.stderr.trim().split('\n');
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatch(/36 lines read, 15 qualified, 21 skipped as no delivery failure \(/);
    for (const why of [
      'delivered (status=sent)',
      'retry time not reached',
      'stat=Sent',
      "server's own reply",
    ])
      expect(summary[0]).toContain(why);
  });

  it('names a line in an unknown format on stderr with its line number, and does not qualify it', async () => {
    const f = join(dir, 'mixed.log');
    writeFileSync(
      f,
      [
        'Dec  6 10:00:00 mail postfix/smtp[1]: ABC: to=<a@b.example>, relay=mx.b.example[192.0.2.1]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.b.example[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command))',
        'Dec  6 10:00:01 mail dovecot: imap-login: Login: user=<a>, method=PLAIN',
        '550 5.2.2 mailbox full',
      ].join('\n'),
    );
    const r = await mxlab('qualify', f);
    expect(r.code).toBe(0);
    expect(parse(r.stdout).map((o) => [o.line, o.reason])).toEqual([
      [1, 1],
      [3, 5],
    ]);
    expect(r.stderr).toMatch(/mixed\.log:2: not qualified, unknown log format \(log line of dovecot/);
    expect(r.stderr).toMatch(/3 lines read, 2 qualified, 1 in an unknown log format/);
  });

  it('exits 2 when nothing in the input was usable', async () => {
    const f = join(dir, 'sent-only.log');
    writeFileSync(
      f,
      'Dec  6 10:00:00 mail postfix/smtp[1]: ABC: to=<a@b.example>, relay=mx[192.0.2.1]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)\nDec  6 10:00:01 mail postfix/qmgr[2]: ABC: removed\n',
    );
    const r = await mxlab('qualify', f);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/2 skipped as no delivery failure/);
    expect(r.stderr).toMatch(/^mxlab: nothing to qualify in .*sent-only\.log/m);
  });

  it('ends quietly with exit 0 when the reader goes away (| head -1)', async () => {
    const f = join(dir, 'many.txt');
    writeFileSync(f, '550 5.1.1 user unknown\n'.repeat(50_000));
    const r = await mxlabIntoHead('qualify', f);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ line: 1, reason: 1, reasonName: 'User unknown' });
  });
});

describe('mxlab inmail: output people can read', () => {
  it('prints reasonName and the rule beside each reason, and ends quietly under | head -1', async () => {
    const r = await mxlabIntoHead('inmail', BOUNCES, BOUNCES);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const first = JSON.parse(r.stdout) as Out;
    expect(first.reasonName).toBe(REASON_NAMES[first.reason]);
    expect(first).toHaveProperty('rule');
    expect(typeof first.rule === 'string' || first.rule === null).toBe(true);
  });

  it('names the rule that fired for a DSN', async () => {
    const r = await mxlab('inmail', join(BOUNCES, 'lhost-postfix-01.eml'));
    expect(r.code, r.stderr).toBe(0);
    const out = parse(r.stdout);
    expect(out.length).toBeGreaterThan(0);
    for (const o of out) {
      expect(o.reasonName).toBe(REASON_NAMES[o.reason]);
      expect(typeof o.rule).toBe('string');
    }
  });
});
