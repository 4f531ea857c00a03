import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Summary } from '../reports/index.ts';
import { headlineLines } from '../reports/summary/headline.ts';
import { openRunStore } from '../store/index.ts';
import { expectConsistentStore } from '../test/consistency.ts';
import { buildStore } from './build-store.ts';
import { kumomtaReader } from './formats/kumomta.ts';
import { readFiles } from './read-files.ts';
import type { FormatName } from './record.ts';

const FIX = join(import.meta.dirname, '..', 'test', 'fixtures', 'mta-logs');
const dir = mkdtempSync(join(tmpdir(), 'mxlab-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ingest(format: FormatName, files: string[], opts: { rules?: string } = {}) {
  const read = await readFiles(
    format,
    files.map((f) => join(FIX, f)),
    { year: 2026 },
  );
  const out = join(dir, `${format}-${Math.random().toString(36).slice(2)}`);
  await buildStore(out, read.records, read.initial, { mode: 'legacy', format, sources: files, ...opts });
  await expectConsistentStore(out);
  const store = await openRunStore(out, { readonly: true });
  const attempts = await store.all<Record<string, unknown>>(
    `SELECT l.address, a.attempt, a.phase::VARCHAR AS phase, a.code, a.enhanced, a.type::VARCHAR AS type, a.reason,
            a.outcome::VARCHAR AS outcome, a.mx_ip FROM attempts a JOIN delivery_log l USING (delivery_id, recipient_id) ORDER BY a.t, l.address`,
  );
  const quarantine = await store.all<{ address: string; status: string; error_count: number }>(
    'SELECT address, status::VARCHAR AS status, error_count FROM quarantine ORDER BY address',
  );
  const log = await store.all<{ address: string; status: string }>(
    'SELECT address, status::VARCHAR AS status FROM delivery_log ORDER BY address',
  );
  await store.close();
  return { read, attempts, quarantine, log, out };
}

const statusOf = (rows: { address: string; status: string }[]) =>
  Object.fromEntries(rows.map((r) => [r.address.split('@')[0], r.status]));

describe('mxlab ingest: each format into a consistent run store', () => {
  it('Postfix: delivered, bounced, deferred and own-diagnostic lines, with MX IPs and phases', async () => {
    const r = await ingest('postfix', ['postfix.log']);
    expect(r.read.malformed).toBe(0);
    expect(r.attempts.find((a) => a.address === 'gone@isp-a.example')).toMatchObject({
      phase: 'rcpt',
      code: 550,
      type: 'hard',
      reason: 1,
      outcome: 'failed',
      mx_ip: '192.0.2.10',
    });
    expect(r.attempts.find((a) => a.address === 'full@isp-b.example')).toMatchObject({
      phase: 'data',
      reason: 5,
      outcome: 'retry',
    });
    expect(r.attempts.find((a) => a.address === 'carol@no-such-domain.example')).toMatchObject({
      phase: 'dns',
      reason: 2,
    });
    expect(r.attempts.find((a) => a.address === 'alice@isp-a.example')).toMatchObject({
      outcome: 'delivered',
      type: null,
    });
    expect(statusOf(r.quarantine)).toMatchObject({
      gone: 'quarantine',
      full: 'withErrors',
    });
    // a delivered address without an error has no quarantine row
    expect(statusOf(r.quarantine).alice).toBeUndefined();
    // a log knows no truth: no precision, recall, false or missed quarantines are made up
    const summary = JSON.parse(readFileSync(join(r.out, 'summary.json'), 'utf8')) as Summary;
    expect(summary.quarantine.addresses).toBeGreaterThan(0);
    expect(summary.quarantine).toMatchObject({ precision: null, recall: null, falseQuarantines: 0 });
    const headline = headlineLines(summary).map((l) => l.text);
    expect(headline[0]).toMatch(/quarantined; no ground truth/);
    expect(headline.join('\n')).not.toMatch(/no valid address quarantined|every address that should be/);
  });
  it('Exim and Sendmail: one store each, Sendmail lines with several recipients give one message each', async () => {
    const e = await ingest('exim', ['exim.log']);
    expect(e.read.malformed).toBe(0);
    expect(statusOf(e.log)).toMatchObject({ gone: 'failed', alice: 'sent', full: 'pending' });
    const s = await ingest('sendmail', ['sendmail.log']);
    expect(statusOf(s.log)).toMatchObject({
      gone: 'failed',
      alice: 'sent',
      full: 'pending',
      full2: 'pending',
    });
  });
  it('KumoMTA records: a retry then a delivery is one message of two attempts; malformed lines are counted with their numbers', async () => {
    const r = await ingest('kumomta', ['kumomta.jsonl']);
    expect(r.read.malformed).toBe(3);
    expect(r.read.bad.map((b) => b.line)).toEqual([14, 15, 16]);
    expect(r.read.bad.map((b) => b.why).join(' | ')).toMatch(/not JSON.*timestamp.*Frobnicate/);
    expect([...r.read.skipped.keys()].sort()).toEqual([
      'kumomta Feedback record',
      'kumomta Reception record',
    ]);
    const full = r.attempts.filter((a) => a.address === 'full@isp-b.example');
    expect(full.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'retry'],
      [2, 'delivered'],
    ]);
    expect(r.attempts.find((a) => a.address === 'bob@isp-c.example')).toMatchObject({
      phase: 'connect',
      code: null,
    });
    expect(statusOf(r.log)).toMatchObject({ gone: 'failed', full: 'sent', bob: 'failed', alice: 'sent' });
    // the over-quota deferral was followed by a success: With errors goes back to Valid (SPEC §5)
    expect(statusOf(r.quarantine)).toMatchObject({ gone: 'quarantine', full: 'valid' });
  });
  it('PowerMTA accounting CSV: header-named columns, smtp; diagnostics, local and MX IPs', async () => {
    const r = await ingest('pmta', ['pmta.csv']);
    expect(r.read.bad.map((b) => [b.line, b.why])).toEqual([
      [14, "unknown record type 'x'"],
      [15, "timeLogged 'yesterday' is not a time"],
      [16, 'unclosed quote'],
    ]);
    expect(r.attempts.find((a) => a.address === 'gone@isp-a.example')).toMatchObject({
      code: 550,
      reason: 1,
      mx_ip: '192.0.2.10',
    });
    expect(statusOf(r.log)).toMatchObject({ gone: 'failed', full: 'sent', bob: 'failed', alice: 'sent' });
  });
  it('Campaign exports: the quarantine export is the table before the log, the log is qualified by the rules', async () => {
    const r = await ingest('campaign', ['campaign-quarantine.csv', 'campaign-delivery-log.csv']);
    expect(r.read.malformed).toBe(2);
    expect(r.read.initial).toHaveLength(2);
    expect(statusOf(r.quarantine)).toMatchObject({
      kept: 'quarantine',
      tired: 'withErrors',
      gone: 'quarantine',
      full: 'withErrors',
    });
  });
  it('rules decide: the same log with a rule set that calls user-unknown Soft quarantines nobody at once', async () => {
    const rules = join(dir, 'soft-unknown.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      rules,
      'rules:\n  - name: unknown_is_soft\n    regex: User unknown\n    type: soft\n    reason: 3\n',
    );
    const r = await ingest('postfix', ['postfix.log'], { rules });
    expect(statusOf(r.quarantine).gone).toBe('withErrors');
  });
  it('Postfix lines exported from a simulated run: every line read, local IPs from the instance names, phases from the commands', async () => {
    const r = await ingest('postfix', ['postfix-simulated.log']);
    expect(r.read.malformed).toBe(0);
    expect(r.read.records).toHaveLength(381);
    // the sending instance names the local IP of every attempt that reached an MX (DNS failures have none)
    expect(new Set(r.read.records.filter((x) => x.mxIp).map((x) => x.localIp))).toEqual(
      new Set(['127.0.1.1']),
    );
    const phases = new Set(r.attempts.map((a) => a.phase));
    for (const p of ['dns', 'rcpt', 'data']) expect(phases).toContain(p);
    // the simulation's Gmail user-unknown reply (a multi-line reply, logged on one line) is still Hard / User unknown
    const unknown = r.attempts.filter((a) => String(a.enhanced) === '5.1.1' && a.code === 550);
    expect(unknown.length).toBeGreaterThan(0);
    for (const a of unknown) expect([a.type, a.reason]).toEqual(['hard', 1]);
  });
  it('KumoMTA: a reply logged against "." (the end of the message) answered DATA', () => {
    const rec = { type: 'TransientFailure', id: 'x', recipient: 'a@b.example', timestamp: 1796551200 };
    const line = JSON.stringify({ ...rec, response: { code: 452, content: 'over quota', command: '.\r\n' } });
    const r = kumomtaReader().line(line, 1);
    expect(r.kind === 'records' && r.records[0]!.phase).toBe('data');
  });
});
