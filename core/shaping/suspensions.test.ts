import { describe, expect, it } from 'vitest';
import { type Suspension, SuspensionLog } from './suspensions.ts';

const H = 3_600_000;
const pair = (q: number) => ({ domainId: 0, pairId: q, linkId: -1 });
const suspend = (startMs: number, endMs: number, localIp = '198.51.100.1') => ({
  kind: 'suspend' as const,
  domain: 'yahoo.com',
  localIp,
  mxIp: null,
  startMs,
  endMs,
  rule: 'yahoo-tss04',
  text: '421 4.7.0 [TSS04]',
});

describe('SuspensionLog: one record per suspension', () => {
  it('the same decision while it holds is one record: covered changes nothing, later extends', () => {
    const heard: Suspension[] = [];
    const log = new SuspensionLog((s) => heard.push({ ...s }));
    const a = log.add(suspend(0, 2 * H), pair(0));
    // 20 replies from sessions in flight, in the same millisecond: nothing new
    for (let i = 0; i < 20; i++) expect(log.add(suspend(0, 2 * H), pair(0)).id).toBe(a.id);
    expect(heard).toHaveLength(1);
    // the same rule fires again an hour later: the suspension is extended, same id
    log.add(suspend(H, 3 * H), pair(0));
    expect(heard).toHaveLength(2);
    expect(heard[1]).toMatchObject({ id: a.id, startMs: 0, endMs: 3 * H });
    expect(log.list()).toHaveLength(1);
    // after it ended, a new suspension is a new record
    const b = log.add(suspend(3 * H, 5 * H), pair(0));
    expect(b.id).not.toBe(a.id);
    expect(log.list()).toHaveLength(2);
  });

  it('another pair, link, kind or rule is another record', () => {
    const log = new SuspensionLog();
    log.add(suspend(0, H), pair(0));
    log.add(suspend(0, H, '198.51.100.2'), pair(1));
    log.add({ ...suspend(0, H), rule: 'other-rule' }, pair(0));
    log.add({ ...suspend(0, H), kind: 'throttle' }, pair(0));
    const down = {
      kind: 'pathDown' as const,
      domain: 'yahoo.com',
      localIp: '198.51.100.1',
      startMs: 0,
      endMs: H,
    };
    log.add(
      { ...down, mxIp: '192.0.2.1', rule: 'pathDown', text: null },
      { domainId: 0, pairId: -1, linkId: 0 },
    );
    log.add(
      { ...down, mxIp: '192.0.2.2', rule: 'pathDown', text: null },
      { domainId: 0, pairId: -1, linkId: 1 },
    );
    expect(log.list()).toHaveLength(6);
  });

  it('a cancelled record is not extended: the decision taken again is a new record', () => {
    const log = new SuspensionLog();
    const a = log.add(suspend(0, 2 * H), pair(0));
    expect(log.cancel(a.id, H)).not.toBeNull();
    const b = log.add(suspend(H, 3 * H), pair(0));
    expect(b.id).not.toBe(a.id);
    expect(log.list(H + 1).map((s) => s.id)).toEqual([b.id]);
  });
});
