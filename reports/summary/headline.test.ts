/**
 * The report read at a glance (issue #21): a headline naming rules, domains and windows; complaint,
 * denylist and allowlist counts; histogram bins labelled with the range they hold; long address lists
 * cut at their first rows with the total and a link to the full CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binLabel } from '../html/charts.ts';
import { renderHtml } from '../html/render-html.ts';
import { renderMarkdown } from '../markdown/render-markdown.ts';
import { feedbackCounts } from '../metrics/feedback.ts';
import { formatWindow } from '../metrics/incidents.ts';
import { niceBinMs } from '../metrics/retries.ts';
import { collectReport } from '../report-data.ts';
import { DEFAULT_REPORT_SETTINGS } from '../settings.ts';
import { insert, type TestStore, tinyStore } from '../test-helpers/tiny-store.ts';
import { headlineLines } from './headline.ts';
import { buildSummary } from './summary.ts';

const H = 3_600_000;
let s: TestStore;
beforeAll(async () => {
  s = await tinyStore();
});
afterAll(() => s.close());

describe('headline', () => {
  it('names the rule, the domains and the window of each false-quarantine group, and the missed by truth', async () => {
    const lines = headlineLines(await buildSummary(s));
    expect(lines.map((l) => l.text)).toEqual([
      '1 valid address quarantined by rule Inbound_UserUnknown: gm.com 1, day1 04:00',
      '1 valid address quarantined by rule Momen_Code10_InvalidRecipient: icloud.com 1, day1 02:00',
      '2 addresses that should be quarantined are not (disabledPermanent 1, invalidDomain 1)',
    ]);
    expect(lines.every((l) => l.tone === 'bad')).toBe(true);
  });

  it('writes windows in dayN HH:MM, the day once when it does not change', () => {
    expect(formatWindow(7 * H, 11 * H + 40 * 60_000)).toBe('day1 07:00–11:40');
    expect(formatWindow(23 * H, 27 * H)).toBe('day1 23:00–day2 03:00');
  });
});

describe('feedback counts', () => {
  it('counts complaints, the addresses the run denylisted (not those before it) and the allowlist', async () => {
    const t = await tinyStore();
    try {
      // t, recipient, kind, type, reason, impact, status, text, matched_by, delivery_id, recipient_id
      await insert(t, 'inmail', [
        [3 * H, 'a2@ex.com', 'arf', 'hard', 8, 'denylist', null, 'abuse', 'messageId', 1, 2],
        [3 * H, 'A2@ex.com', 'arf', 'hard', 8, 'denylist', null, 'abuse', 'messageId', 1, 2],
      ]);
      await insert(t, 'recipients', [[11, 'old@ex.com', 'ex.com', 'valid', true, 'denylisted', false]]);
      // address, status, error_count, reason, text, first_error, last_error, updated
      await insert(t, 'quarantine', [
        ['a2@ex.com', 'denylisted', 0, 8, 'abuse', null, null, 3 * H],
        ['old@ex.com', 'denylisted', 0, 8, 'abuse', null, null, 0],
        ['vip@ex.com', 'allowlisted', 0, null, null, null, null, 0],
      ]);
      expect(await feedbackCounts(t)).toEqual({
        complaints: 2,
        complainers: 1,
        autoReplies: 0,
        denylisted: 1,
        denylistedBefore: 1,
        allowlisted: 1,
      });
      const sum = await buildSummary(t);
      expect(sum.feedback.denylisted).toBe(1);
      expect(headlineLines(sum).at(-1)!.text).toBe(
        '2 complaints from 1 address; 1 address denylisted by the run (1 before it)',
      );
      const html = renderHtml(await collectReport(t));
      expect(html).toMatch(/<div class="v">2<\/div><div class="k">complaints<\/div>/);
      expect(html).toMatch(/<div class="v">1<\/div><div class="k">denylisted by the run<\/div>/);
    } finally {
      t.close();
    }
  });
});

describe('retry-delay histogram bins', () => {
  it('have round widths and labels in the unit they hold: a 1 h retry is not in a bar labelled 0s', () => {
    // 24 bins over a 5-day maximum: 6 h bins
    const w = niceBinMs((5 * 24 * H + 1) / 24);
    expect(w).toBe(6 * H);
    expect(binLabel(0, w)).toBe('0–6h');
    expect(binLabel(3, w)).toBe('18–24h');
    expect(binLabel(6, 10 * 60_000)).toBe('60–70m');
    expect(binLabel(0, 30_000)).toBe('0–30s');
    expect(niceBinMs(9 * 86_400_000)).toBe(9 * 86_400_000);
  });
});

describe('long address lists', () => {
  it('show the first rows, the total and a link to the full CSV', async () => {
    const d = await collectReport(s, { ...DEFAULT_REPORT_SETTINGS, topN: 1 });
    const links = {
      falseQuarantinesCsv: 'false-quarantines.csv',
      missedQuarantinesCsv: 'missed-quarantines.csv',
    };
    const html = renderHtml(d, links);
    expect(html).toContain(
      '<p class="more">first 1 of 2 · all in <a href="false-quarantines.csv">false-quarantines.csv</a></p>',
    );
    expect(renderMarkdown(d, links)).toContain(
      '_first 1 of 2; all in [false-quarantines.csv](false-quarantines.csv)_',
    );
    expect(renderHtml(d)).toContain('<p class="more">first 1 of 2</p>');
  });
});
