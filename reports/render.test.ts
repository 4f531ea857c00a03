import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCsv } from './csv/render-csv.ts';
import { renderHtml } from './html/render-html.ts';
import { renderMarkdown } from './markdown/render-markdown.ts';
import { collectReport, type ReportData } from './report-data.ts';
import { HOSTILE_IMG, HOSTILE_SCRIPT, type TestStore, tinyStore } from './test-helpers/tiny-store.ts';

let s: TestStore;
let d: ReportData;
beforeAll(async () => {
  s = await tinyStore();
  d = await collectReport(s);
});
afterAll(() => s.close());

describe('renderHtml', () => {
  it('is one self-contained file: no script, no external resource', () => {
    const html = renderHtml(d);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\((?!#)/i);
    expect(html).toContain("default-src 'none'");
  });
  it('has every chart as a non-empty SVG', () => {
    const html = renderHtml(d);
    for (const id of [
      'throughput',
      'quarantine',
      'retry-delay',
      'suspensions',
      'kpi-legacy',
      'kpi-enhanced',
      'kpi-efs',
      'detail',
    ]) {
      const m = new RegExp(
        `<figure class="chart" id="chart-${id}" data-points="(\\d+)"><svg[^>]*>([\\s\\S]*?)</svg>`,
      ).exec(html);
      expect(m, id).not.toBeNull();
      expect(Number(m![1]), id).toBeGreaterThan(0);
      expect(m![2]!.length, id).toBeGreaterThan(500);
    }
  });
  it('shows hostile remote texts only escaped', () => {
    const html = renderHtml(d);
    expect(html).not.toContain(HOSTILE_SCRIPT);
    expect(html).not.toContain(HOSTILE_IMG);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<[a-z]+[^>]*\son[a-z]+=/i);
  });
  it('is deterministic', async () => {
    expect(renderHtml(await collectReport(s))).toBe(renderHtml(d));
  });
});

describe('operator actions (scenario actions:, issue #24)', () => {
  const withActions = (): ReportData => ({
    ...d,
    summary: {
      ...d.summary,
      actions: [
        {
          ms: 2 * 3_600_000,
          text: 'day1 02:00',
          kind: 'stopDelivery',
          target: 'news',
          outcome: 'stopped',
          affected: 3,
          detail: null,
        },
      ],
    },
  });
  const chartSvg = (html: string, id: string): string =>
    new RegExp(`<figure class="chart" id="chart-${id}"[^>]*><svg[^>]*>([\\s\\S]*?)</svg>`).exec(html)![1]!;

  it('draws each action as a labelled line on the time charts and lists it in a table', () => {
    const html = renderHtml(withActions());
    for (const id of ['throughput', 'quarantine', 'detail'])
      expect(chartSvg(html, id), id).toContain('stopDelivery news');
    expect(html).toContain('id="table-actions"');
    expect(renderMarkdown(withActions())).toContain('### Operator actions');
  });

  it('draws nothing of the kind for a run without actions', () => {
    const html = renderHtml(d);
    expect(html).not.toContain('table-actions');
    expect(chartSvg(html, 'throughput')).not.toContain('stopDelivery');
    expect(renderMarkdown(d)).not.toContain('Operator actions');
  });
});

describe('renderMarkdown', () => {
  it('has the headline figures and escaped texts', () => {
    const md = renderMarkdown(d);
    expect(md).toContain('| 10 | 3 | 4 | 1 | 2 | 3 (33.33 %) | **2** | 2 |');
    expect(md).toContain('v4@icloud.com');
    expect(md).toContain('Momen\\_Code10\\_InvalidRecipient');
    expect(md).toContain('| 5 | weird reply 17 |');
    // every unwarranted and every missed quarantine, by truth (issue #19 defect 7)
    expect(md).toContain('| disabledPermanent | — | 1 |');
    expect(md).toContain('| mailboxFull | 0 | — |');
    expect(md).toContain('| valid | 2 | — |');
    expect(renderHtml(d)).toContain('table-quarantine-truth');
    expect(md).not.toContain(HOSTILE_IMG);
    expect(md).not.toContain(HOSTILE_SCRIPT);
    expect(md.split('\n').length).toBeLessThan(120);
  });
});

describe('renderCsv', () => {
  it('writes one file per table with full lists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlab-csv-'));
    try {
      const names = await renderCsv(s, dir, undefined, d);
      expect(readdirSync(dir).sort()).toEqual(names);
      const fq = readFileSync(join(dir, 'false-quarantines.csv'), 'utf8').split('\r\n');
      expect(fq[0]).toBe('address,domain,truth,t,when,reason,rule,text');
      expect(fq[1]).toMatch(
        /^v4@icloud\.com,icloud\.com,valid,7200000,day1 02:00,1,Momen_Code10_InvalidRecipient,/,
      );
      expect(fq).toHaveLength(4); // header, 2 rows, final empty
      const q = readFileSync(join(dir, 'qualification.csv'), 'utf8');
      expect(q).toContain('weird reply #xxx#,weird reply 17,5,undefined,0,toQualify');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
