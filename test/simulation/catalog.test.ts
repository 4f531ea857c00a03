/**
 * Every catalog scenario runs at a reduced size, with an assertion on the figure it exists to show.
 * (isp-outage and isp-outage-fixed have their own file.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { catalogPlan, cleanupRuns, count, run } from './helpers.ts';

afterAll(cleanupRuns);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** rows of `suspensions` that repeat another row, or overlap one of the same decision (issue #19) */
const DUPLICATE_SUSPENSIONS = `SELECT count(*) AS n FROM suspensions a JOIN suspensions b
  ON a.kind = b.kind AND a.domain = b.domain AND a.local_ip IS NOT DISTINCT FROM b.local_ip
  AND a.mx_ip IS NOT DISTINCT FROM b.mx_ip AND a.rule IS NOT DISTINCT FROM b.rule
  AND a.rowid < b.rowid AND a.start_ms < b.end_ms AND b.start_ms < a.end_ms`;

describe('catalog scenarios at reduced size', () => {
  it('baseline: nearly everything is delivered, nothing left pending, no valid address quarantined', async () => {
    const r = await run(catalogPlan('baseline', { recipients: 4000 }));
    try {
      const m = r.summary.messages;
      expect(m.delivered / (m.targeted - m.excluded.total)).toBeGreaterThan(0.85);
      expect(m.pending).toBe(0);
      expect(r.summary.quarantine.falseQuarantines).toBe(0);
      expect(r.summary.quarantine.byReason.map((x) => x.reason)).toContain(1);
    } finally {
      await r.store.close();
    }
  });

  it('mailbox-full-cleanup releases full mailboxes 30 days after their quarantine, only with cleanup on', async () => {
    const on = await run(catalogPlan('mailbox-full-cleanup', { recipients: 600 }));
    const off = await run(catalogPlan('mailbox-full-no-cleanup', { recipients: 600 }));
    try {
      const releasedSql = `SELECT count(*) AS n FROM quarantine_history
        WHERE old_status = 'quarantine' AND new_status = 'valid' AND cause = 'cleanup'`;
      const released = await count(on.store, releasedSql);
      expect(released).toBeGreaterThan(0);
      expect(await count(off.store, releasedSql)).toBe(0);
      // each release comes at least 30 days after that address entered quarantine for mailbox full
      const early = await count(
        on.store,
        `SELECT count(*) AS n FROM quarantine_history r JOIN quarantine_history q ON q.address = r.address
         WHERE r.cause = 'cleanup' AND r.old_status = 'quarantine' AND q.new_status = 'quarantine'
           AND q.t < r.t AND r.t - q.t < ${30 * DAY}
           AND q.t = (SELECT max(t) FROM quarantine_history x WHERE x.address = r.address AND x.new_status = 'quarantine' AND x.t < r.t)`,
      );
      expect(early).toBe(0);
      const wrongReason = await count(
        on.store,
        `SELECT count(*) AS n FROM quarantine_history WHERE cause = 'cleanup' AND old_status = 'quarantine' AND reason <> 5`,
      );
      expect(wrongReason).toBe(0);
    } finally {
      await on.store.close();
      await off.store.close();
    }
  });

  it('yahoo-deferrals: TSS04 deferrals in legacy mode; Enhanced suspends the pair and is deferred less', async () => {
    const legacy = await run(catalogPlan('yahoo-deferrals', { recipients: 10_000 }));
    const enhanced = await run(catalogPlan('yahoo-deferrals-enhanced', { recipients: 10_000 }));
    try {
      const tss = `SELECT count(*) AS n FROM attempts WHERE text LIKE '%TSS04%'`;
      const legacyDeferrals = await count(legacy.store, tss);
      const enhancedDeferrals = await count(enhanced.store, tss);
      expect(legacyDeferrals).toBeGreaterThan(20);
      expect(
        await count(
          legacy.store,
          `SELECT count(*) AS n FROM attempts WHERE text LIKE '%TSS04%' AND outcome <> 'retry'`,
        ),
      ).toBe(0);
      expect(
        await count(enhanced.store, `SELECT count(*) AS n FROM suspensions WHERE kind = 'suspend'`),
      ).toBeGreaterThan(0);
      expect(enhancedDeferrals).toBeLessThan(legacyDeferrals);
      expect(await count(enhanced.store, DUPLICATE_SUSPENSIONS)).toBe(0);
      // SPEC §4: retries held by a suspension go back to their backoff, not all at the suspension's end
      const [{ atEnd, withinHour }] = await enhanced.store.all<{ atEnd: number; withinHour: number }>(
        `WITH e AS (SELECT DISTINCT domain, end_ms FROM suspensions WHERE kind = 'suspend')
         SELECT count(*) FILTER (WHERE a.t = e.end_ms) AS atEnd, count(*) AS withinHour FROM attempts a
         JOIN e ON a.domain = e.domain AND a.t >= e.end_ms AND a.t < e.end_ms + ${HOUR} WHERE a.attempt > 1`,
      );
      expect(Number(withinHour)).toBeGreaterThan(100);
      expect(Number(atEnd)).toBeLessThan(0.15 * Number(withinHour));
    } finally {
      await legacy.store.close();
      await enhanced.store.close();
    }
  });

  it('ip-warmup: new IPs stay under the AOL warm-up curve (1,000/h per IP for the first days)', async () => {
    const r = await run(catalogPlan('ip-warmup', { recipients: 30_000 }));
    try {
      const worstHour = await count(
        r.store,
        `SELECT coalesce(max(n), 0) AS n FROM (SELECT local_ip, t // ${HOUR} AS h, count(*) AS n FROM attempts
         WHERE domain = 'aol.com' AND local_ip IS NOT NULL GROUP BY ALL)`,
      );
      const aol = await count(r.store, `SELECT count(*) AS n FROM attempts WHERE domain = 'aol.com'`);
      expect(aol).toBeGreaterThan(1000);
      expect(worstHour).toBeLessThanOrEqual(1000);
    } finally {
      await r.store.close();
    }
  });

  it('feedback-loop: complainers are denylisted and the next delivery excludes them with reason 8', async () => {
    const r = await run(catalogPlan('feedback-loop', { recipients: 4000 }));
    try {
      const denylisted = await count(
        r.store,
        `SELECT count(DISTINCT address) AS n FROM quarantine_history WHERE new_status = 'denylisted' AND cause = 'complaint'`,
      );
      expect(denylisted).toBeGreaterThan(5);
      const excluded = await count(
        r.store,
        `SELECT count(*) AS n FROM delivery_log l JOIN deliveries d ON d.id = l.delivery_id
         WHERE d.name = 'second' AND l.excluded AND l.reason = 8
           AND l.address IN (SELECT address FROM quarantine_history WHERE cause = 'complaint' AND t < d.start_ms)`,
      );
      const complainedBefore = await count(
        r.store,
        `SELECT count(DISTINCT q.address) AS n FROM quarantine_history q, deliveries d
         WHERE d.name = 'second' AND q.cause = 'complaint' AND q.t < d.start_ms`,
      );
      expect(complainedBefore).toBeGreaterThan(0);
      expect(excluded).toBe(complainedBefore);
    } finally {
      await r.store.close();
    }
  });

  it('error-rate-block: a domain going dark is blocked for 3 hours once 90% of 300 messages fail', async () => {
    const r = await run(catalogPlan('error-rate-block', { recipients: 14_000 }));
    try {
      const blocks = await r.store.all<{ start_ms: number; end_ms: number; domain: string }>(
        `SELECT domain, start_ms, end_ms FROM suspensions WHERE kind = 'block' ORDER BY start_ms`,
      );
      expect(blocks.length).toBeGreaterThan(0);
      expect(blocks[0]!.domain).toBe('comcast.net');
      expect(Number(blocks[0]!.end_ms) - Number(blocks[0]!.start_ms)).toBe(3 * HOUR);
      const duringBlock = await count(
        r.store,
        `SELECT count(*) AS n FROM attempts WHERE domain = 'comcast.net'
         AND t > ${Number(blocks[0]!.start_ms)} AND t < ${Number(blocks[0]!.end_ms)}`,
      );
      expect(duringBlock).toBe(0);
      expect(await count(r.store, DUPLICATE_SUSPENSIONS)).toBe(0);
    } finally {
      await r.store.close();
    }
  });

  it('async-bounces: accepted mail bounces days later and Sent turns into Failed', async () => {
    const r = await run(catalogPlan('async-bounces', { recipients: 3000 }));
    try {
      const dsns = await count(r.store, `SELECT count(*) AS n FROM inmail WHERE kind = 'dsn'`);
      expect(dsns).toBeGreaterThan(20);
      const late = await count(
        r.store,
        `SELECT count(*) AS n FROM inmail WHERE kind = 'dsn' AND t > ${2 * DAY}`,
      );
      expect(late).toBeGreaterThan(0);
      const sentThenFailed = await count(
        r.store,
        `SELECT count(*) AS n FROM delivery_log WHERE status = 'failed' AND delivered_ms IS NOT NULL`,
      );
      expect(sentThenFailed).toBeGreaterThan(0);
      expect(await count(r.store, `SELECT count(*) AS n FROM inmail WHERE kind = 'unknown'`)).toBe(0);
    } finally {
      await r.store.close();
    }
  });
});
