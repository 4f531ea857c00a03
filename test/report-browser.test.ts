/**
 * The HTML report in a real browser (Debian's Chromium via playwright-core): no console errors, no
 * dialog (a hostile reply text that ran would fire `alert`), every chart's SVG drawn from a non-empty
 * series, hostile texts shown as text, and a layout people can read: no table cell narrower than its
 * column's floor (COLUMN_FLOOR_PX, reports/html/elements.ts), the page height bounded. Saves a screenshot to
 * test-results/report.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { COLUMN_FLOOR_PX } from '../reports/html/elements.ts';
import { collectReport, renderHtml } from '../reports/index.ts';
import { HOSTILE_IMG, HOSTILE_SCRIPT, tinyStore } from '../reports/test-helpers/tiny-store.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe('report.html in Chromium', () => {
  it('renders charts and tables, runs nothing from remote texts', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install -y chromium`).toBe(true);
    const store = await tinyStore();
    const dir = mkdtempSync(join(tmpdir(), 'mxlab-report-'));
    const file = join(dir, 'report.html');
    try {
      writeFileSync(file, renderHtml(await collectReport(store)));
    } finally {
      store.close();
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const consoleErrors: string[] = [];
      const dialogs: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      page.on('dialog', async (d) => {
        dialogs.push(d.message());
        await d.dismiss();
      });
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      const charts = await page.$$eval('figure.chart', (figs) =>
        figs.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            id: f.id,
            points: Number(f.getAttribute('data-points')),
            shapes: svg ? svg.querySelectorAll('path, rect, text').length : 0,
            width: box?.width ?? 0,
            height: box?.height ?? 0,
          };
        }),
      );
      expect(charts.map((c) => c.id).sort()).toEqual(
        [
          'chart-kpi-efs',
          'chart-kpi-enhanced',
          'chart-kpi-legacy',
          'chart-quarantine',
          'chart-retry-delay',
          'chart-suspensions',
          'chart-throughput',
          'chart-detail',
        ].sort(),
      );
      for (const c of charts) {
        expect(c.shapes, c.id).toBeGreaterThan(10);
        expect(c.width, c.id).toBeGreaterThan(100);
        expect(c.height, c.id).toBeGreaterThan(100);
        expect(c.points, `${c.id}: an empty series`).toBeGreaterThan(0);
      }
      // layout: every cell at least its column's floor (text readable as lines), the page not endless
      const cells = await page.$$eval('td', (tds) =>
        tds.map((td) => ({
          cls: td.className || 't',
          floor: Number(td.getAttribute('data-floor')),
          width: td.getBoundingClientRect().width,
          table: td.closest('section')?.id ?? '',
        })),
      );
      expect(cells.length).toBeGreaterThan(20);
      for (const c of cells) {
        expect(c.floor, c.table).toBe(COLUMN_FLOOR_PX[c.cls as keyof typeof COLUMN_FLOOR_PX]);
        expect(c.width, `${c.table} ${c.cls}`).toBeGreaterThanOrEqual(c.floor);
      }
      const height = await page.$eval('body', (b) => b.scrollHeight);
      expect(height).toBeLessThan(7000);
      expect(await page.innerText('#headline')).toMatch(/valid address(es)? quarantined by rule/);
      const text = await page.innerText('body');
      expect(text).toContain(HOSTILE_SCRIPT);
      expect(text).toContain(HOSTILE_IMG);
      expect(await page.$$eval('main img, main script', (els) => els.length)).toBe(0);
      expect(await page.locator('td.x').count()).toBeGreaterThan(5);

      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: 'test-results/report.png', fullPage: true });

      expect(dialogs).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
